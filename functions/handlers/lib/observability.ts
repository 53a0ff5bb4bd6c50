// Powertools Logger (structured JSON, the EventBridge event id as correlation id) and Metrics
// (CloudWatch EMF, dimension Trigger), wired into a middy handler. Namespace and service name
// come from POWERTOOLS_METRICS_NAMESPACE / POWERTOOLS_SERVICE_NAME when set (per stage, from
// serverless.yml); the constants below are only the fallback when they are unset or empty.
import middy from '@middy/core';
import type { MiddyfiedHandler } from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import type { Trigger } from '../../reconciler/types.ts';

export const SERVICE_NAME = 'transfer-reconciler';
export const METRICS_NAMESPACE = 'TransferReconciler';

export interface Observability {
  logger: Logger;
  metrics: Metrics;
}

/** A constructor option beats Powertools' environment variables, so pass the environment's value. */
export function createObservability(env: NodeJS.ProcessEnv = process.env): Observability {
  const serviceName = env.POWERTOOLS_SERVICE_NAME?.trim() || SERVICE_NAME;
  const namespace = env.POWERTOOLS_METRICS_NAMESPACE?.trim() || METRICS_NAMESPACE;
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace, serviceName }),
  };
}

/**
 * `run` wrapped by middy: Lambda context in every log line, the event's id as correlation id,
 * keys reset between invocations, and the metrics flushed as one EMF line after success or error.
 */
export function withObservability<E extends { id?: string }, R>(
  run: (event: E, context: Context) => Promise<R>,
  obs: Observability,
  /** The default Trigger dimension; none for the worker, whose lines each carry their own (lib/trigger-metrics.ts). */
  trigger?: Trigger,
): MiddyfiedHandler<E, R, Error, Context> {
  // Set once per handler, not per invocation: logMetrics' defaultDimensions would add Trigger again
  // on every warm invocation and Powertools warns each time ("already been added").
  if (trigger !== undefined) obs.metrics.setDefaultDimensions({ Trigger: trigger });
  return middy<E, R, Error, Context>(run)
    .use(injectLambdaContext(obs.logger, { resetKeys: true }))
    .use({
      before: (request) => {
        if (request.event.id) obs.logger.setCorrelationId(request.event.id);
      },
    })
    .use(logMetrics(obs.metrics));
}
