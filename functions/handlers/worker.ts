// SQS FIFO (one message group per server) → one reconcile per group per batch (docs/pipeline.md).
// Each instance paces its API calls at the account's rate ÷ the event source mapping's
// MaximumConcurrency (workerPacing in lib/config.ts), so all workers together stay under the quota.
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { queueClient } from '../reconciler/aws/clients.ts';
import { returnAfter } from '../reconciler/aws/sqs-api.ts';
import type { Outcome } from '../reconciler/types.ts';
import { readConfig, retryDelaySeconds, workerPacing } from './lib/config.ts';
import { lambdaClients } from './lib/clients.ts';
import type { HandlerDeps } from './lib/deps.ts';
import { createObservability, withObservability } from './lib/observability.ts';
import { addQueueMetrics } from './lib/queue-report.ts';
import { addOutcomeMetrics, logOutcome } from './lib/report.ts';
import { processBatch } from './lib/worker-batch.ts';
import type { BatchDeps } from './lib/worker-batch.ts';

export interface WorkerDeps extends HandlerDeps, Pick<BatchDeps, 'reconcile'> {
  /** Where failed records are returned early (RECONCILE_QUEUE_URL); without it they wait the visibility timeout. */
  requeue?: { sqs: SQSClient; queueUrl: string };
}

export function createHandler(deps: WorkerDeps) {
  const { config, logger, metrics } = deps;
  const run = async (event: SQSEvent & { id?: string }, context: Context): Promise<SQSBatchResponse> => {
    const deadline = Date.now() + context.getRemainingTimeInMillis() - config.flushReserveMs;
    const { response, results } = await processBatch(event, deadline, deps);
    const outcomes: Outcome[] = [];
    let bad = 0;
    for (const { group, outcome, error } of results) {
      for (const p of group.problems) logger.error('unreadable message', { groupId: group.groupId, ...p });
      bad += group.problems.length;
      if (group.serverId === undefined) logger.error('message group names no server; deleted', { groupId: group.groupId });
      if (error !== undefined) logger.error('reconcile threw; the group goes back to the queue', { groupId: group.groupId, error });
      if (outcome === undefined) continue;
      outcomes.push(outcome);
      logOutcome(logger, outcome);
    }
    logger.info('batch', {
      records: event.Records.length,
      failedRecords: response.batchItemFailures.length,
      groups: results.map(({ group, outcome }) => ({
        serverId: group.serverId,
        records: group.messageIds.length,
        reasons: [...new Set(group.messages.map((m) => m.reason))],
        sources: group.messages.flatMap((m) => (m.source === undefined ? [] : [m.source])),
        result: outcome?.result,
      })),
    });
    await requeueFailed(deps, event, response);
    reportByTrigger(metrics, outcomes);
    addQueueMetrics(metrics, { Coalesced: event.Records.length - results.length, BadMessage: bad });
    return response;
  };
  return withObservability(run, deps, 'event');
}

/** A retryable failure comes back after the backoff for its receive count, not the whole visibility timeout. */
async function requeueFailed(deps: WorkerDeps, event: SQSEvent, response: SQSBatchResponse): Promise<void> {
  if (deps.requeue === undefined || response.batchItemFailures.length === 0) return;
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  const entries = event.Records.filter((r) => failed.has(r.messageId)).map((r) => ({
    receiptHandle: r.receiptHandle,
    seconds: retryDelaySeconds(deps.config, Number(r.attributes.ApproximateReceiveCount)),
  }));
  try {
    const notChanged = await returnAfter(deps.requeue.sqs, deps.requeue.queueUrl, entries);
    deps.logger.info('returned to the queue', { records: entries.length, notChanged, delays: entries.map((e) => e.seconds) });
  } catch (error) {
    deps.logger.warn('could not shorten the retry delay; the records return after the visibility timeout', { error });
  }
}

/**
 * One batch mixes event and schedule reconciles; the alarms read outcome metrics by Trigger (Blocked
 * on the schedule's), so schedule outcomes are published as their own EMF line with Trigger=schedule.
 */
function reportByTrigger(metrics: Metrics, outcomes: readonly Outcome[]): void {
  const scheduled = outcomes.filter((o) => o.trigger === 'schedule');
  if (scheduled.length > 0) {
    metrics.setDefaultDimensions({ Trigger: 'schedule' });
    try {
      addOutcomeMetrics(metrics, scheduled);
      metrics.publishStoredMetrics();
    } finally {
      metrics.setDefaultDimensions({ Trigger: 'event' });
    }
  }
  addOutcomeMetrics(
    metrics,
    outcomes.filter((o) => o.trigger !== 'schedule'),
  );
}

let built: ReturnType<typeof createHandler> | undefined;
function build(): ReturnType<typeof createHandler> {
  const config = readConfig();
  const sqs = config.queueUrl === undefined ? undefined : queueClient(config.endpointUrl ? { endpointUrl: config.endpointUrl } : {});
  return createHandler({
    config,
    clients: lambdaClients(workerPacing(config)),
    ...(sqs && config.queueUrl ? { requeue: { sqs, queueUrl: config.queueUrl } } : {}),
    ...createObservability(),
  });
}
export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => (built ??= build())(event, context);
