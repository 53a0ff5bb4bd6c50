// The enumerator's work: every document under the prefix (GetParametersByPath pages) → one
// schedule message per server, each page sent while the next is read; then, once every message is
// sent, ListServers in the hub's own account-region and in every account-region the accounts file
// lists (through its read-only role, a few at a time: unmanaged-servers.ts), and servers without a
// document reported `unmanaged` (as the sweep does), never enqueued. It reconciles nothing itself,
// so it takes seconds, not the sweep's minutes.
import type { TransferClient } from '@aws-sdk/client-transfer';
import type { AccountsFile } from '../../reconciler/desired/accounts-rules.ts';
import { listDocumentPage } from '../../reconciler/desired/load-ssm.ts';
import type { ListedDocument } from '../../reconciler/desired/load-ssm.ts';
import { addressKey } from '../../reconciler/desired/server-address.ts';
import { classifyError } from '../../reconciler/error-outcome.ts';
import { buildMessage, listedDocument } from '../../reconciler/queue/message.ts';
import { sendMessages } from '../../reconciler/aws/sqs-api.ts';
import type { SendReport } from '../../reconciler/aws/sqs-api.ts';
import type { Outcome } from '../../reconciler/types.ts';
import { interleaveByPlace } from './interleave.ts';
import type { QueueDeps } from './queue-deps.ts';
import { placeKey, unmanagedServers } from './unmanaged-servers.ts';
import type { PlaceListingError } from './unmanaged-servers.ts';

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
  /** The hub's own ListServers failed: its unmanaged servers are unknown this run. */
  listServersError?: { code: string; message: string };
  /** Listed account-regions (accounts file) whose servers were listed, for their unmanaged ones. */
  accountRegionsListed: number;
  /** Listed account-regions whose read role or ListServers failed: their unmanaged servers are unknown this run. */
  accountRegionErrors?: PlaceListingError[];
  durationMs: number;
}

/** Sends in flight while the listing goes on (each is one SendMessageBatch of ≤ 10). */
const SENDS_IN_FLIGHT = 4;

export async function enumerate(
  event: { id?: string },
  deps: Pick<QueueDeps, 'config' | 'clients' | 'sqs' | 'queueUrl'> & {
    accountsFile?: AccountsFile;
    /** A listed account-region's read-only Transfer client (AccountClients, access 'read'); without it, only the hub's servers are listed. */
    transferIn?: (place: { accountId: string; region: string }) => TransferClient;
    /** The hub's own account-region, when known: if the accounts file lists it too, it is listed once, as the hub's. */
    hub?: { accountId: string; region: string };
  },
): Promise<Enumerated> {
  const lists = (d: ListedDocument): boolean =>
    deps.accountsFile?.accounts.some((a) => a.id === d.address?.accountId && a.regions.includes(d.address.region ?? '')) ?? false;
  let addressed = 0;
  const unlisted: string[] = [];
  const { config, clients } = deps;
  const started = Date.now();
  const managed = new Set<string>();
  // ServerIds with a document, per account-region (placeKey); '' is the hub's own.
  const managedAt = new Map<string, Set<string>>([['', new Set<string>()]]);
  const hubKey = deps.hub ? placeKey(deps.hub) : undefined;
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
      // The listed text rides along (listedDocument decides when): the worker need not read it again.
      document: listedDocument(d),
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
    for (const d of [...page.documents, ...reachable]) {
      // The hub's own account-region listed as an account: those documents manage the hub's servers.
      const key = d.address && placeKey(d.address) !== hubKey ? placeKey(d.address) : '';
      const set = managedAt.get(key) ?? new Set<string>();
      managedAt.set(key, set);
      set.add(d.serverId);
    }
    others.push(...reachable);
    await sendPage(page.documents.map(message));
    nextToken = page.nextToken;
  } while (nextToken);
  const ordered = interleaveByPlace(others);
  for (let i = 0; i < ordered.length; i += 10) await sendPage(ordered.slice(i, i + 10).map(message));
  await Promise.all(inFlight);

  // Only after every message is sent (the sweep first), and only with a complete listing of the
  // documents: a listing that failed part-way leaves the managed servers unknown everywhere.
  let unmanaged: Outcome[] = [];
  let listServersError: Enumerated['listServersError'];
  let accountRegionErrors: PlaceListingError[] = [];
  let accountRegionsListed = 0;
  if (listingError === undefined) {
    const places =
      deps.transferIn === undefined
        ? []
        : (deps.accountsFile?.accounts ?? [])
            .flatMap((a) => a.regions.map((region) => ({ accountId: a.id, region })))
            .filter((p) => placeKey(p) !== hubKey);
    const found = await unmanagedServers({
      hub: clients.transfer,
      places,
      transferIn:
        deps.transferIn ??
        (() => {
          throw new Error('no account clients');
        }),
      managed: managedAt,
      prefix: config.prefix,
      mode: config.mode === 'detect' ? 'detect' : 'enforce',
    });
    unmanaged = found.unmanaged;
    listServersError = found.hubError;
    accountRegionErrors = found.errors;
    accountRegionsListed = found.listed;
  }
  return {
    documents: managed.size,
    addressed,
    unlisted,
    send,
    unmanaged,
    problems,
    accountRegionsListed,
    durationMs: Date.now() - started,
    ...(listingError ? { listingError } : {}),
    ...(listServersError ? { listServersError } : {}),
    ...(accountRegionErrors.length > 0 ? { accountRegionErrors } : {}),
  };
}
