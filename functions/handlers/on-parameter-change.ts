// EventBridge "Parameter Store Change" → reconcile the server(s) the parameter belongs to.
// Terminal results (invalid, blocked, not-found, unmanaged) are reported and end here; a failure
// that may pass on retry throws, so Lambda's async retries and then the dead-letter queue take it.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { readConfig } from './lib/config.ts';
import { lambdaClients } from './lib/clients.ts';
import { createObservability, withObservability } from './lib/observability.ts';
import type { HandlerDeps } from './lib/deps.ts';
import type { ParameterChangeEvent } from './lib/parameter-event.ts';
import { reconcileTarget } from './lib/reconcile-target.ts';
import { RetryableFailureError, addOutcomeMetrics, logOutcome, retryableFailures } from './lib/report.ts';

export function createHandler(deps: HandlerDeps) {
  const run = async (event: ParameterChangeEvent, context: Context): Promise<{ results: string[] }> => {
    const deadline = Date.now() + context.getRemainingTimeInMillis() - deps.config.flushReserveMs;
    const handled = await reconcileTarget(event, deadline, deps);
    if (handled.ignored !== undefined) {
      deps.logger.info('ignored', { reason: handled.ignored, parameter: event.detail?.name });
      deps.metrics.addMetric('Ignored', MetricUnit.Count, 1);
      return { results: [] };
    }
    if (handled.outcomes.length === 0) deps.logger.info('no server references the parameter', { parameter: event.detail.name });
    for (const o of handled.outcomes) logOutcome(deps.logger, o);
    addOutcomeMetrics(deps.metrics, handled.outcomes);
    const retry = retryableFailures(handled.outcomes);
    if (retry.length > 0) throw new RetryableFailureError(retry);
    return { results: handled.outcomes.map((o) => `${o.serverId}: ${o.result}`) };
  };
  return withObservability(run, deps, 'event');
}

const config = readConfig();
export const handler = createHandler({ config, clients: lambdaClients(config), ...createObservability() });
