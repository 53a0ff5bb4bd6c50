// Schedule → one reconcile message per document on the FIFO queue (the workers do the reconciles),
// plus the servers without a document reported `unmanaged`. Nothing is thrown for a partial run:
// the next tick is the retry, and every event-driven change has its own message meanwhile.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { accountsCache } from './lib/accounts-cache.ts';
import { enumerate } from './lib/enumerate.ts';
import type { Enumerated } from './lib/enumerate.ts';
import { withObservability } from './lib/observability.ts';
import { queueDepsFromEnvironment } from './lib/queue-deps.ts';
import type { QueueDeps } from './lib/queue-deps.ts';
import { addQueueMetrics, logSend } from './lib/queue-report.ts';
import { addOutcomeMetrics, logOutcome } from './lib/report.ts';

export function createHandler(deps: QueueDeps) {
  const { logger, metrics } = deps;
  const accounts = deps.accounts ?? accountsCache(deps.clients.ssm, deps.config.accountsParameter);
  const run = async (event: ScheduledEvent, _context: Context): Promise<Enumerated> => {
    const view = await accounts.get();
    if (view.problem !== undefined) logger.error('accounts file', { problem: view.problem });
    const result = await enumerate(event, { ...deps, ...(view.accounts ? { accountsFile: view.accounts } : {}) });
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
    logger.info('enumeration summary', { summary: { ...summary, unmanaged: unmanaged.map((o) => o.serverId) } });
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
