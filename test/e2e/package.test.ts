// `osls package` offline, as `npm run package` runs it, on a machine with no AWS credentials
// (AWS_* removed, HOME an empty folder), then the CloudFormation it writes: exactly the pipeline's
// three functions (router, worker, enumerator) and nothing of the direct path, their triggers
// always enabled (the router's rules from infra/aws/event-rules.json, the worker's event source
// mapping, the enumerator's schedule), async-invocation settings, alarms and dashboard naming only
// what exists, stage parameters, and the bundles. Each role's statements: package-roles.test.ts;
// the bundles run against the emulator: package-bundles.test.ts.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, packaged, zipEntries } from '../helpers/package.ts';
import type { Json, Template } from '../helpers/package.ts';

let out: string;
let cf: Template;
let prod: Template;
before(async () => {
  const [dev, prodPackage] = await Promise.all([
    packaged(),
    packaged([
      '--stage',
      'prod',
      '--region',
      'eu-west-1',
      '--param=desiredStatePath=/acme/sftp/desired',
      '--param=hostKeyPath=/acme/sftp/keys',
      '--param=enumeratorSchedule=rate(2 hours)',
      '--param=workerMaxConcurrency=9',
      '--param=passRolePrefix=acme-transfer-',
    ]),
  ]);
  ({ dir: out, template: cf } = dev);
  prod = prodPackage.template;
});

const res = (t: Template, id: string) => {
  const r = t.Resources[id];
  assert.ok(r, `resource ${id} missing`);
  return r;
};
const byType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
const env = (t: Template, fn: string) => (res(t, fn).Properties.Environment as { Variables: Json }).Variables;
const FUNCTIONS = ['RouterLambdaFunction', 'WorkerLambdaFunction', 'EnumeratorLambdaFunction'];
const RULES = ['documentChanges', 'hostKeyChanges', 'serverApiCalls'] as const;

function rule(t: Template, description: string): Json {
  const found = byType(t, 'AWS::Events::Rule').find(([, r]) => r.Properties.Description === description);
  assert.ok(found, `no rule "${description}"`);
  return found[1].Properties;
}
const targets = (r: Json) => (r.Targets as Json[]).map((x) => x.Arn);

/** event-rules.json with the stage parameters filled in, as osls resolves ${param:…}. */
function patterns(docs: string, keys: string): Record<(typeof RULES)[number], Json> {
  const text = readFileSync(join(ROOT, 'infra/aws/event-rules.json'), 'utf8')
    .replaceAll('${param:desiredStatePath}', docs)
    .replaceAll('${param:hostKeyPath}', keys);
  return JSON.parse(text) as Record<(typeof RULES)[number], Json>;
}

