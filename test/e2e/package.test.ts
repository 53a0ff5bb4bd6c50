// `osls package` offline, as `npm run package` runs it, on a machine with no AWS credentials
// (AWS_* removed, HOME an empty folder), then the CloudFormation it writes: functions, event
// patterns, schedule, async-invocation settings, every IAM statement of each function's role,
// alarms, dashboard, and the bundles.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatorForTests, ssmClient } from '../helpers/emulator.ts';
import { packaged, zipEntries } from '../helpers/package.ts';
import type { Json, Template } from '../helpers/package.ts';

// The default package is shared with the other tests that read it (built once per run).
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
      '--param=sweepSchedule=rate(15 minutes)',
      '--param=eventConcurrency=9',
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
const sub = (s: string) => ({ 'Fn::Sub': s });
const ARN = 'arn:${AWS::Partition}';
const ACCT = '${AWS::Region}:${AWS::AccountId}';

function statements(t: Template, roleId: string): Json[] {
  const policies = res(t, roleId).Properties.Policies as Array<{ PolicyDocument: { Statement: Json[] } }>;
  assert.equal(policies.length, 1);
  return policies[0]?.PolicyDocument.Statement ?? [];
}

function expectedStatements(
  fn: 'onParameterChange' | 'driftSweep',
  paths = { docs: '/transfer-reconciler/servers', keys: '/transfer-reconciler/host-keys', passRole: 'transfer-reconciler/', stage: 'dev' },
): Json[] {
  const list =
    fn === 'driftSweep' ? [{ Sid: 'ListServersForUnmanaged', Effect: 'Allow', Action: ['transfer:ListServers'], Resource: '*' }] : [];
  return [
    {
      Sid: 'OwnLogGroup',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: sub(`${ARN}:logs:${ACCT}:log-group:/aws/lambda/transfer-reconciler-${paths.stage}-${fn}:*`),
    },
    {
      Sid: 'TransferServers',
      Effect: 'Allow',
      Action: [
        'transfer:DescribeServer',
        'transfer:UpdateServer',
        'transfer:StartServer',
        'transfer:StopServer',
        'transfer:TagResource',
        'transfer:UntagResource',
      ],
      Resource: sub(`${ARN}:transfer:${ACCT}:server/*`),
    },
    {
      Sid: 'TransferHostKeys',
      Effect: 'Allow',
      Action: ['transfer:ListHostKeys', 'transfer:ImportHostKey', 'transfer:UpdateHostKey', 'transfer:DeleteHostKey'],
      Resource: [sub(`${ARN}:transfer:${ACCT}:server/*`), sub(`${ARN}:transfer:${ACCT}:host-key/*`)],
    },
    { Sid: 'VpcEndpointSecurityGroupsRead', Effect: 'Allow', Action: ['ec2:DescribeVpcEndpoints'], Resource: '*' },
    {
      Sid: 'VpcEndpointSecurityGroupsWrite',
      Effect: 'Allow',
      Action: ['ec2:ModifyVpcEndpoint'],
      Resource: [sub(`${ARN}:ec2:${ACCT}:vpc-endpoint/*`), sub(`${ARN}:ec2:${ACCT}:security-group/*`)],
    },
    ...list,
    {
      Sid: 'DesiredStateAndHostKeys',
      Effect: 'Allow',
      Action: ['ssm:GetParameter', 'ssm:GetParametersByPath'],
      Resource: [paths.docs, `${paths.docs}/*`, paths.keys, `${paths.keys}/*`].map((p) => sub(`${ARN}:ssm:${ACCT}:parameter${p}`)),
    },
    {
      Sid: 'RecordedHostKeyFingerprints',
      Effect: 'Allow',
      Action: ['ssm:ListTagsForResource'],
      Resource: sub(`${ARN}:ssm:${ACCT}:parameter${paths.keys}/*`),
    },
    {
      Sid: 'HostKeysInSecretsManagerViaParameterStore',
      Effect: 'Allow',
      Action: ['ssm:GetParameter'],
      Resource: sub(`${ARN}:ssm:${ACCT}:parameter/aws/reference/secretsmanager/transfer-reconciler/host-keys/*`),
    },
    {
      Sid: 'HostKeySecrets',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue'],
      Resource: sub(`${ARN}:secretsmanager:${ACCT}:secret:transfer-reconciler/host-keys/*`),
    },
    {
      Sid: 'DecryptThroughParameterStoreOnly',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: sub(`${ARN}:kms:${ACCT}:key/*`),
      Condition: {
        StringEquals: { 'kms:ViaService': [sub('ssm.${AWS::Region}.amazonaws.com'), sub('secretsmanager.${AWS::Region}.amazonaws.com')] },
      },
    },
    {
      Sid: 'PassDocumentRolesToTransfer',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: sub(`${ARN}:iam::\${AWS::AccountId}:role/${paths.passRole}*`),
      Condition: { StringEquals: { 'iam:PassedToService': 'transfer.amazonaws.com' } },
    },
    { Sid: 'OnFailureDestination', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } },
  ];
}

