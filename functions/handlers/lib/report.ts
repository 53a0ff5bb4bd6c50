// What a Lambda says about its outcomes: one structured log line per outcome (the outcome record
// of desired-state.md is the payload) and counters for CloudWatch. Counts are summed per
// invocation and added once each, so a sweep of thousands of servers is one small EMF line.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Outcome } from '../../reconciler/types.ts';

export const METRIC_NAMES = [
  'Reconciles',
  'DriftDetected',
  'UpdatesApplied',
  'Blocked',
  'Invalid',
  'Failed',
  'Throttled',
  'Unmanaged',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/**
 * Reconciles: every server reconciled (not the unmanaged ones, which are only reported). DriftDetected: the server differed from its
 * document (whether or not it was fixed). UpdatesApplied: fixed and verified. Throttled: calls that
 * were still throttled after the SDK's retries — the sign that the pacing rates are too high.
 */
export function outcomeMetrics(outcomes: readonly Outcome[]): Record<MetricName, number> {
  const m: Record<MetricName, number> = {
    Reconciles: 0,
    DriftDetected: 0,
    UpdatesApplied: 0,
    Blocked: 0,
    Invalid: 0,
    Failed: 0,
    Throttled: 0,
    Unmanaged: 0,
  };
  for (const o of outcomes) {
    if (o.result !== 'unmanaged') m.Reconciles += 1;
    if (o.changes.length > 0 && o.result !== 'invalid') m.DriftDetected += 1;
    if (o.result === 'updated') m.UpdatesApplied += 1;
    if (o.result === 'blocked') m.Blocked += 1;
    if (o.result === 'invalid') m.Invalid += 1;
    if (o.result === 'failed') m.Failed += 1;
    if (o.result === 'unmanaged') m.Unmanaged += 1;
    m.Throttled += o.throttled ?? 0;
  }
  return m;
}

export function addOutcomeMetrics(metrics: Metrics, outcomes: readonly Outcome[]): void {
  for (const [name, value] of Object.entries(outcomeMetrics(outcomes))) metrics.addMetric(name, MetricUnit.Count, value);
}

export function logOutcome(logger: Logger, outcome: Outcome): void {
  const attributes = { serverId: outcome.serverId, result: outcome.result, outcome };
  if (outcome.result === 'failed') logger.error('outcome', attributes);
  else if (outcome.result === 'blocked' || outcome.result === 'invalid' || outcome.result === 'not-found')
    logger.warn('outcome', attributes);
  else logger.info('outcome', attributes);
}

/** Lambda's asynchronous retries (and then the dead-letter queue) take over from here. */
export class RetryableFailureError extends Error {
  readonly serverIds: string[];
  constructor(failed: readonly Outcome[]) {
    super(
      `reconcile failed and may succeed on retry: ${failed.map((o) => `${o.serverId} (${o.error?.code ?? 'unknown'}: ${o.error?.message ?? ''})`).join('; ')}`,
    );
    this.name = 'RetryableFailureError';
    this.serverIds = failed.map((o) => o.serverId);
  }
}

export function retryableFailures(outcomes: readonly Outcome[]): Outcome[] {
  return outcomes.filter((o) => o.result === 'failed' && o.error?.retryable === true);
}
