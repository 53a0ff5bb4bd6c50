// Schedule → one reconcile message per document on the FIFO queue (the workers do the reconciles),
// plus the servers without a document reported `unmanaged`: the hub's own and those of every
// account-region the accounts file lists (listed through the account's read-only role). Nothing is
// thrown for a partial run: the next tick is the retry, and every event-driven change has its own
// message meanwhile.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { addressKey } from '../reconciler/desired/server-address.ts';
import { accountsDeps } from './lib/accounts-deps.ts';
import { enumerate } from './lib/enumerate.ts';
import type { Enumerated } from './lib/enumerate.ts';
import { withObservability } from './lib/observability.ts';
import { queueDepsFromEnvironment } from './lib/queue-deps.ts';
import type { QueueDeps } from './lib/queue-deps.ts';
import { addQueueMetrics, logSend } from './lib/queue-report.ts';
import { addOutcomeMetrics, logOutcome } from './lib/report.ts';
import { hubPlace } from './lib/hub-place.ts';

export const ENUMERATOR_SESSION_NAME = 'transfer-reconciler-enumerator';

export function createHandler(deps: QueueDeps) {
  const { logger, metrics } = deps;
  // The enumerator only lists in a spoke (ListServers, for its unmanaged servers): the account's
  // read-only role when the accounts file names one, paced at the entry's whole rate.
  const accounts = accountsDeps(deps, ENUMERATOR_SESSION_NAME, { divideByWorkers: false, access: 'read' });
  const run = async (event: ScheduledEvent, context: Context): Promise<Enumerated> => {
    const view = await accounts.refresh();
    if (view.problem !== undefined) logger.error('accounts file', { problem: view.problem });
    const hub = hubPlace(deps.config, context);
    const result = await enumerate(event, {
      ...deps,
      ...(view.accounts ? { accountsFile: view.accounts } : {}),
      ...(hub ? { hub } : {}),
      transferIn: (place) => accounts.accountClients.for({ ...place, serverId: '' }).transfer,
    });
    if (result.unlisted.length > 0)
      logger.warn('documents of accounts not in the accounts file: not enqueued', {
        reason: 'unlisted-account',
        unlisted: result.unlisted,
      });
    for (const o of result.unmanaged) logOutcome(logger, o);
    addOutcomeMetrics(metrics, result.unmanaged);
    logSend(logger, result.send, { documents: result.documents });
    addQueueMetrics(metrics, { Enqueued: result.send.sent, EnqueueFailed: result.send.failed.length });
    const { unmanaged, ...summary } = result;
    logger.info('enumeration summary', { summary: { ...summary, unmanaged: unmanaged.map(addressKey) } });
    for (const e of result.accountRegionErrors ?? [])
      logger.error('listing the servers of an account-region failed: its unmanaged servers are unknown this run', {
        accountRegion: `${e.accountId}/${e.region}`,
        accountId: e.accountId,
        region: e.region,
        code: e.code,
        ...(e.stsCode !== undefined ? { stsCode: e.stsCode } : {}),
        error: e.message,
      });
    if (result.listingError) {
      logger.error('enumeration incomplete: listing the documents failed; the next run covers the rest', {
        listingError: result.listingError,
      });
      metrics.addMetric('SweepIncomplete', MetricUnit.Count, 1);
    }
    return result;
  };
  return withObservability(run, deps, 'schedule');
}

let built: ReturnType<typeof createHandler> | undefined;
function build(): ReturnType<typeof createHandler> {
  return createHandler(queueDepsFromEnvironment());
}
export const handler = (event: ScheduledEvent, context: Context): Promise<Enumerated> => (built ??= build())(event, context);