describe('osls package (offline, no credentials)', () => {
  test('exactly the three pipeline functions: Node 24 on arm64, their own role, memory, timeouts', () => {
    assert.deepEqual(
      byType(cf, 'AWS::Lambda::Function')
        .map(([id]) => id)
        .sort(),
      [...FUNCTIONS].sort(),
    );
    assert.deepEqual(
      byType(cf, 'AWS::IAM::Role')
        .map(([id]) => id)
        .sort(),
      ['EnumeratorRole', 'RouterRole', 'WorkerRole'],
      'no role of the direct path, no shared role',
    );
    assert.equal(cf.Resources.IamRoleLambdaExecution, undefined);
    const [router, worker, enumerator] = FUNCTIONS.map((id) => res(cf, id).Properties) as [Json, Json, Json];
    for (const [p, file, role] of [
      [router, 'router', 'RouterRole'],
      [worker, 'worker', 'WorkerRole'],
      [enumerator, 'enumerator', 'EnumeratorRole'],
    ] as const) {
      assert.equal(p.Runtime, 'nodejs24.x');
      assert.deepEqual(p.Architectures, ['arm64']);
      assert.equal(p.MemorySize, 256);
      assert.equal(p.Handler, `functions/handlers/${file}.handler`);
      assert.deepEqual(p.Role, { 'Fn::GetAtt': [role, 'Arn'] });
    }
    assert.deepEqual([router.Timeout, worker.Timeout, enumerator.Timeout], [60, 600, 300]);
    assert.equal(enumerator.ReservedConcurrentExecutions, 1, 'one enumeration at a time');
    for (const fn of FUNCTIONS) {
      const vars = env(cf, fn);
      assert.equal(vars.DESIRED_STATE_PREFIX, '/transfer-reconciler/servers/', fn);
      assert.equal(vars.HOST_KEY_PREFIX, '/transfer-reconciler/host-keys/', fn);
      assert.equal(vars.DEFAULT_MODE, 'enforce', fn);
      assert.deepEqual(vars.RECONCILE_QUEUE_URL, { Ref: 'ReconcileQueue' }, fn);
      assert.equal(vars.SWEEP_STOP_MARGIN_MS, undefined, fn);
    }
  });

  test("the router's three rules are event-rules.json's patterns, enabled, and its own writes are the worker's role and the spoke role", () => {
    const want = patterns('/transfer-reconciler/servers', '/transfer-reconciler/host-keys');
    const rules = byType(cf, 'AWS::Events::Rule').filter(([, r]) => r.Properties.EventPattern !== undefined);
    assert.equal(rules.length, 3);
    assert.deepEqual(
      rules.map(([, r]) => r.Properties.EventPattern),
      RULES.map((name) => want[name]),
    );
    for (const [, r] of rules) {
      assert.equal(r.Properties.State, 'ENABLED');
      assert.deepEqual(targets(r.Properties), [{ 'Fn::GetAtt': ['RouterLambdaFunction', 'Arn'] }]);
    }
    // The worker's role here, and the spoke role (by name, any account) whose sessions the worker writes with in a spoke.
    assert.deepEqual(env(cf, 'RouterLambdaFunction').RECONCILER_ROLE_ARNS, {
      'Fn::Join': [',', [{ 'Fn::GetAtt': ['WorkerRole', 'Arn'] }, 'transfer-reconciler-spoke']],
    });
    assert.ok(!JSON.stringify(cf).includes('OnParameterChange') && !JSON.stringify(cf).includes('DriftSweep'));
  });

  test("the worker's event source mapping and the enumerator's schedule are enabled", () => {
    const esm = byType(cf, 'AWS::Lambda::EventSourceMapping');
    assert.equal(esm.length, 1);
    const p = esm[0]?.[1].Properties ?? {};
    assert.notEqual(p.Enabled, false);
    assert.deepEqual(p.FunctionName, { 'Fn::GetAtt': ['WorkerLambdaFunction', 'Arn'] });
    assert.deepEqual(p.EventSourceArn, { 'Fn::GetAtt': ['ReconcileQueue', 'Arn'] });
    const schedules = byType(cf, 'AWS::Events::Rule').filter(([, r]) => r.Properties.ScheduleExpression !== undefined);
    assert.equal(schedules.length, 1, 'one schedule: the enumerator');
    const sched = rule(cf, 'Enumerate the documents into the reconcile queue');
    assert.equal(sched.ScheduleExpression, 'rate(1 hour)');
    assert.equal(sched.State, 'ENABLED');
    assert.deepEqual(targets(sched), [{ 'Fn::GetAtt': ['EnumeratorLambdaFunction', 'Arn'] }]);
  });

  test('asynchronous invocation (router, enumerator): bounded retries, on-failure destination the dead-letter queue', () => {
    const dlq = { Destination: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } };
    const confs = byType(cf, 'AWS::Lambda::EventInvokeConfig').map(([id]) => id);
    assert.deepEqual(confs.sort(), ['EnumeratorLambdaEvConf', 'RouterLambdaEvConf']);
    assert.deepEqual(res(cf, 'RouterLambdaEvConf').Properties, {
      FunctionName: { Ref: 'RouterLambdaFunction' },
      DestinationConfig: { OnFailure: dlq },
      Qualifier: '$LATEST',
      MaximumEventAgeInSeconds: 3600,
      MaximumRetryAttempts: 2,
    });
    assert.deepEqual(res(cf, 'EnumeratorLambdaEvConf').Properties, {
      FunctionName: { Ref: 'EnumeratorLambdaFunction' },
      DestinationConfig: { OnFailure: dlq },
      Qualifier: '$LATEST',
      MaximumEventAgeInSeconds: 60,
      MaximumRetryAttempts: 0,
    });
    const q = res(cf, 'DeadLetterQueue');
    assert.equal(q.Properties.MessageRetentionPeriod, 1209600);
    assert.equal(q.Properties.SqsManagedSseEnabled, true);
  });

  test('alarms: Failed > 0 by trigger, Blocked on the schedule over two hourly enumerations, both dead-letter queues, queue age', () => {
    const alarms = byType(cf, 'AWS::CloudWatch::Alarm').map(([id]) => id);
    assert.deepEqual(alarms.sort(), [
      'AccountUnreachableAlarm',
      'BlockedAlarm',
      'DeadLetterQueueAlarm',
      'FailedAlarm',
      'QueueAgeAlarm',
      'ReconcileDeadLetterAlarm',
    ]);
    const unreachable = res(cf, 'AccountUnreachableAlarm').Properties;
    assert.deepEqual([unreachable.ComparisonOperator, unreachable.Threshold], ['GreaterThanThreshold', 0]);
    assert.deepEqual(
      (unreachable.Metrics as Array<{ MetricStat?: { Metric: { MetricName: string; Dimensions: Json[] } } }>)
        .filter((m) => m.MetricStat)
        .map((m) => [m.MetricStat?.Metric.MetricName, m.MetricStat?.Metric.Dimensions[1]]),
      [
        ['AccountUnreachable', { Name: 'Trigger', Value: 'event' }],
        ['AccountUnreachable', { Name: 'Trigger', Value: 'schedule' }],
      ],
    );
    const failed = res(cf, 'FailedAlarm').Properties;
    assert.deepEqual([failed.ComparisonOperator, failed.Threshold], ['GreaterThanThreshold', 0]);
    const ids = failed.Metrics as Array<{ MetricStat?: { Metric: { MetricName: string; Dimensions: Json[] } } }>;
    assert.deepEqual(
      ids.filter((m) => m.MetricStat).map((m) => [m.MetricStat?.Metric.MetricName, m.MetricStat?.Metric.Dimensions[1]]),
      [
        ['Failed', { Name: 'Trigger', Value: 'event' }],
        ['Failed', { Name: 'Trigger', Value: 'schedule' }],
      ],
    );
    const blocked = res(cf, 'BlockedAlarm').Properties;
    assert.equal(blocked.MetricName, 'Blocked');
    assert.deepEqual((blocked.Dimensions as Json[])[1], { Name: 'Trigger', Value: 'schedule' });
    // Each period holds one hourly enumeration; two periods with Blocked > 0 are two runs an hour apart.
    assert.equal(blocked.Period, 3600);
    assert.deepEqual([blocked.EvaluationPeriods, blocked.DatapointsToAlarm], [3, 2]);
    for (const [id, queue] of [
      ['DeadLetterQueueAlarm', 'DeadLetterQueue'],
      ['ReconcileDeadLetterAlarm', 'ReconcileDeadLetterQueue'],
    ] as const) {
      const p = res(cf, id).Properties;
      assert.deepEqual(
        [p.Namespace, p.MetricName, p.Threshold, p.ComparisonOperator],
        ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 0, 'GreaterThanThreshold'],
      );
      assert.deepEqual(p.Dimensions, [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }]);
    }
    assert.equal(res(cf, 'QueueAgeAlarm').Properties.MetricName, 'ApproximateAgeOfOldestMessage');
  });

  test('the dashboard names only metrics the pipeline publishes and queues that exist', () => {
    const [body, vars] = (res(cf, 'Dashboard').Properties.DashboardBody as { 'Fn::Sub': [string, Json] })['Fn::Sub'];
    const names = new Set(['Enqueued', 'Ignored', 'Coalesced', 'EnqueueFailed', 'BadMessage', 'SweepIncomplete']);
    for (const n of ['Reconciles', 'DriftDetected', 'UpdatesApplied', 'Blocked', 'Invalid', 'Failed', 'Throttled', 'Unmanaged'])
      names.add(n);
    const widgets = (JSON.parse(body.replace(/\$\{[A-Za-z:]+\}/g, 'x')) as { widgets: Array<{ properties: { metrics: unknown[][] } }> })
      .widgets;
    const rows = widgets.flatMap((w) => w.properties.metrics);
    let namespace = '';
    for (const row of rows) {
      if (row[0] !== '.' && row[0] !== '...') namespace = String(row[0]);
      const metric = row[0] === '...' ? undefined : row[1];
      if (metric !== undefined && namespace !== 'AWS/SQS') assert.ok(names.has(String(metric)), `dashboard metric ${String(metric)}`);
    }
    for (const v of Object.values(vars)) {
      const att = (v as Json)['Fn::GetAtt'] as string[] | undefined;
      if (att) assert.equal(res(cf, att[0] ?? '').Type, 'AWS::SQS::Queue');
    }
    assert.ok(body.includes('DriftDetected') && body.includes('UpdatesApplied'));
  });

  test('stage parameters flow into patterns, schedule, environment and the event source mapping', () => {
    const want = patterns('/acme/sftp/desired', '/acme/sftp/keys');
    assert.deepEqual(rule(prod, 'Desired-state documents changed').EventPattern, want.documentChanges);
    assert.deepEqual(rule(prod, 'Host keys changed').EventPattern, want.hostKeyChanges);
    assert.equal(rule(prod, 'Enumerate the documents into the reconcile queue').ScheduleExpression, 'rate(2 hours)');
    assert.equal(String(env(prod, 'WorkerLambdaFunction').WORKER_MAX_CONCURRENCY), '9');
    const esm = byType(prod, 'AWS::Lambda::EventSourceMapping')[0]?.[1].Properties;
    assert.deepEqual(esm?.ScalingConfig, { MaximumConcurrency: 9 });
    for (const fn of FUNCTIONS) {
      assert.equal(env(prod, fn).DESIRED_STATE_PREFIX, '/acme/sftp/desired/');
      assert.equal(env(prod, fn).HOST_KEY_PREFIX, '/acme/sftp/keys/');
    }
  });

  // 1.5 MB: the EC2 client (security groups on the VPC endpoint) doubled the bundle from ~0.5 MB; its
  // cold-start cost is measured by `npm run bench` (cold-start), not asserted here.
  test('one minified bundle per function, with its source map, under 1.5 MB', (t) => {
    for (const fn of ['router', 'worker', 'enumerator']) {
      const entries = zipEntries(join(out, `${fn}.zip`));
      assert.deepEqual(entries.map((e) => e.name).sort(), [`functions/handlers/${fn}.mjs`, `functions/handlers/${fn}.mjs.map`]);
      const bundle = entries.find((e) => e.name.endsWith('.mjs'));
      assert.ok(bundle && bundle.size < 1_500_000, `${fn} bundle is ${bundle?.size} bytes`);
      t.diagnostic(`${fn}: bundle ${bundle.size} bytes`);
    }
  });
});
