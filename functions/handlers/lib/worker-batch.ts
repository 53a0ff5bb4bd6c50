// One SQS FIFO batch → one reconcile per message group (coalesce.ts), then each record's fate
// through Powertools' SqsFifoPartialProcessorAsync: a retryable failed outcome fails that group's
// records (skipGroupOnError: the group's later records fail too, other groups are untouched), so
// SQS returns them after the visibility timeout and, after maxReceiveCount, to the dead-letter
// queue; every other result — terminal failures included — succeeds and is deleted: reported,
// never retried. A retry is always safe: the reconcile is level-triggered.
import { SqsFifoPartialProcessorAsync, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { AccountClients } from '../../reconciler/aws/account-clients.ts';
import { mapLimit } from '../../reconciler/concurrency.ts';
import { outcomeWithoutReconcile, reconcileServer } from '../../reconciler/reconcile.ts';
import type { ReconcileOptions } from '../../reconciler/reconcile.ts';
import { groupRecords } from '../../reconciler/queue/coalesce.ts';
import type { Group } from '../../reconciler/queue/coalesce.ts';
import type { Outcome } from '../../reconciler/types.ts';
import type { PreloadedDocument } from '../../reconciler/reconcile-attempt.ts';
import { parameterName } from '../../reconciler/desired/server-address.ts';
import type { HandlerDeps } from './deps.ts';
import { RetryableFailureError, retryableFailures } from './report.ts';

export type GroupResult = { group: Group; outcome?: Outcome; error?: Error };

export interface BatchResult {
  response: SQSBatchResponse;
  results: GroupResult[];
}

/** The group a record belongs to: Lambda's FIFO records carry MessageGroupId in attributes. */
function groupIdOf(record: SQSRecord): string {
  return record.attributes.MessageGroupId ?? '';
}

export interface BatchDeps extends Pick<HandlerDeps, 'config' | 'clients' | 'clock'> {
  /** Clients per address (the hub's, or a spoke's through its role); without it only hub servers are reachable. */
  accountClients?: AccountClients;
  /** The one reconcile (tests count calls through a stand-in); a spoke server's address comes in opts.address. */
  reconcile?: (serverId: string, opts: ReconcileOptions) => Promise<Outcome>;
}

export async function processBatch(event: SQSEvent, deadline: number, deps: BatchDeps): Promise<BatchResult> {
  const { config, clients, clock, reconcile = reconcileServer } = deps;
  const accountClients =
    deps.accountClients ??
    new AccountClients({ hub: clients, settings: {}, accounts: undefined, sessionName: 'transfer-reconciler-worker' });
  const groups = groupRecords(event.Records.map((r) => ({ messageId: r.messageId, groupId: groupIdOf(r), body: r.body })));
  expectSharedPlaces(groups, accountClients);
  const results = await mapLimit(groups, config.concurrency, async (group): Promise<GroupResult> => {
    if (group.serverId === undefined || group.address === undefined) return { group };
    const address = group.address;
    const base = {
      prefix: config.prefix,
      trigger: group.trigger,
      ...(config.mode === 'detect' ? { modeOverride: 'detect' as const } : {}),
    };
    let bound;
    try {
      // An address the accounts file no longer lists gets no clients: terminal, nothing called.
      bound = accountClients.for(address);
    } catch (err) {
      return { group, outcome: outcomeWithoutReconcile(address, err, base) };
    }
    try {
      const outcome = await reconcile(group.serverId, {
        ...base,
        clients: bound,
        deadline,
        offlineWindowMs: config.offlineWindowMs,
        ...(clock ? { clock } : {}),
        ...(address.accountId !== undefined ? { address } : {}),
        ...(listedFor(group, config.prefix) ?? {}),
      });
      return { group, outcome };
    } catch (err) {
      // reconcileServer maps every error to an outcome; reaching here is a bug: let SQS retry it.
      return { group, error: err instanceof Error ? err : new Error(String(err)) };
    }
  });
  const byGroup = new Map(results.map((r) => [r.group.groupId, r]));
  const processor = new SqsFifoPartialProcessorAsync();
  const response = await processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const r = byGroup.get(groupIdOf(record));
      if (r?.error !== undefined) throw r.error;
      if (r?.outcome !== undefined && retryableFailures([r.outcome]).length > 0) throw new RetryableFailureError([r.outcome]);
      return r?.outcome?.result ?? 'no server';
    },
    processor,
    // Every record failing is an answer too (all of them back to the queue), not an invocation error.
    { skipGroupOnError: true, throwOnFullBatchFailure: false },
  );
  return { response, results };
}

/** The listing a schedule group carries, when it names this server's own document (else it is read). */
function listedFor(group: Group, prefix: string): { document: PreloadedDocument } | undefined {
  const d = group.listed;
  if (d === undefined || group.address === undefined || d.name !== parameterName(prefix, group.address)) return undefined;
  return {
    document: { name: d.name, text: d.text, type: 'String', origin: 'listing', ...(d.version !== undefined ? { version: d.version } : {}) },
  };
}

/**
 * Several servers of one spoke account-region in one batch: the queue's work is concentrated there,
 * so other instances are likely on it too (worker-share.ts assumes spread work): its bucket starts
 * at the floor rather than waiting for a throttled answer to say so.
 */
function expectSharedPlaces(groups: readonly Group[], accountClients: AccountClients): void {
  const seen = new Map<string, { n: number; address: NonNullable<Group['address']> }>();
  for (const g of groups) {
    const a = g.address;
    if (a?.accountId === undefined) continue;
    const key = `${a.accountId}/${a.region ?? ''}`;
    const s = seen.get(key) ?? { n: 0, address: a };
    s.n++;
    seen.set(key, s);
  }
  for (const { n, address } of seen.values()) {
    if (n < 2) continue;
    try {
      accountClients.for(address);
      accountClients.expectShared(address);
    } catch {
      // Not listed: its reconciles fail on their own (AccountNotListed), nothing to pace.
    }
  }
}
