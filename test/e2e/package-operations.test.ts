// The operations side of the packaged CloudFormation: each stage's metrics, alarms and dashboard
// are its own (dev failures never fire prod alarms); the alarm topic is a parameter with a
// condition, so no empty ARN stands in AlarmActions; log groups and the deployment bucket are
// kept safe; and cfn-lint (the reference linter, not ours) finds no error in either template.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packaged } from '../helpers/package.ts';
import type { Json, Packaged, Template } from '../helpers/package.ts';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:transfer-ops';
// Built once per run; the default (stage dev, no topic) is shared with the other package tests.
const dev = packaged();
const prod = packaged(['--stage', 'prod', `--param=alarmTopicArn=${TOPIC}`]);

const res = (t: Template, id: string) => {
  const r = t.Resources[id];
  assert.ok(r, `resource ${id} missing`);
  return r as Template['Resources'][string] & Json;
};
const ALARMS = ['FailedAlarm', 'DeadLetterQueueAlarm', 'BlockedAlarm', 'QueueAgeAlarm', 'ReconcileDeadLetterAlarm'];

/** Every [Namespace, service] pair an alarm reads (DeadLetterQueueAlarm reads AWS/SQS only). */
function alarmMetrics(t: Template): Array<[unknown, unknown]> {
  const out: Array<[unknown, unknown]> = [];
  for (const id of ALARMS) {
    const p = res(t, id).Properties;
    const metrics = [p, ...((p.Metrics as Json[] | undefined) ?? []).map((m) => (m.MetricStat as Json | undefined)?.Metric as Json)];
    for (const m of metrics) {
      if (!m?.Namespace || m.Namespace === 'AWS/SQS') continue;
      const service = (m.Dimensions as Array<{ Name: string; Value: unknown }>).find((d) => d.Name === 'service');
      out.push([m.Namespace, service?.Value]);
    }
  }
  return out;
}

/** Every [namespace, service] pair of the dashboard's own metrics, with the Fn::Sub variables filled in. */
function dashboardMetrics(t: Template): Array<[unknown, unknown]> {
  const [body, vars] = (res(t, 'Dashboard').Properties.DashboardBody as { 'Fn::Sub': [string, Json] })['Fn::Sub'];
  const text = body.replace(/\$\{([A-Za-z:]+)\}/g, (_, name: string) => (typeof vars[name] === 'string' ? (vars[name] as string) : 'x'));
  const widgets = (JSON.parse(text) as { widgets: Array<{ properties: { metrics: unknown[][] } }> }).widgets;
  return widgets
    .flatMap((w) => w.properties.metrics)
    .filter((m) => typeof m[0] === 'string' && m[0] !== '.' && m[0] !== '...' && m[0] !== 'AWS/SQS')
    .map((m) => [m[0], m[m.indexOf('service') + 1]]);
}

function env(t: Template, fn: string): Json {
  return (res(t, fn).Properties.Environment as { Variables: Json }).Variables;
}

