// Every IAM statement of each pipeline function's role, exactly, as `osls package` writes them
// (default stage and a stage with its own paths): the router and the enumerator read and send
// (in a spoke through its read-only role only), only the worker writes to servers, only the
// enumerator lists servers; no wildcard action and
// Resource "*" only where AWS supports no resource-level permission. That the actions equal what
// each bundle calls is least-privilege.test.ts.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { packaged } from '../helpers/package.ts';
import type { Json, Template } from '../helpers/package.ts';

let cf: Template;
let prod: Template;
before(async () => {
  const [dev, other] = await Promise.all([
    packaged(),
    packaged(['--stage', 'prod', '--param=desiredStatePath=/acme/sftp/desired', '--param=hostKeyPath=/acme/sftp/keys']),
  ]);
  cf = dev.template;
  prod = other.template;
});

const sub = (s: string) => ({ 'Fn::Sub': s });
const ARN = 'arn:${AWS::Partition}';
const ACCT = '${AWS::Region}:${AWS::AccountId}';
const att = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
type Paths = { docs: string; keys: string; stage: string };
const DEV: Paths = { docs: '/transfer-reconciler/servers', keys: '/transfer-reconciler/host-keys', stage: 'dev' };

function statements(t: Template, roleId: string): Json[] {
  const role = t.Resources[roleId];
  assert.ok(role, `no role ${roleId}`);
  const policies = role.Properties.Policies as Array<{ PolicyDocument: { Statement: Json[] } }>;
  assert.equal(policies.length, 1);
  return policies[0]?.PolicyDocument.Statement ?? [];
}

const logs = (fn: string, p: Paths) => ({
  Sid: 'OwnLogGroup',
  Effect: 'Allow',
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Resource: sub(`${ARN}:logs:${ACCT}:log-group:/aws/lambda/transfer-reconciler-${p.stage}-${fn}:*`),
});
const parameters = (actions: string[], p: Paths) => ({
  Sid: 'DesiredStateAndHostKeys',
  Effect: 'Allow',
  Action: actions,
  Resource: [p.docs, `${p.docs}/*`, p.keys, `${p.keys}/*`].map((x) => sub(`${ARN}:ssm:${ACCT}:parameter${x}`)),
});
const decrypt = {
  Sid: 'DecryptThroughParameterStoreOnly',
  Effect: 'Allow',
  Action: ['kms:Decrypt'],
  Resource: sub(`${ARN}:kms:${ACCT}:key/*`),
  Condition: {
    StringEquals: { 'kms:ViaService': [sub('ssm.${AWS::Region}.amazonaws.com'), sub('secretsmanager.${AWS::Region}.amazonaws.com')] },
  },
};
const send = { Sid: 'SendReconcileMessages', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: att('ReconcileQueue') };
const onFailure = { Sid: 'OnFailureDestination', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: att('DeadLetterQueue') };
const servers = sub(`${ARN}:transfer:${ACCT}:server/*`);
/** The accounts file (docs/accounts.md): read by all three, outside the document prefix. */
const accountsFile = {
  Sid: 'AccountsFile',
  Effect: 'Allow',
  Action: ['ssm:GetParameter'],
  Resource: sub(`${ARN}:ssm:${ACCT}:parameter/transfer-reconciler/accounts`),
};
/** Spoke servers through the spoke role (infra/aws/hub-bus-policy.yml): any account's role of that name. */
const assumeSpokeRoles = {
  Sid: 'AssumeSpokeRoles',
  Effect: 'Allow',
  Action: ['sts:AssumeRole'],
  Resource: sub(`${ARN}:iam::*:role/transfer-reconciler-spoke`),
};

/** The router's spoke endpoint lookups and the enumerator's spoke listings (unmanaged servers): each spoke's read-only role only. */
const assumeSpokeReadRoles = {
  Sid: 'AssumeSpokeReadRoles',
  Effect: 'Allow',
  Action: ['sts:AssumeRole'],
  Resource: sub(`${ARN}:iam::*:role/transfer-reconciler-spoke-read`),
};

