// The queue pipeline as `osls package` builds it: the FIFO queue and its dead-letter queue, the
// worker's event source mapping, the enumerator's schedule, the alarms and dashboard widgets. The
// router's rules are checked against infra/aws/event-rules.json in package.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { packaged } from '../helpers/package.ts';
import type { Json, Template } from '../helpers/package.ts';

const dev = packaged();

const res = (t: Template, id: string) => {
  const r = t.Resources[id];
  assert.ok(r, `no resource ${id}`);
  return r;
};
const rule = (t: Template, description: string) => {
  const found = Object.values(t.Resources).find((r) => r.Type === 'AWS::Events::Rule' && r.Properties.Description === description);
  assert.ok(found, `no rule "${description}"`);
  return found.Properties;
};

describe('the queue pipeline, packaged', () => {
  test('FIFO queue with a FIFO dead-letter queue; visibility ≥ 6 × the worker timeout; no content-based deduplication', async () => {
    const { template: t } = await dev;
    const q = res(t, 'ReconcileQueue').Properties;
    assert.equal(q.FifoQueue, true);
    assert.equal(q.ContentBasedDeduplication, false);
    assert.equal(q.QueueName, 'transfer-reconciler-dev-reconcile.fifo');
    assert.deepEqual(q.RedrivePolicy, { deadLetterTargetArn: { 'Fn::GetAtt': ['ReconcileDeadLetterQueue', 'Arn'] }, maxReceiveCount: 5 });
    const workerTimeout = res(t, 'WorkerLambdaFunction').Properties.Timeout as number;
    assert.ok((q.VisibilityTimeout as number) >= 6 * workerTimeout, `${String(q.VisibilityTimeout)} < 6 × ${workerTimeout}`);
    assert.equal(res(t, 'ReconcileDeadLetterQueue').Properties.FifoQueue, true);
  });

  test('worker: batches of 10 with ReportBatchItemFailures and MaximumConcurrency; enumerator hourly; the same concurrency paces the worker', async () => {
    const { template: t } = await dev;
    const esm = Object.values(t.Resources).find((r) => r.Type === 'AWS::Lambda::EventSourceMapping')?.Properties;
    assert.ok(esm);
    assert.equal(esm.BatchSize, 10);
    assert.deepEqual(esm.FunctionResponseTypes, ['ReportBatchItemFailures']);
    assert.deepEqual(esm.ScalingConfig, { MaximumConcurrency: 4 });
    assert.deepEqual(esm.EventSourceArn, { 'Fn::GetAtt': ['ReconcileQueue', 'Arn'] });
    const env = (res(t, 'WorkerLambdaFunction').Properties.Environment as { Variables: Json }).Variables;
    assert.equal(String(env.WORKER_MAX_CONCURRENCY), '4');
    assert.equal(rule(t, 'Enumerate the documents into the reconcile queue').ScheduleExpression, 'rate(1 hour)');
  });

  test('alarms on the oldest message and on dead letters; dashboard widgets for the queue', async () => {
    const { template: t } = await dev;
    const age = res(t, 'QueueAgeAlarm').Properties;
    assert.equal(age.MetricName, 'ApproximateAgeOfOldestMessage');
    assert.deepEqual(age.Dimensions, [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['ReconcileQueue', 'QueueName'] } }]);
    const dead = res(t, 'ReconcileDeadLetterAlarm').Properties;
    assert.equal(dead.MetricName, 'ApproximateNumberOfMessagesVisible');
    assert.deepEqual(dead.Dimensions, [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['ReconcileDeadLetterQueue', 'QueueName'] } }]);
    assert.equal(dead.Threshold, 0);
    const body = JSON.stringify(res(t, 'Dashboard').Properties.DashboardBody);
    for (const text of ['ApproximateAgeOfOldestMessage', 'ReconcileQueueName', 'Enqueued', 'Coalesced'])
      assert.ok(body.includes(text), text);
  });
});