describe('packaged operations settings', () => {
  test('each stage has its own metric namespace and service name: Lambda environment, alarms and dashboard agree', async () => {
    for (const [stage, pkg] of [
      ['dev', await dev],
      ['prod', await prod],
    ] as Array<[string, Packaged]>) {
      const t = pkg.template;
      const namespace = `TransferReconciler-${stage}`;
      const service = `transfer-reconciler-${stage}`;
      for (const fn of ['RouterLambdaFunction', 'WorkerLambdaFunction', 'EnumeratorLambdaFunction']) {
        assert.equal(env(t, fn).POWERTOOLS_METRICS_NAMESPACE, namespace, `${stage} ${fn}`);
        assert.equal(env(t, fn).POWERTOOLS_SERVICE_NAME, service, `${stage} ${fn}`);
      }
      const alarms = alarmMetrics(t);
      assert.equal(alarms.length, 3, 'Failed (event, schedule) and Blocked');
      for (const pair of alarms) assert.deepEqual(pair, [namespace, service], `${stage} alarm`);
      const board = dashboardMetrics(t);
      assert.ok(board.length >= 3);
      for (const pair of board) assert.deepEqual(pair, [namespace, service], `${stage} dashboard`);
    }
  });

  test('alarm topic: a parameter and a condition on its Ref; no empty ARN in any action, both with and without a topic', async () => {
    for (const [pkg, wanted] of [
      [await dev, ''],
      [await prod, TOPIC],
    ] as Array<[Packaged, string]>) {
      const t = pkg.template as Template & { Parameters?: Record<string, Json> };
      assert.deepEqual(
        { Type: t.Parameters?.AlarmTopicArn?.Type, Default: t.Parameters?.AlarmTopicArn?.Default },
        { Type: 'String', Default: wanted },
      );
      assert.deepEqual(t.Conditions?.HasAlarmTopic, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmTopicArn' }, ''] }] });
      const action = { 'Fn::If': ['HasAlarmTopic', [{ Ref: 'AlarmTopicArn' }], { Ref: 'AWS::NoValue' }] };
      for (const id of ALARMS) {
        assert.deepEqual(res(t, id).Properties.AlarmActions, action, id);
        assert.deepEqual(res(t, id).Properties.OKActions, action, id);
      }
      const pattern = new RegExp(String(t.Parameters?.AlarmTopicArn?.AllowedPattern));
      assert.ok(pattern.test(wanted), `the default ${JSON.stringify(wanted)} is allowed`);
    }
  });

  test('log groups are retained (deletion and replacement); the deployment bucket blocks public access and is versioned', async () => {
    const { dir, template: t } = await dev;
    const groups = Object.entries(t.Resources).filter(([, r]) => r.Type === 'AWS::Logs::LogGroup');
    assert.deepEqual(groups.map(([id]) => id).sort(), ['EnumeratorLogGroup', 'RouterLogGroup', 'WorkerLogGroup']);
    for (const [id, g] of groups) {
      assert.deepEqual([(g as Json).DeletionPolicy, (g as Json).UpdateReplacePolicy], ['Retain', 'Retain'], id);
    }
    const create = JSON.parse(readFileSync(join(dir, 'cloudformation-template-create-stack.json'), 'utf8')) as Template;
    for (const tpl of [t, create]) {
      const bucket = res(tpl, 'ServerlessDeploymentBucket').Properties;
      assert.deepEqual(bucket.PublicAccessBlockConfiguration, {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      assert.deepEqual(bucket.VersioningConfiguration, { Status: 'Enabled' });
    }
  });

  // cfn-lint is not in Debian (bookworm) nor reachable on PyPI here; it comes with this kind of
  // machine (pip, on PATH). Its exit status is a bit mask: 2 = errors, 4 = warnings, 8 = info.
  test('cfn-lint finds no error in the packaged templates, with and without an alarm topic', async () => {
    const files: string[] = [];
    for (const pkg of [await dev, await prod]) {
      for (const name of ['cloudformation-template-update-stack.json', 'cloudformation-template-create-stack.json']) {
        files.push(join(pkg.dir, name));
      }
    }
    const run = await new Promise<{ code: number | string | null; out: string }>((done) => {
      execFile('cfn-lint', ['--format', 'parseable', '--', ...files], { encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) =>
        done({ code: err ? (err.code ?? null) : 0, out: `${stdout}${stderr}` }),
      );
    });
    assert.notEqual(run.code, 'ENOENT', 'cfn-lint is not on PATH (pip install cfn-lint)');
    assert.equal(typeof run.code, 'number', run.out);
    const errors = run.out.split('\n').filter((l) => /:E\d{4}:/.test(l));
    assert.deepEqual(errors, []);
    assert.equal(Number(run.code) & ~(4 | 8), 0, `cfn-lint exit ${String(run.code)}:\n${run.out}`);
  });
});