function expected(fn: 'router' | 'worker' | 'enumerator', p: Paths = DEV): Json[] {
  if (fn === 'router')
    return [
      logs('router', p),
      { Sid: 'DescribeServersForEndpoint', Effect: 'Allow', Action: ['transfer:DescribeServer'], Resource: servers },
      parameters(['ssm:GetParametersByPath'], p),
      accountsFile,
      assumeSpokeReadRoles,
      decrypt,
      send,
      onFailure,
    ];
  if (fn === 'enumerator')
    return [
      logs('enumerator', p),
      { Sid: 'ListServersForUnmanaged', Effect: 'Allow', Action: ['transfer:ListServers'], Resource: '*' },
      parameters(['ssm:GetParametersByPath'], p),
      accountsFile,
      assumeSpokeReadRoles,
      decrypt,
      send,
      onFailure,
    ];
  return [
    logs('worker', p),
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
      Resource: servers,
    },
    {
      Sid: 'TransferHostKeys',
      Effect: 'Allow',
      Action: ['transfer:ListHostKeys', 'transfer:ImportHostKey', 'transfer:UpdateHostKey', 'transfer:DeleteHostKey'],
      Resource: [servers, sub(`${ARN}:transfer:${ACCT}:host-key/*`)],
    },
    { Sid: 'VpcEndpointSecurityGroupsRead', Effect: 'Allow', Action: ['ec2:DescribeVpcEndpoints'], Resource: '*' },
    {
      Sid: 'VpcEndpointSecurityGroupsWrite',
      Effect: 'Allow',
      Action: ['ec2:ModifyVpcEndpoint'],
      Resource: [sub(`${ARN}:ec2:${ACCT}:vpc-endpoint/*`), sub(`${ARN}:ec2:${ACCT}:security-group/*`)],
    },
    parameters(['ssm:GetParameter'], p),
    accountsFile,
    assumeSpokeRoles,
    {
      Sid: 'RecordedHostKeyFingerprints',
      Effect: 'Allow',
      Action: ['ssm:ListTagsForResource'],
      Resource: sub(`${ARN}:ssm:${ACCT}:parameter${p.keys}/*`),
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
    decrypt,
    {
      Sid: 'PassDocumentRolesToTransfer',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: sub(`${ARN}:iam::\${AWS::AccountId}:role/transfer-reconciler/*`),
      Condition: { StringEquals: { 'iam:PassedToService': 'transfer.amazonaws.com' } },
    },
    {
      Sid: 'EventSourceMapping',
      Effect: 'Allow',
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      Resource: att('ReconcileQueue'),
    },
    { Sid: 'RetryBackoff', Effect: 'Allow', Action: ['sqs:ChangeMessageVisibility'], Resource: att('ReconcileQueue') },
  ];
}

describe('the function roles, packaged', () => {
  test('every IAM statement of each role, exactly; each assumable by Lambda only', () => {
    for (const fn of ['router', 'worker', 'enumerator'] as const) {
      const roleId = `${fn[0]?.toUpperCase()}${fn.slice(1)}Role`;
      assert.deepEqual(statements(cf, roleId), expected(fn), roleId);
      assert.deepEqual(cf.Resources[roleId]?.Properties.AssumeRolePolicyDocument, {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      });
    }
  });

  test("a stage's own paths reach every role's statements", () => {
    const paths = { docs: '/acme/sftp/desired', keys: '/acme/sftp/keys', stage: 'prod' };
    for (const fn of ['router', 'worker', 'enumerator'] as const)
      assert.deepEqual(statements(prod, `${fn[0]?.toUpperCase()}${fn.slice(1)}Role`), expected(fn, paths), fn);
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

  test('only the worker may write to a server or pass a role', () => {
    const writes = ['transfer:UpdateServer', 'transfer:StartServer', 'transfer:StopServer', 'ec2:ModifyVpcEndpoint', 'iam:PassRole'];
    for (const roleId of ['RouterRole', 'EnumeratorRole']) {
      const actions = statements(cf, roleId).flatMap((s) => s.Action as string[]);
      assert.deepEqual(
        actions.filter((a) => writes.includes(a)),
        [],
        roleId,
      );
    }
  });
});