function rule(t: Template, description: string): Json {
  const found = byType(t, 'AWS::Events::Rule').find(([, r]) => r.Properties.Description === description);
  assert.ok(found, `no rule "${description}"`);
  return found[1].Properties;
}

/** Unpacks a function's zip and runs its bundled handler once in a fresh Node process. */
function invokeBundle(fn: string, file: string, endpoint: string, event: unknown): Promise<{ lines: Json[]; result: unknown }> {
  const dir = mkdtempSync(join(tmpdir(), `tr-bundle-${fn}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (const e of zipEntries(join(out, `${fn}.zip`))) {
    mkdirSync(join(dir, e.name, '..'), { recursive: true });
    writeFileSync(join(dir, e.name), e.data());
  }
  const script = `const { handler } = await import(${JSON.stringify(join(dir, 'functions', 'handlers', `${file}.mjs`))});
    const context = { functionName: ${JSON.stringify(fn)}, awsRequestId: 'req-1', getRemainingTimeInMillis: () => 120000 };
    const result = await handler(${JSON.stringify(event)}, context);
    console.log(JSON.stringify({ handlerResult: result }));`;
  const env = {
    PATH: process.env.PATH ?? '',
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
  return new Promise((resolve, reject) => {
    // Asynchronous: the emulator answering the bundle runs in this process.
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: dir, env, encoding: 'utf8', timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${err.message}\n${stdout}\n${stderr}`));
        const lines = stdout
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l) as Json);
        resolve({ lines, result: lines.find((l) => 'handlerResult' in l)?.handlerResult });
      },
    );
  });
}

