// SQS FIFO (one message group per server) → one reconcile per group per batch (docs/pipeline.md).
// Each instance paces the hub's API calls at its rate ÷ the event source mapping's
// MaximumConcurrency (workerPacing in lib/config.ts), so all workers together stay under the quota;
// a spoke's account-region has its own rate and bucket, shared by the instances that can be on it
// at once, dropping to rate ÷ MaximumConcurrency after a throttled answer (lib/worker-share.ts). A
// spoke whose role cannot be assumed fails its own servers (AccountRoleUnavailable, metric
// AccountUnreachable); the other groups of the batch go on.
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
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
import { lastLineDimensions, publishLine } from './lib/trigger-metrics.ts';
import { accountsDeps } from './lib/accounts-deps.ts';
import { processBatch } from './lib/worker-batch.ts';
import type { BatchDeps } from './lib/worker-batch.ts';

export interface WorkerDeps extends HandlerDeps, Pick<BatchDeps, 'reconcile'> {
  /** Where failed records are returned early (RECONCILE_QUEUE_URL); without it they wait the visibility timeout. */
  requeue?: { sqs: SQSClient; queueUrl: string };
}

export const WORKER_SESSION_NAME = 'transfer-reconciler-worker';

export function createHandler(deps: WorkerDeps) {
  const { config, logger, metrics } = deps;
  const accounts = accountsDeps(deps, WORKER_SESSION_NAME, { divideByWorkers: true });
  const run = async (event: SQSEvent & { id?: string }, context: Context): Promise<SQSBatchResponse> => {
    const deadline = Date.now() + context.getRemainingTimeInMillis() - config.flushReserveMs;
    // Only a batch with another account's group needs the accounts file (a hub-only deployment reads none).
    if (event.Records.some((r) => (r.attributes.MessageGroupId ?? '').includes('/'))) {
      const view = await accounts.refresh();
      if (view.problem !== undefined) logger.error('accounts file', { problem: view.problem });
    }
    const { response, results } = await processBatch(event, deadline, { ...deps, accountClients: accounts.accountClients });
    const outcomes: Outcome[] = [];
    let bad = 0;
    for (const { group, outcome, error } of results) {
      for (const p of group.problems) logger.error('unreadable message', { groupId: group.groupId, ...p });
      bad += group.problems.length;
      if (group.serverId === undefined) {
        logger.error('message group names no server; deleted', { groupId: group.groupId, problem: group.badGroupId });
        bad += group.problems.length === 0 ? 1 : 0;
      }
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
        ...(group.address?.accountId !== undefined ? { accountId: group.address.accountId, region: group.address.region } : {}),
        records: group.messageIds.length,
        reasons: [...new Set(group.messages.map((m) => m.reason))],
        sources: group.messages.flatMap((m) => (m.source === undefined ? [] : [m.source])),
        result: outcome?.result,
      })),
    });
    await requeueFailed(deps, event, response);
    reportByTrigger(metrics, outcomes, reportUnreachable(deps, outcomes));
    addQueueMetrics(metrics, { Coalesced: event.Records.length - results.length, BadMessage: bad });
    return response;
  };
  return withObservability(run, deps);
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
 * Servers whose account's role could not be assumed: one error line per account (its account id and
 * servers; the message names the role and STS's code) and the metric AccountUnreachable, once per
 * account with an Account dimension (dashboard) and once in total with the Trigger dimension (the alarm).
 */
function reportUnreachable(deps: WorkerDeps, outcomes: readonly Outcome[]): number {
  const { logger, metrics } = deps;
  const failed = outcomes.filter((o) => o.error?.code === 'AccountRoleUnavailable' && o.accountId !== undefined);
  for (const accountId of new Set(failed.map((o) => o.accountId ?? ''))) {
    const here = failed.filter((o) => o.accountId === accountId);
    logger.error('account unreachable', {
      accountUnreachable: accountId,
      servers: here.map((o) => `${o.region ?? ''}/${o.serverId}`),
      error: here[0]?.error?.message,
    });
    publishLine(metrics, { Trigger: 'event', Account: accountId }, () =>
      metrics.addMetric('AccountUnreachable', MetricUnit.Count, here.length),
    );
  }
  const scheduled = failed.filter((o) => o.trigger === 'schedule').length;
  if (scheduled > 0)
    publishLine(metrics, { Trigger: 'schedule' }, () => metrics.addMetric('AccountUnreachable', MetricUnit.Count, scheduled));
  return failed.length - scheduled;
}

/**
 * Outcome metrics by the Trigger of each reconcile: the schedule's as their own EMF line now, the
 * events' (and every other metric of the batch) on the line the middleware flushes at the end.
 */
function reportByTrigger(metrics: Metrics, outcomes: readonly Outcome[], unreachableByEvents: number): void {
  const scheduled = outcomes.filter((o) => o.trigger === 'schedule');
  if (scheduled.length > 0) publishLine(metrics, { Trigger: 'schedule' }, () => addOutcomeMetrics(metrics, scheduled));
  lastLineDimensions(metrics, 'event');
  addOutcomeMetrics(
    metrics,
    outcomes.filter((o) => o.trigger !== 'schedule'),
  );
  if (unreachableByEvents > 0) metrics.addMetric('AccountUnreachable', MetricUnit.Count, unreachableByEvents);
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
