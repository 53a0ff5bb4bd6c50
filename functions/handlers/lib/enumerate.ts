// The enumerator's work: every document under the prefix (GetParametersByPath pages) → one
// schedule message per server, each page sent while the next is read; then ListServers, and
// servers without a document reported `unmanaged` (as the sweep does), never enqueued. It
// reconciles nothing itself, so it takes seconds, not the sweep's minutes.
import type { AccountsFile } from '../../reconciler/desired/accounts-rules.ts';
import { listDocumentPage } from '../../reconciler/desired/load-ssm.ts';
import type { ListedDocument } from '../../reconciler/desired/load-ssm.ts';
import { addressKey } from '../../reconciler/desired/server-address.ts';
import { classifyError } from '../../reconciler/error-outcome.ts';
import { buildMessage } from '../../reconciler/queue/message.ts';
import { sendMessages } from '../../reconciler/aws/sqs-api.ts';
import type { SendReport } from '../../reconciler/aws/sqs-api.ts';
import { listServerIds } from '../../reconciler/aws/transfer-api.ts';
import { unmanagedOutcome } from '../../reconciler/sweep.ts';
import type { Outcome } from '../../reconciler/types.ts';
import { interleaveByPlace } from './interleave.ts';
import type { QueueDeps } from './queue-deps.ts';

export interface Enumerated {
  documents: number;
  /** Documents of other accounts enqueued (their account-region is in the accounts file). */
  addressed: number;
  /** Documents of account-regions the accounts file does not list: not enqueued (keys). */
  unlisted: string[];
  send: SendReport;
  unmanaged: Outcome[];
  problems: { name: string; message: string }[];
  /** The listing failed part-way: what was listed is enqueued, nobody is called unmanaged. */
  listingError?: { code: string; message: string };
  listServersError?: { code: string; message: string };
  durationMs: number;
}

/** Sends in flight while the listing goes on (each is one SendMessageBatch of ≤ 10). */
const SENDS_IN_FLIGHT = 4;

export async function enumerate(
  event: { id?: string },
  deps: Pick<QueueDeps, 'config' | 'clients' | 'sqs' | 'queueUrl'> & { accountsFile?: AccountsFile },
): Promise<Enumerated> {
  const lists = (d: ListedDocument): boolean =>
    deps.accountsFile?.accounts.some((a) => a.id === d.address?.accountId && a.regions.includes(d.address.region ?? '')) ?? false;
  let addressed = 0;
  const unlisted: string[] = [];
  const { config, clients } = deps;
  const started = Date.now();
  const managed = new Set<string>();
  const problems: Enumerated['problems'] = [];
  const send: SendReport = { sent: 0, failed: [] };
  const inFlight = new Set<Promise<void>>();
  const sentAt = new Date().toISOString();
  let listingError: Enumerated['listingError'];
  const message = (d: ListedDocument) =>
    buildMessage({
      serverId: d.serverId,
      ...(d.address?.accountId !== undefined ? { accountId: d.address.accountId, region: d.address.region ?? '' } : {}),
      trigger: 'schedule',
      reason: 'schedule',
      sentAt,
      // The schedule event's id: a retried invocation of the same tick sends no duplicates.
      ...(typeof event.id === 'string' ? { source: event.id } : {}),
      document: { name: d.name, ...(d.version !== undefined ? { version: d.version } : {}) },
    });
  const sendPage = async (messages: ReturnType<typeof message>[]): Promise<void> => {
    if (messages.length === 0) return;
    const p: Promise<void> = sendMessages(deps.sqs, deps.queueUrl, messages).then(
      (r) => {
        send.sent += r.sent;
        send.failed.push(...r.failed);
      },
      (err: unknown) => {
        const c = classifyError(err);
        send.failed.push(...messages.map((m) => ({ groupId: m.groupId, code: c.code, message: c.message })));
      },
    );
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= SENDS_IN_FLIGHT) await Promise.race(inFlight);
  };
  // Hub documents are sent page by page while the listing goes on; other accounts' documents after
  // it, interleaved across account-regions (interleave.ts).
  const others: ListedDocument[] = [];
  let nextToken: string | undefined;
  do {
    let page;
    try {
      page = await listDocumentPage(clients.ssm, config.prefix, nextToken);
    } catch (err) {
      const c = classifyError(err);
      listingError = { code: c.code, message: c.message };
      break;
    }
    problems.push(...page.problems);
    for (const d of page.addressed ?? []) if (!lists(d) && d.address) unlisted.push(addressKey(d.address));
    const reachable = (page.addressed ?? []).filter(lists);
    addressed += reachable.length;
    for (const d of page.documents) managed.add(d.serverId);
    others.push(...reachable);
    await sendPage(page.documents.map(message));
    nextToken = page.nextToken;
  } while (nextToken);
  const ordered = interleaveByPlace(others);
  for (let i = 0; i < ordered.length; i += 10) await sendPage(ordered.slice(i, i + 10).map(message));
  await Promise.all(inFlight);

  const unmanaged: Outcome[] = [];
  let listServersError: Enumerated['listServersError'];
  if (listingError === undefined) {
    try {
      for (const id of await listServerIds(clients.transfer)) {
        if (managed.has(id)) continue;
        const mode = config.mode === 'detect' ? 'detect' : 'enforce';
        unmanaged.push(
          unmanagedOutcome(id, `${config.prefix}${id}`, 'schedule', mode, 'the server has no desired-state document; it is left as it is'),
        );
      }
    } catch (err) {
      const c = classifyError(err);
      listServersError = { code: c.code, message: c.message };
    }
  }
  return {
    documents: managed.size,
    addressed,
    unlisted,
    send,
    unmanaged,
    problems,
    durationMs: Date.now() - started,
    ...(listingError ? { listingError } : {}),
    ...(listServersError ? { listServersError } : {}),
  };
}
