// Schedule → reconcile every document under the prefix (the backstop for lost or best-effort
// events, and for drift made behind our back), paced under the API rates and stopped before the
// Lambda deadline. Per-server results are reported, never thrown: the next run retries them.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { sweep } from '../reconciler/sweep.ts';
import type { SweepSummary } from '../reconciler/sweep.ts';
import { readConfig } from './lib/config.ts';
import { lambdaClients } from './lib/clients.ts';
import { createObservability, withObservability } from './lib/observability.ts';
import type { HandlerDeps } from './lib/deps.ts';
import { addOutcomeMetrics, logOutcome } from './lib/report.ts';

export function createHandler(deps: HandlerDeps) {
  const { config, clients, logger, metrics, clock } = deps;
  const run = async (_event: ScheduledEvent, context: Context): Promise<SweepSummary> => {
    const deadline = Date.now() + context.getRemainingTimeInMillis() - config.flushReserveMs;
    const { outcomes, summary } = await sweep({
      clients,
      prefix: config.prefix,
      deadline,
      stopStartingAt: deadline - config.stopMarginMs,
      concurrency: config.concurrency,
      offlineWindowMs: config.offlineWindowMs,
      ...(clock ? { clock } : {}),
      ...(config.mode === 'detect' ? { modeOverride: 'detect' as const } : {}),
      onOutcome: (o) => logOutcome(logger, o),
    });
    addOutcomeMetrics(metrics, outcomes);
    logger.info('sweep summary', { summary });
    if (summary.listingError) {
      // Not thrown: the next scheduled run is the retry, and a transient throttle is no dead letter.
      logger.error('sweep incomplete: listing the documents failed; the next run covers the rest', { listingError: summary.listingError });
      metrics.addMetric('SweepIncomplete', MetricUnit.Count, 1);
    }
    return summary;
  };
  return withObservability(run, deps, 'schedule');
}

const config = readConfig();
export const handler = createHandler({ config, clients: lambdaClients(config), ...createObservability() });