describe('osls package (offline, no credentials)', () => {
  test('both functions: Node 24 on arm64, their own role, memory, timeouts, reserved concurrency', () => {
    const fns = byType(cf, 'AWS::Lambda::Function');
    // The two direct-path functions (checked here) and the queue pipeline's three (pipeline-package.test.ts).
    assert.equal(fns.length, 5);
    const event = res(cf, 'OnParameterChangeLambdaFunction').Properties;
    const sweep = res(cf, 'DriftSweepLambdaFunction').Properties;
    for (const p of [event, sweep]) {
      assert.equal(p.Runtime, 'nodejs24.x');
      assert.deepEqual(p.Architectures, ['arm64']);
      assert.equal(p.MemorySize, 256);
    }
    assert.equal(event.Handler, 'functions/handlers/on-parameter-change.handler');
    assert.equal(sweep.Handler, 'functions/handlers/drift-sweep.handler');
    assert.deepEqual(event.Role, { 'Fn::GetAtt': ['OnParameterChangeRole', 'Arn'] });
    assert.deepEqual(sweep.Role, { 'Fn::GetAtt': ['DriftSweepRole', 'Arn'] });
    assert.equal(event.Timeout, 600);
    assert.equal(sweep.Timeout, 540);
    assert.equal(event.ReservedConcurrentExecutions, 5);
    assert.equal(sweep.ReservedConcurrentExecutions, 1);
    assert.equal(cf.Resources.IamRoleLambdaExecution, undefined, 'no shared role');
    const vars = (event.Environment as { Variables: Json }).Variables;
    assert.equal(vars.DESIRED_STATE_PREFIX, '/transfer-reconciler/servers/');
    assert.equal(vars.HOST_KEY_PREFIX, '/transfer-reconciler/host-keys/');
    assert.equal(vars.DEFAULT_MODE, 'enforce');
  });

  test('event patterns: Parameter Store changes under the documents prefix and the host-key prefix', () => {
    const base = { source: ['aws.ssm'], 'detail-type': ['Parameter Store Change'] };
    const operation = ['Create', 'Update', 'Delete', 'LabelParameterVersion'];
    const docs = rule(cf, 'Desired-state documents changed');
    const keys = rule(cf, 'Host keys changed');
    assert.deepEqual(docs.EventPattern, { ...base, detail: { name: [{ prefix: '/transfer-reconciler/servers/' }], operation } });
    assert.deepEqual(keys.EventPattern, { ...base, detail: { name: [{ prefix: '/transfer-reconciler/host-keys/' }], operation } });
    for (const r of [docs, keys]) {
      assert.deepEqual(
        (r.Targets as Json[]).map((t) => t.Arn),
        [{ 'Fn::GetAtt': ['OnParameterChangeLambdaFunction', 'Arn'] }],
      );
      assert.equal(r.State, 'ENABLED');
    }
  });

  test('the sweep schedule', () => {
    const sched = rule(cf, 'Drift sweep');
    assert.equal(sched.ScheduleExpression, 'rate(10 minutes)');
    assert.deepEqual(
      (sched.Targets as Json[]).map((t) => t.Arn),
      [{ 'Fn::GetAtt': ['DriftSweepLambdaFunction', 'Arn'] }],
    );
  });

  test('asynchronous invocation: bounded retries, on-failure destination the dead-letter queue', () => {
    const dlq = { Destination: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } };
    const ev = res(cf, 'OnParameterChangeLambdaEvConf').Properties;
    assert.deepEqual(ev, {
      FunctionName: { Ref: 'OnParameterChangeLambdaFunction' },
      DestinationConfig: { OnFailure: dlq },
      Qualifier: '$LATEST',
      MaximumEventAgeInSeconds: 3600,
      MaximumRetryAttempts: 2,
    });
    const sw = res(cf, 'DriftSweepLambdaEvConf').Properties;
    assert.deepEqual(sw, {
      FunctionName: { Ref: 'DriftSweepLambdaFunction' },
      DestinationConfig: { OnFailure: dlq },
      Qualifier: '$LATEST',
      MaximumEventAgeInSeconds: 60,
      MaximumRetryAttempts: 0,
    });
    const q = res(cf, 'DeadLetterQueue');
    assert.equal(q.Type, 'AWS::SQS::Queue');
    assert.equal(q.Properties.MessageRetentionPeriod, 1209600);
    assert.equal(q.Properties.SqsManagedSseEnabled, true);
  });

  test('every IAM statement of each function role, exactly', () => {
    assert.deepEqual(statements(cf, 'OnParameterChangeRole'), expectedStatements('onParameterChange'));
    assert.deepEqual(statements(cf, 'DriftSweepRole'), expectedStatements('driftSweep'));
    for (const id of ['OnParameterChangeRole', 'DriftSweepRole']) {
      assert.deepEqual(res(cf, id).Properties.AssumeRolePolicyDocument, {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      });
    }
  });

  test('no Allow grants a wildcard action; Resource "*" only for ListServers and DescribeVpcEndpoints (no resource-level permissions)', () => {
    const found: Array<{ effect: string; actions: string[]; resource: unknown; condition: unknown }> = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const o = v as Json;
        if ('Effect' in o && 'Action' in o)
          found.push({
            effect: String(o.Effect),
            actions: ([] as string[]).concat(o.Action as string | string[]),
            resource: o.Resource,
            condition: o.Condition,
          });
        Object.values(o).forEach(walk);
      }
    };
    walk(cf.Resources);
    const allows = found.filter((s) => s.effect === 'Allow');
    assert.ok(allows.flatMap((s) => s.actions).length > 20);
    assert.deepEqual(
      allows.flatMap((s) => s.actions).filter((a) => a.includes('*')),
      [],
    );
    assert.deepEqual([...new Set(allows.filter((s) => s.resource === '*').flatMap((s) => s.actions))].sort(), [
      'ec2:DescribeVpcEndpoints',
      'transfer:ListServers',
    ]);
    // The one wildcard action is osls's own deployment-bucket policy, and it only takes away:
    // every S3 request that is not over TLS is denied.
    const wild = found.filter((s) => s.actions.some((a) => a.includes('*')));
    assert.deepEqual(
      wild.map((s) => [s.effect, s.actions, s.condition]),
      [['Deny', ['s3:*'], { Bool: { 'aws:SecureTransport': false } }]],
    );
  });

  test('alarms: Failed > 0, dead letters > 0, Blocked > 0 for an hour; a dashboard of drift found and fixed', () => {
    const failed = res(cf, 'FailedAlarm').Properties;
    assert.equal(failed.ComparisonOperator, 'GreaterThanThreshold');
    assert.equal(failed.Threshold, 0);
    const ids = failed.Metrics as Array<{ Id: string; MetricStat?: { Metric: { MetricName: string; Dimensions: Json[] } } }>;
    assert.deepEqual(
      ids.filter((m) => m.MetricStat).map((m) => [m.MetricStat?.Metric.MetricName, m.MetricStat?.Metric.Dimensions[1]]),
      [
        ['Failed', { Name: 'Trigger', Value: 'event' }],
        ['Failed', { Name: 'Trigger', Value: 'schedule' }],
      ],
    );
    const dead = res(cf, 'DeadLetterQueueAlarm').Properties;
    assert.deepEqual(
      [dead.Namespace, dead.MetricName, dead.Threshold, dead.ComparisonOperator],
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 0, 'GreaterThanThreshold'],
    );
    assert.deepEqual(dead.Dimensions, [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['DeadLetterQueue', 'QueueName'] } }]);
    const blocked = res(cf, 'BlockedAlarm').Properties;
    assert.equal(blocked.MetricName, 'Blocked');
    assert.equal(Number(blocked.Period) * Number(blocked.EvaluationPeriods), 3600);
    assert.equal(blocked.DatapointsToAlarm, blocked.EvaluationPeriods);
    const body = (res(cf, 'Dashboard').Properties.DashboardBody as { 'Fn::Sub': [string, Json] })['Fn::Sub'][0];
    const widgets = (
      JSON.parse(body.replaceAll('${AWS::Region}', 'us-east-1').replaceAll('${QueueName}', 'q')) as {
        widgets: Array<{ properties: { title: string; metrics: unknown[][] } }>;
      }
    ).widgets;
    const drift = widgets.find((w) => w.properties.title === 'Drift found and fixed');
    assert.ok(drift);
    assert.ok(JSON.stringify(drift.properties.metrics).includes('DriftDetected'));
    assert.ok(JSON.stringify(drift.properties.metrics).includes('UpdatesApplied'));
  });

  test('stage parameters flow into patterns, schedule, environment and IAM', () => {
    const docs = rule(prod, 'Desired-state documents changed');
    assert.deepEqual((docs.EventPattern as { detail: Json }).detail.name, [{ prefix: '/acme/sftp/desired/' }]);
    assert.deepEqual((rule(prod, 'Host keys changed').EventPattern as { detail: Json }).detail.name, [{ prefix: '/acme/sftp/keys/' }]);
    assert.equal(rule(prod, 'Drift sweep').ScheduleExpression, 'rate(15 minutes)');
    assert.equal(res(prod, 'OnParameterChangeLambdaFunction').Properties.ReservedConcurrentExecutions, 9);
    const vars = (res(prod, 'DriftSweepLambdaFunction').Properties.Environment as { Variables: Json }).Variables;
    assert.equal(vars.DESIRED_STATE_PREFIX, '/acme/sftp/desired/');
    assert.equal(vars.HOST_KEY_PREFIX, '/acme/sftp/keys/');
    const paths = { docs: '/acme/sftp/desired', keys: '/acme/sftp/keys', passRole: 'acme-transfer-', stage: 'prod' };
    assert.deepEqual(statements(prod, 'DriftSweepRole'), expectedStatements('driftSweep', paths));
  });

  // 1.5 MB: the EC2 client (security groups on the VPC endpoint) doubled the bundle from ~0.5 MB; its
  // cold-start cost is measured by `npm run bench` (cold-start), not asserted here.
  test('one minified bundle per function, with its source map, under 1.5 MB', (t) => {
    for (const [fn, file] of [
      ['onParameterChange', 'on-parameter-change'],
      ['driftSweep', 'drift-sweep'],
    ]) {
      const zip = join(out, `${fn}.zip`);
      const entries = zipEntries(zip);
      assert.deepEqual(entries.map((e) => e.name).sort(), [`functions/handlers/${file}.mjs`, `functions/handlers/${file}.mjs.map`]);
      const bundle = entries.find((e) => e.name.endsWith('.mjs'));
      assert.ok(bundle && bundle.size < 1_500_000, `${fn} bundle is ${bundle?.size} bytes`);
      t.diagnostic(`${fn}: bundle ${bundle.size} bytes, zip ${statSync(zip).size} bytes`);
    }
  });

  test('the bundles run: the packaged sweep and event handler reconcile against the emulator', async () => {
    const emu = await emulatorForTests({ transitionDelayMs: 10 });
    const ssm = ssmClient(emu, { maxAttempts: 1 });
    const id = 's-0123456789abcdef0';
    emu.transfer.createServerWithId(id, {});
    emu.transfer.forceState(id, 'ONLINE');
    await ssm.send(
      new PutParameterCommand({
        Name: `/transfer-reconciler/servers/${id}`,
        Value: JSON.stringify({ SecurityPolicyName: 'TransferSecurityPolicy-2024-01' }),
        Type: 'String',
      }),
    );

    const sweep = await invokeBundle('driftSweep', 'drift-sweep', emu.url, {
      id: 'sched-1',
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      detail: {},
    });
    assert.deepEqual((sweep.result as { results: Json }).results, { updated: 1 });
    const outcome = sweep.lines.find((l) => l.message === 'outcome');
    assert.equal((outcome?.outcome as Json | undefined)?.result, 'updated');
    assert.equal(outcome?.correlation_id, 'sched-1');
    assert.ok(sweep.lines.some((l) => l.message === 'sweep summary'));
    assert.ok(sweep.lines.some((l) => l._aws !== undefined && l.Trigger === 'schedule' && l.UpdatesApplied === 1));

    const [event] = emu.events.list().map((e) => e.event);
    assert.ok(event);
    const onChange = await invokeBundle('onParameterChange', 'on-parameter-change', emu.url, event);
    assert.deepEqual(onChange.result, { results: [`${id}: in-sync`] });
  });
});
