// The enumerator's work: every document under the prefix (GetParametersByPath pages) → one
// schedule message per server, each page sent while the next is read; then ListServers, and
// servers without a document reported `unmanaged` (as the sweep does), never enqueued. It
// reconciles nothing itself, so it takes seconds, not the sweep's minutes.
import { listDocumentPage } from '../../reconciler/desired/load-ssm.ts';
import { classifyError } from '../../reconciler/error-outcome.ts';
import { buildMessage } from '../../reconciler/queue/message.ts';
import { sendMessages } from '../../reconciler/aws/sqs-api.ts';
import type { SendReport } from '../../reconciler/aws/sqs-api.ts';
import { listServerIds } from '../../reconciler/aws/transfer-api.ts';
import { unmanagedOutcome } from '../../reconciler/sweep.ts';
import type { Outcome } from '../../reconciler/types.ts';
import type { QueueDeps } from './queue-deps.ts';

export interface Enumerated {
  documents: number;
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
  deps: Pick<QueueDeps, 'config' | 'clients' | 'sqs' | 'queueUrl'>,
): Promise<Enumerated> {
  const { config, clients } = deps;
  const started = Date.now();
  const managed = new Set<string>();
  const problems: Enumerated['problems'] = [];
  const send: SendReport = { sent: 0, failed: [] };
  const inFlight = new Set<Promise<void>>();
  const sentAt = new Date().toISOString();
  let listingError: Enumerated['listingError'];
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
    const messages = page.documents.map((d) => {
      managed.add(d.serverId);
      return buildMessage({
        serverId: d.serverId,
        trigger: 'schedule',
        reason: 'schedule',
        sentAt,
        // The schedule event's id: a retried invocation of the same tick sends no duplicates.
        ...(typeof event.id === 'string' ? { source: event.id } : {}),
        document: { name: d.name, ...(d.version !== undefined ? { version: d.version } : {}) },
      });
    });
    if (messages.length > 0) {
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
    }
    nextToken = page.nextToken;
  } while (nextToken);
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
    send,
    unmanaged,
    problems,
    durationMs: Date.now() - started,
    ...(listingError ? { listingError } : {}),
    ...(listServersError ? { listServersError } : {}),
  };
}
