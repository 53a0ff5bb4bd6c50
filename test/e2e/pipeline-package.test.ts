// The queue pipeline as `osls package` builds it: the FIFO queue and its dead-letter queue, the
// router's rules (CloudTrail patterns that drop failed calls and the reconciler's own roles), the
// worker's event source mapping, the enumerator's schedule, the alarms and dashboard widgets, and
// the switch between the two paths as a stage parameter (never both enabled).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { packaged } from '../helpers/package.ts';
import type { Json, Template } from '../helpers/package.ts';

const dev = packaged();
const switched = packaged(['--param=directTriggers=false', '--param=queueTriggers=true']);

const res = (t: Template, id: string) => {
  const r = t.Resources[id];
  assert.ok(r, `no resource ${id}`);
  return r;
};
const rules = (t: Template) => Object.values(t.Resources).filter((r) => r.Type === 'AWS::Events::Rule');
const rule = (t: Template, description: string) => {
  const found = rules(t).find((r) => r.Properties.Description === description);
  assert.ok(found, `no rule "${description}"`);
  return found.Properties;
};
const targets = (r: Json) => (r.Targets as Json[]).map((x) => ((x.Arn as Json)['Fn::GetAtt'] as string[])[0]);
const ownRoles = [
  { 'Fn::GetAtt': ['WorkerRole', 'Arn'] },
  { 'Fn::GetAtt': ['OnParameterChangeRole', 'Arn'] },
  { 'Fn::GetAtt': ['DriftSweepRole', 'Arn'] },
];
const notOurs = [
  { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ 'anything-but': ownRoles }] } } } },
  { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ exists: false }] } } } },
];

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

  test('router rules: both parameter prefixes, and CloudTrail Transfer and EC2 calls without errorCode, not by our roles', async () => {
    const { template: t } = await dev;
    const transfer = rule(t, 'Transfer API calls that change a server (CloudTrail)');
    assert.deepEqual(transfer.EventPattern, {
      source: ['aws.transfer'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['transfer.amazonaws.com'],
        eventName: [
          'UpdateServer',
          'StartServer',
          'StopServer',
          'TagResource',
          'UntagResource',
          'ImportHostKey',
          'UpdateHostKey',
          'DeleteHostKey',
        ],
        errorCode: [{ exists: false }],
        $or: notOurs,
      },
    });
    const ec2 = rule(t, 'VPC endpoint changes (CloudTrail)');
    assert.deepEqual(ec2.EventPattern, {
      source: ['aws.ec2'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { eventSource: ['ec2.amazonaws.com'], eventName: ['ModifyVpcEndpoint'], errorCode: [{ exists: false }], $or: notOurs },
    });
    const docs = rule(t, 'Desired-state documents changed (queue pipeline)');
    const keys = rule(t, 'Host keys changed (queue pipeline)');
    assert.deepEqual((docs.EventPattern as Json).detail, {
      name: [{ prefix: '/transfer-reconciler/servers/' }],
      operation: ['Create', 'Update', 'Delete', 'LabelParameterVersion'],
    });
    assert.deepEqual(((keys.EventPattern as Json).detail as Json).name, [{ prefix: '/transfer-reconciler/host-keys/' }]);
    for (const r of [transfer, ec2, docs, keys]) assert.deepEqual(targets(r), ['RouterLambdaFunction']);
    const env = (res(t, 'RouterLambdaFunction').Properties.Environment as { Variables: Json }).Variables;
    assert.deepEqual(env.RECONCILE_QUEUE_URL, { Ref: 'ReconcileQueue' });
    assert.deepEqual(env.RECONCILER_ROLE_ARNS, { 'Fn::Join': [',', ownRoles] });
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

  test('the switch: by default only the direct path is triggered; with the parameters flipped only the queue pipeline', async () => {
    const state = (t: Template) => {
      const out: Record<string, string> = {};
      for (const r of rules(t)) out[String(r.Properties.Description)] = String(r.Properties.State);
      const esm = Object.values(t.Resources).find((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
      out.worker = esm?.Properties.Enabled === false ? 'DISABLED' : 'ENABLED';
      return out;
    };
    const queue = [
      'Desired-state documents changed (queue pipeline)',
      'Host keys changed (queue pipeline)',
      'Transfer API calls that change a server (CloudTrail)',
      'VPC endpoint changes (CloudTrail)',
      'Enumerate the documents into the reconcile queue',
      'worker',
    ];
    const direct = ['Desired-state documents changed', 'Host keys changed', 'Drift sweep'];
    const before = state((await dev).template);
    const after = state((await switched).template);
    for (const k of direct) assert.deepEqual([k, before[k], after[k]], [k, 'ENABLED', 'DISABLED']);
    for (const k of queue) assert.deepEqual([k, before[k], after[k]], [k, 'DISABLED', 'ENABLED']);
  });
});
