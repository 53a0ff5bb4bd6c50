// The order the enumerator sends other accounts' documents in: round-robin across account-regions.
// The listing comes in name order (all of one account-region together), and a worker's batch is the
// next ≤ 10 messages of the queue, paced per account-region: in name order a batch would hold one
// account-region and the organisation would be swept one account-region after another, at one
// quota's pace. Interleaved, a batch spans up to 10 account-regions, each at its own quota.
import type { ListedDocument } from '../../reconciler/desired/load-ssm.ts';

export function interleaveByPlace(documents: readonly ListedDocument[]): ListedDocument[] {
  const byPlace = new Map<string, ListedDocument[]>();
  for (const d of documents) {
    const place = `${d.address?.accountId ?? ''}/${d.address?.region ?? ''}`;
    const list = byPlace.get(place);
    if (list) list.push(d);
    else byPlace.set(place, [d]);
  }
  const queues = [...byPlace.values()];
  const out: ListedDocument[] = [];
  for (let i = 0; out.length < documents.length; i++) for (const q of queues) if (i < q.length) out.push(q[i] as ListedDocument);
  return out;
}
