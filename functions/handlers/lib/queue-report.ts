// What the pipeline's Lambdas say beyond the outcomes (those go through report.ts): messages
// enqueued, events dropped and why, messages coalesced into one reconcile, sends that failed.
// Counters are summed per invocation and added once each, as report.ts does.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SendReport } from '../../reconciler/aws/sqs-api.ts';

/**
 * Enqueued: messages sent. Ignored: events that asked for nothing (failed calls, our own writes,
 * names outside the prefixes). Coalesced: records served by another record's reconcile in the same
 * batch. EnqueueFailed: messages not sent after retries. BadMessage: bodies that could not be read.
 */
export const QUEUE_METRIC_NAMES = ['Enqueued', 'Ignored', 'Coalesced', 'EnqueueFailed', 'BadMessage'] as const;
export type QueueMetricName = (typeof QUEUE_METRIC_NAMES)[number];

export function addQueueMetrics(metrics: Metrics, counts: Partial<Record<QueueMetricName, number>>): void {
  for (const [name, value] of Object.entries(counts)) if (value !== undefined) metrics.addMetric(name, MetricUnit.Count, value);
}

/** A send that left messages unsent is an error line naming the servers (the sweep will pick them up). */
export function logSend(logger: Logger, send: SendReport | undefined, context: Record<string, unknown>): void {
  if (send === undefined) return;
  if (send.failed.length > 0) logger.error('enqueue failed', { ...context, sent: send.sent, failed: send.failed });
  else logger.info('enqueued', { ...context, sent: send.sent });
}
