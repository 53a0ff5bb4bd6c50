// A ModifyVpcEndpoint event names an endpoint, not a server: which managed server's DescribeServer
// reports that VpcEndpointId? Only documents that manage EndpointDetails can drift through their
// endpoint, so only their servers are read — those that say EndpointType VPC first — at most
// `limit` DescribeServer calls, with bounded concurrency, stopping at the first match. Every
// endpoint seen is remembered in `cache` (one per invocation and account-region), so a second
// lookup is free.
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { TransferClient } from '@aws-sdk/client-transfer';
import { mapLimit } from '../concurrency.ts';
import { parseJsonText } from '../desired/parse-json.ts';
import type { ListedDocument } from '../desired/load-ssm.ts';
import { listDocuments } from '../desired/load-ssm.ts';
import { ServerNotFoundError } from '../errors.ts';
import { observeServer } from '../aws/transfer-api.ts';

export interface EndpointLookup {
  serverId?: string;
  /** DescribeServer calls made. */
  described: number;
  /** More candidates than `limit`: the endpoint may belong to one not read (the sweep covers it). */
  truncated: boolean;
}

export interface EndpointLookupOptions {
  prefix: string;
  /** The endpoint's account-region when not the hub's: only that account-region's documents are candidates (`transfer` must be its client). */
  place?: { accountId: string; region: string };
  limit: number;
  concurrency: number;
  cache: Map<string, string>;
}

/** Documents that manage EndpointDetails, the ones saying EndpointType VPC first; PUBLIC ones never. */
export function endpointCandidates(documents: readonly ListedDocument[]): ListedDocument[] {
  const vpc: ListedDocument[] = [];
  const unstated: ListedDocument[] = [];
  for (const d of documents) {
    const parsed = parseJsonText(d.text);
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) continue;
    const doc = parsed.value as { EndpointType?: unknown; EndpointDetails?: unknown };
    if (doc.EndpointDetails === undefined) continue;
    if (doc.EndpointType === 'VPC') vpc.push(d);
    else if (doc.EndpointType === undefined) unstated.push(d);
  }
  return [...vpc, ...unstated];
}

export async function serverOfEndpoint(
  clients: { ssm: SSMClient; transfer: TransferClient },
  endpointId: string,
  opts: EndpointLookupOptions,
): Promise<EndpointLookup> {
  const cached = opts.cache.get(endpointId);
  if (cached !== undefined) return { serverId: cached, described: 0, truncated: false };
  const known = new Set(opts.cache.values());
  const listed = await listDocuments(clients.ssm, opts.prefix);
  const place = opts.place;
  const here =
    place === undefined
      ? listed.documents
      : (listed.addressed ?? []).filter((d) => d.address?.accountId === place.accountId && d.address.region === place.region);
  const candidates = endpointCandidates(here).filter((d) => !known.has(d.serverId));
  const chosen = candidates.slice(0, opts.limit);
  let found: string | undefined;
  let described = 0;
  await mapLimit(chosen, opts.concurrency, async (doc) => {
    if (found !== undefined) return;
    let observed;
    try {
      described += 1;
      observed = await observeServer(clients.transfer, doc.serverId);
    } catch (err) {
      if (err instanceof ServerNotFoundError) return;
      throw err;
    }
    const id = observed.EndpointDetails.VpcEndpointId;
    if (id === undefined) return;
    opts.cache.set(id, doc.serverId);
    if (id === endpointId) found = doc.serverId;
  });
  return {
    ...(found !== undefined ? { serverId: found } : {}),
    described,
    truncated: found === undefined && candidates.length > opts.limit,
  };
}
