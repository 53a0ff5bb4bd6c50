// The spoke template (infra/aws/spoke/template.yml) against what the hub really does, both read from
// their files: the spoke role allows exactly the Transfer, EC2 and iam:PassRole statements of the
// hub's WorkerRole (infra/aws/roles.yml), with the region a wildcard, and trusts only that role with
// the external id; the forwarding rule is the router's serverApiCalls (infra/aws/event-rules.json)
// with the spoke role excluded, to the hub's bus with a role; the hub's bus policy
// (infra/aws/hub-bus-policy.yml) lets exactly that rule in. The read-only role allows exactly the
// reads the router and the CLI's plan, status and export make in a spoke (derived from the code's
// adapter imports) and trusts the hub's router role, its enumerator role (when given) and the
// listed principals, with the external id. cfn-lint checks both files.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import { EXTERNAL_ID } from '../../functions/reconciler/desired/accounts-rules.ts';
import { ROOT } from '../helpers/package.ts';

type Json = Record<string, unknown>;
interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Json;
  Principal?: unknown;
}

const SPOKE_FILE = join(ROOT, 'infra', 'aws', 'spoke', 'template.yml');
const HUB_POLICY_FILE = join(ROOT, 'infra', 'aws', 'hub-bus-policy.yml');

/** YAML as CloudFormation reads it (long-form intrinsics only: a short tag like !Ref is a warning here, so it fails). */
function loadYaml(file: string): Json {
  const doc = parseDocument(readFileSync(file, 'utf8'), { merge: true });
  assert.deepEqual([...doc.errors, ...doc.warnings].map(String), [], file);
  return doc.toJS() as Json;
}

const at = (value: unknown, ...path: Array<string | number>): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), value);
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const sorted = (xs: Iterable<string>) => [...xs].sort();

const spoke = loadYaml(SPOKE_FILE);
const roles = loadYaml(join(ROOT, 'infra', 'aws', 'roles.yml'));
const hubPolicy = loadYaml(HUB_POLICY_FILE);
const serverApiCalls = (JSON.parse(readFileSync(join(ROOT, 'infra', 'aws', 'event-rules.json'), 'utf8')) as Json).serverApiCalls as Json;
const resource = (id: string) => {
  const r = at(spoke, 'Resources', id) as Json | undefined;
  assert.ok(r, `spoke resource ${id} missing`);
  return r;
};
const statementsOf = (role: unknown): Statement[] =>
  list(at(role, 'Properties', 'Policies') as Json[]).flatMap((p) => list(at(p, 'PolicyDocument', 'Statement') as Statement[]));

/** Services whose calls the worker makes in the account that holds the server; the rest stay in the hub. */
const SPOKE_SERVICES = new Set(['transfer', 'ec2', 'iam']);
const HUB_ONLY_SERVICES = new Set(['logs', 'ssm', 'secretsmanager', 'kms', 'sqs', 'sts']);
const service = (action: string) => action.split(':')[0] ?? '';

const workerStatements = statementsOf(at(roles, 'WorkerRole'));
const spokeStatements = statementsOf(resource('SpokeRole'));
const hubOnly = (s: Statement) => list(s.Action).every((a) => HUB_ONLY_SERVICES.has(service(a)));
const workerSpokeStatements = workerStatements.filter((s) => !hubOnly(s));

/** A worker resource as the spoke states it: any region of this account, the prefix a parameter. */
const inSpoke = (r: unknown): unknown => {
  if (typeof r === 'string') return r;
  const sub = at(r, 'Fn::Sub');
  assert.equal(typeof sub, 'string', `unexpected resource ${JSON.stringify(r)}`);
  return { 'Fn::Sub': (sub as string).replaceAll('${AWS::Region}', '*').replaceAll('${param:passRolePrefix}', '${PassRolePrefix}') };
};

// A minimal EventBridge pattern matcher, for the operators the two rules use: values, exists,
// anything-but, prefix and $or. A missing field matches only { exists: false }.
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
function matches(pattern: Json, event: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or') return (rule as Json[]).some((p) => matches(p, event));
    const value = isObject(event) ? event[key] : undefined;
    return Array.isArray(rule) ? rule.some((m) => leafMatches(m, value)) : matches(rule as Json, value);
  });
}
function leafMatches(m: unknown, value: unknown): boolean {
  if (isObject(m) && 'exists' in m) return (value !== undefined) === m.exists;
  if (value === undefined) return false;
  const values: unknown[] = list(value);
  if (isObject(m) && 'anything-but' in m) return values.some((v) => !list<unknown>(m['anything-but']).includes(v));
  if (isObject(m) && 'prefix' in m) return values.some((v) => typeof v === 'string' && v.startsWith(String(m.prefix)));
  return values.includes(m);
}

/** Fills in Ref, Fn::GetAtt and Fn::Sub (string form) from `names`. */
function resolve(value: unknown, names: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, names));
  if (!isObject(value)) return value;
  const name = (n: string) => names[n] ?? assert.fail(`no value for ${n}`);
  if (typeof value.Ref === 'string') return name(value.Ref);
  if (Array.isArray(value['Fn::GetAtt'])) return name((value['Fn::GetAtt'] as string[]).join('.'));
  if (typeof value['Fn::Sub'] === 'string') return value['Fn::Sub'].replace(/\$\{([^}]+)\}/g, (_, n: string) => name(n));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, names)]));
}

const HUB = '999999999999';
const SPOKE = '111111111111';
const WORKER_ARN = `arn:aws:iam::${HUB}:role/transfer-reconciler-prod-WorkerRole-ABC`;
const SPOKE_ROLE_ARN = `arn:aws:iam::${SPOKE}:role/transfer-reconciler-spoke`;
const spokeNames = {
  'AWS::Partition': 'aws',
  'AWS::AccountId': SPOKE,
  'AWS::Region': 'eu-west-1',
  SpokeRoleName: 'transfer-reconciler-spoke',
};
const spokePattern = resolve(at(resource('ForwardApiCalls'), 'Properties', 'EventPattern'), spokeNames) as Json;
const hubPattern = resolve(serverApiCalls, { 'WorkerRole.Arn': WORKER_ARN }) as Json;

/** A CloudTrail API-call event on a spoke's bus (aws-behaviour.md), by `issuer` (undefined: an IAM user). */
function apiCall(eventName: string, issuer: string | undefined, extra: Json = {}): Json {
  const ec2 = eventName === 'ModifyVpcEndpoint';
  const userIdentity = issuer
    ? {
        type: 'AssumedRole',
        arn: `${issuer.replace(':iam:', ':sts:').replace(':role/', ':assumed-role/')}/s`,
        sessionContext: { sessionIssuer: { arn: issuer } },
      }
    : { type: 'IAMUser', arn: `arn:aws:iam::${SPOKE}:user/alice` };
  return {
    version: '0',
    source: ec2 ? 'aws.ec2' : 'aws.transfer',
    'detail-type': 'AWS API Call via CloudTrail',
    account: SPOKE,
    region: 'eu-west-1',
    detail: { eventSource: ec2 ? 'ec2.amazonaws.com' : 'transfer.amazonaws.com', eventName, userIdentity, readOnly: false, ...extra },
  };
}

describe('spoke template: the role the hub assumes', () => {
  test('the spoke role allows exactly the hub WorkerRole Transfer, EC2 and iam:PassRole actions, both ways', () => {
    const unclassified = workerStatements
      .flatMap((s) => list(s.Action))
      .filter((a) => !SPOKE_SERVICES.has(service(a)) && !HUB_ONLY_SERVICES.has(service(a)));
    assert.deepEqual(unclassified, [], 'a new service in the WorkerRole: decide whether the spoke role needs it');
    const mixed = workerStatements.filter((s) => !hubOnly(s) && list(s.Action).some((a) => HUB_ONLY_SERVICES.has(service(a))));
    assert.deepEqual(mixed, [], 'a WorkerRole statement mixes hub and spoke services');
    const want = new Set(workerSpokeStatements.flatMap((s) => list(s.Action)));
    const have = new Set(spokeStatements.flatMap((s) => list(s.Action)));
    assert.ok(want.size >= 10, `too few worker actions found in roles.yml: ${sorted(want).join(', ')}`);
    assert.deepEqual(sorted([...want].filter((a) => !have.has(a))), [], 'worker actions the spoke role lacks');
    assert.deepEqual(sorted([...have].filter((a) => !want.has(a))), [], 'spoke role actions the worker does not have');
    assert.ok(!sorted(have).some((a) => a.includes('*')), 'no action wildcard');
  });

  test('each spoke statement is the worker statement of the same Sid, with any region of this account', () => {
    assert.deepEqual(sorted(spokeStatements.map((s) => s.Sid ?? '')), sorted(workerSpokeStatements.map((s) => s.Sid ?? '')));
    for (const w of workerSpokeStatements) {
      const s = spokeStatements.find((x) => x.Sid === w.Sid);
      assert.ok(s, `no spoke statement ${String(w.Sid)}`);
      assert.equal(s.Effect, 'Allow');
      assert.deepEqual(sorted(list(s.Action)), sorted(list(w.Action)), String(w.Sid));
      assert.deepEqual(list(s.Resource), list(w.Resource).map(inSpoke), String(w.Sid));
      assert.deepEqual(s.Condition, w.Condition, String(w.Sid));
    }
    const passRole = spokeStatements.find((s) => list(s.Action).includes('iam:PassRole'));
    assert.deepEqual(passRole?.Condition, { StringEquals: { 'iam:PassedToService': 'transfer.amazonaws.com' } });
  });

  test('it trusts only the hub worker role, with the external id, for one hour', () => {
    const props = resource('SpokeRole').Properties as Json;
    assert.deepEqual(props.RoleName, { Ref: 'SpokeRoleName' });
    assert.equal(at(spoke, 'Parameters', 'SpokeRoleName', 'Default'), 'transfer-reconciler-spoke');
    assert.equal(props.MaxSessionDuration, 3600, 'the minimum IAM allows');
    const trust = list(at(props, 'AssumeRolePolicyDocument', 'Statement') as Statement[]);
    assert.equal(trust.length, 1);
    const [only] = trust;
    assert.equal(only?.Effect, 'Allow');
    assert.deepEqual(only?.Principal, { AWS: { Ref: 'HubWorkerRoleArn' } });
    assert.deepEqual(list(only?.Action), ['sts:AssumeRole']);
    assert.deepEqual(only?.Condition, { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } });
  });

  test('parameters: the external id is NoEcho within the accounts file limits; no account id is written in', () => {
    const params = at(spoke, 'Parameters') as Json;
    for (const p of [
      'HubAccountId',
      'HubWorkerRoleArn',
      'HubRouterRoleArn',
      'HubEnumeratorRoleArn',
      'ReadPrincipalArns',
      'ExternalId',
      'HubEventBusArn',
      'PassRolePrefix',
      'HomeRegion',
      'SpokeRoleName',
    ])
      assert.ok(params[p], `parameter ${p}`);
    assert.equal(at(params, 'PassRolePrefix', 'Default'), 'transfer-reconciler/');
    const externalId = params.ExternalId as Json;
    assert.equal(externalId.NoEcho, true);
    assert.equal(externalId.AllowedPattern, `^${EXTERNAL_ID.pattern}$`);
    assert.equal(externalId.MaxLength, EXTERNAL_ID.max);
    assert.ok(Number(externalId.MinLength) >= Math.max(EXTERNAL_ID.min, 32), 'a guessable external id is refused');
    assert.equal(externalId.Default, undefined);
    const text = JSON.stringify({ ...spoke, Parameters: undefined });
    assert.deepEqual(text.match(/\d{12}/g) ?? [], [], 'account ids come from parameters');
    for (const [name, p] of Object.entries(params)) {
      const pattern = (p as Json).AllowedPattern;
      if (typeof pattern === 'string' && (p as Json).Default !== undefined)
        assert.match(String((p as Json).Default), new RegExp(pattern), `${name}'s default matches its pattern`);
    }
    assert.match(`arn:aws:events:us-east-1:${HUB}:event-bus/default`, new RegExp(String(at(params, 'HubEventBusArn', 'AllowedPattern'))));
    assert.match(WORKER_ARN, new RegExp(String(at(params, 'HubWorkerRoleArn', 'AllowedPattern'))));
  });

  test('IAM is global: the three roles only in HomeRegion; the rule in every region except on the hub bus itself', () => {
    assert.deepEqual(at(spoke, 'Conditions', 'IsHomeRegion'), { 'Fn::Equals': [{ Ref: 'AWS::Region' }, { Ref: 'HomeRegion' }] });
    assert.equal(resource('SpokeRole').Condition, 'IsHomeRegion');
    assert.equal(resource('SpokeReadRole').Condition, 'IsHomeRegion');
    assert.equal(resource('ForwarderRole').Condition, 'IsHomeRegion');
    assert.equal(resource('ForwardApiCalls').Condition, 'Forward');
    assert.deepEqual(at(spoke, 'Conditions', 'Forward'), { 'Fn::Not': [{ Condition: 'IsHubBus' }] });
    const types = Object.values(at(spoke, 'Resources') as Record<string, Json>).map((r) => r.Type);
    assert.deepEqual(sorted(types as string[]), ['AWS::Events::Rule', 'AWS::IAM::Role', 'AWS::IAM::Role', 'AWS::IAM::Role']);
  });
});

/** Each exported function of an adapter → the IAM actions of the commands it sends. */
function adapterActions(file: string, prefix: string): Map<string, string[]> {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out = new Map<string, string[]>();
  for (const part of text.split(/^export (?:async )?function /m).slice(1)) {
    const name = /^\w+/.exec(part)?.[0] ?? assert.fail(`unnamed function in ${file}`);
    out.set(
      name,
      [...part.matchAll(/new (\w+)Command\(/g)].map((m) => `${prefix}:${m[1] ?? ''}`),
    );
  }
  return out;
}
const ADAPTERS = {
  'transfer-api': adapterActions('functions/reconciler/aws/transfer-api.ts', 'transfer'),
  'ec2-api': adapterActions('functions/reconciler/aws/ec2-api.ts', 'ec2'),
};
/** The adapter functions a source file imports (values only), as `adapter.function`. */
function adapterImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'[^']*aws\/(transfer-api|ec2-api)\.ts'/g)].flatMap((m) =>
    (m[1] ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '' && !n.startsWith('type '))
      .map((n) => `${m[2] ?? ''}.${n}`),
  );
}
const filesUnder = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));

/**
 * What reads a spoke for the router, the enumerator and the CLI's plan, status and export: the
 * observe path of a reconcile (its writes are under apply/, which a detect run never reaches), the
 * extras it reads, the router's endpoint lookup, the enumerator's unmanaged servers (ListServers in
 * every listed account-region) and export (ListServers for --all, then each server).
 */
const READ_PATH = [
  'functions/reconciler/reconcile-attempt.ts',
  'functions/reconciler/observe-extras.ts',
  'functions/reconciler/queue/endpoint-servers.ts',
  'functions/reconciler/aws/unmanaged-listing.ts',
  'functions/reconciler/export/observe-for-export.ts',
  'functions/cli/commands/export.ts',
];
/** Adapter callers that are not read-only callers in a spoke: the write path, and the sweep's (and, were it to list again, the enumerator's) hub-only listing. */
const NOT_READ_PATH = (file: string) =>
  file.startsWith('functions/reconciler/apply/') || ['functions/handlers/lib/enumerate.ts', 'functions/reconciler/sweep.ts'].includes(file);
const READ_WORDS = /^(Describe|List|Get)/;

describe('spoke template: the read-only role (router, enumerator, plan, status, export)', () => {
  const readStatements = statementsOf(resource('SpokeReadRole'));
  const readActions = new Set(readStatements.flatMap((s) => list(s.Action)));
  const writeActions = new Set(spokeStatements.flatMap((s) => list(s.Action)));

  test('its actions are exactly the reads the code makes in a spoke for the router and the read-only commands', () => {
    const callers = filesUnder('functions').filter((f) => adapterImports(f).length > 0);
    assert.deepEqual(
      callers.filter((f) => !READ_PATH.includes(f) && !NOT_READ_PATH(f)),
      [],
      'a new caller of the Transfer/EC2 adapters: add it to READ_PATH (and the read role) or to NOT_READ_PATH',
    );
    const needed = new Set(
      READ_PATH.flatMap(adapterImports).flatMap((ref) => {
        const [adapter = '', fn = ''] = ref.split('.');
        return ADAPTERS[adapter as keyof typeof ADAPTERS].get(fn) ?? assert.fail(`${ref} is not an adapter function`);
      }),
    );
    assert.deepEqual(sorted(needed), [
      'ec2:DescribeVpcEndpoints',
      'transfer:DescribeServer',
      'transfer:ListHostKeys',
      'transfer:ListServers',
    ]);
    assert.deepEqual(sorted(readActions), sorted(needed));
  });

  test('only reads: no action of the write role that writes, no wildcard', () => {
    for (const a of readActions) {
      assert.match(a.split(':')[1] ?? '', READ_WORDS, `${a} is not a read`);
      assert.ok(!a.includes('*'), `${a}: no action wildcard`);
    }
    const writes = [...writeActions].filter((a) => !READ_WORDS.test(a.split(':')[1] ?? ''));
    assert.ok(writes.length >= 8, `the write role's writes: ${writes.join(', ')}`);
    assert.deepEqual(
      writes.filter((a) => readActions.has(a)),
      [],
      'write actions in the read role',
    );
    assert.ok(!readActions.has('iam:PassRole'));
    // Its Transfer resources are this account's servers (ListServers and Describe* on EC2 have no resource-level permissions).
    for (const s of readStatements) {
      const resources = list(s.Resource);
      const scoped = list(s.Action).every((a) => a === 'transfer:DescribeServer' || a === 'transfer:ListHostKeys');
      assert.deepEqual(
        resources,
        scoped ? [{ 'Fn::Sub': 'arn:${AWS::Partition}:transfer:*:${AWS::AccountId}:server/*' }] : ['*'],
        String(s.Sid),
      );
      assert.equal(s.Condition, undefined);
    }
  });

  test('it trusts the hub router role, the hub enumerator role (when given) and the listed principals, each with the external id, for one hour', () => {
    const props = resource('SpokeReadRole').Properties as Json;
    assert.deepEqual(resolve(props.RoleName, spokeNames), 'transfer-reconciler-spoke-read');
    assert.equal(props.MaxSessionDuration, 3600);
    const withExternalId = { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } };
    const trust = list(at(props, 'AssumeRolePolicyDocument', 'Statement') as unknown[]);
    assert.equal(trust.length, 3);
    const [router, enumerator, listed] = trust as [Statement, Json, Json];
    assert.deepEqual(router, {
      Sid: 'HubRouter',
      Effect: 'Allow',
      Principal: { AWS: { Ref: 'HubRouterRoleArn' } },
      Action: 'sts:AssumeRole',
      Condition: withExternalId,
    });
    // The enumerator only when its role is given: a stack set created before the parameter keeps working.
    assert.deepEqual(enumerator, {
      'Fn::If': [
        'HasHubEnumerator',
        {
          Sid: 'HubEnumerator',
          Effect: 'Allow',
          Principal: { AWS: { Ref: 'HubEnumeratorRoleArn' } },
          Action: 'sts:AssumeRole',
          Condition: withExternalId,
        },
        { Ref: 'AWS::NoValue' },
      ],
    });
    assert.deepEqual(at(spoke, 'Conditions', 'HasHubEnumerator'), { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'HubEnumeratorRoleArn' }, ''] }] });
    // The listed principals only when there are some (an empty Principal is invalid).
    assert.deepEqual(listed, {
      'Fn::If': [
        'HasReadPrincipals',
        {
          Sid: 'ReadPrincipals',
          Effect: 'Allow',
          Principal: { AWS: { Ref: 'ReadPrincipalArns' } },
          Action: 'sts:AssumeRole',
          Condition: withExternalId,
        },
        { Ref: 'AWS::NoValue' },
      ],
    });
    assert.deepEqual(at(spoke, 'Conditions', 'HasReadPrincipals'), {
      'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::Join': ['', { Ref: 'ReadPrincipalArns' }] }, ''] }],
    });
    const params = at(spoke, 'Parameters') as Record<string, Json>;
    assert.equal(params.ReadPrincipalArns?.Type, 'CommaDelimitedList');
    assert.equal(params.ReadPrincipalArns?.Default, '');
    assert.equal(params.HubRouterRoleArn?.Default, undefined, 'required');
    assert.equal(params.HubEnumeratorRoleArn?.Default, '', 'optional: not trusted unless given');
    const enumeratorPattern = new RegExp(String(params.HubEnumeratorRoleArn?.AllowedPattern));
    assert.match(`arn:aws:iam::${HUB}:role/transfer-reconciler-prod-EnumeratorRole-ABC`, enumeratorPattern);
    assert.doesNotMatch(`arn:aws:iam::${HUB}:user/alice`, enumeratorPattern);
    assert.doesNotMatch('*', enumeratorPattern);
    assert.match(
      `arn:aws:iam::${HUB}:role/transfer-reconciler-prod-RouterRole-ABC`,
      new RegExp(String(params.HubRouterRoleArn?.AllowedPattern)),
    );
    // The write role still trusts the worker only.
    const writeTrust = list(at(resource('SpokeRole'), 'Properties', 'AssumeRolePolicyDocument', 'Statement') as Statement[]);
    assert.deepEqual(
      writeTrust.map((t) => t.Principal),
      [{ AWS: { Ref: 'HubWorkerRoleArn' } }],
    );
  });

  test('both role ARNs are outputs of the home region', () => {
    assert.deepEqual(at(spoke, 'Outputs', 'SpokeRoleArn', 'Value'), { 'Fn::GetAtt': ['SpokeRole', 'Arn'] });
    assert.deepEqual(at(spoke, 'Outputs', 'SpokeReadRoleArn', 'Value'), { 'Fn::GetAtt': ['SpokeReadRole', 'Arn'] });
    assert.equal(at(spoke, 'Outputs', 'SpokeReadRoleArn', 'Condition'), 'IsHomeRegion');
  });
});

describe('spoke template: forwarding the CloudTrail API calls to the hub', () => {
  test("the rule is the router's serverApiCalls with the spoke role excluded in place of the WorkerRole", () => {
    assert.deepEqual(sorted(spokePattern.source as string[]), sorted(serverApiCalls.source as string[]));
    assert.deepEqual(spokePattern['detail-type'], serverApiCalls['detail-type']);
    const detail = spokePattern.detail as Json;
    const hubDetail = serverApiCalls.detail as Json;
    assert.deepEqual(sorted(detail.eventName as string[]), sorted(hubDetail.eventName as string[]));
    assert.deepEqual(sorted(detail.eventSource as string[]), sorted(hubDetail.eventSource as string[]));
    assert.deepEqual(detail.errorCode, [{ exists: false }]);
    // Everything else equal, once both excluded roles are one placeholder.
    const ROLE = 'arn:aws:iam::000000000000:role/excluded';
    const swap = (p: Json, arn: string) => JSON.parse(JSON.stringify(p).replaceAll(JSON.stringify(arn), JSON.stringify(ROLE))) as Json;
    assert.ok(JSON.stringify(spokePattern).includes(SPOKE_ROLE_ARN), 'the spoke role ARN is excluded');
    assert.deepEqual(swap(spokePattern, SPOKE_ROLE_ARN), swap(hubPattern, WORKER_ARN));
  });

  test('by behaviour: every router event name from anyone but the spoke role is forwarded, and the hub router rule matches it', () => {
    const names = (serverApiCalls.detail as Json).eventName as string[];
    const someone = `arn:aws:iam::${SPOKE}:role/Admin`;
    for (const name of names) {
      for (const event of [apiCall(name, someone), apiCall(name, undefined)]) {
        assert.ok(matches(spokePattern, event), `${name} by ${JSON.stringify(at(event, 'detail', 'userIdentity'))} forwarded`);
        // Forwarded events keep source, detail-type and the spoke's account: event-rules.json needs nothing.
        assert.ok(matches(hubPattern, event), `${name} from a spoke matched by the hub router rule`);
      }
      assert.ok(!matches(spokePattern, apiCall(name, SPOKE_ROLE_ARN)), `${name} by the spoke role (the worker's own write) not forwarded`);
      assert.ok(!matches(spokePattern, apiCall(name, someone, { errorCode: 'AccessDenied' })), `a failed ${name} not forwarded`);
    }
    for (const other of ['DescribeServer', 'ListServers', 'CreateServer', 'DeleteServer'])
      assert.ok(!matches(spokePattern, apiCall(other, someone)), `${other} not forwarded`);
    assert.ok(!matches(spokePattern, { ...apiCall('UpdateServer', someone), source: 'aws.ssm' }), 'other sources not forwarded');
  });

  test('the target is the hub bus, with a role that may only put events there and only this account’s rule may use', () => {
    const rule = resource('ForwardApiCalls').Properties as Json;
    assert.equal(rule.EventBusName, 'default');
    assert.equal(rule.State, 'ENABLED');
    assert.deepEqual(rule.Name, { 'Fn::Sub': '${SpokeRoleName}-api-calls' });
    const targets = rule.Targets as Json[];
    assert.equal(targets.length, 1);
    assert.deepEqual(targets[0]?.Arn, { Ref: 'HubEventBusArn' });
    const forwarderName = { 'Fn::Sub': '${SpokeRoleName}-events' };
    assert.deepEqual(targets[0]?.RoleArn, {
      'Fn::If': [
        'IsHomeRegion',
        { 'Fn::GetAtt': ['ForwarderRole', 'Arn'] },
        { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${SpokeRoleName}-events' },
      ],
    });
    const forwarder = resource('ForwarderRole');
    assert.deepEqual(at(forwarder, 'Properties', 'RoleName'), forwarderName);
    assert.deepEqual(statementsOf(forwarder), [
      { Sid: 'HubBus', Effect: 'Allow', Action: ['events:PutEvents'], Resource: { Ref: 'HubEventBusArn' } },
    ]);
    const trust = list(at(forwarder, 'Properties', 'AssumeRolePolicyDocument', 'Statement') as Statement[]);
    assert.equal(trust.length, 1);
    assert.deepEqual(trust[0]?.Principal, { Service: 'events.amazonaws.com' });
    assert.deepEqual(at(trust[0], 'Condition', 'StringEquals'), { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    assert.deepEqual(
      resolve(at(trust[0], 'Condition', 'ArnLike', 'aws:SourceArn'), spokeNames),
      `arn:aws:events:*:${SPOKE}:rule/transfer-reconciler-spoke-api-calls`,
    );
  });
});

describe('hub side: the bus policy and the worker statement (infra/aws/hub-bus-policy.yml)', () => {
  const policy = at(hubPolicy, 'HubBusPolicy', 'Properties') as Json;
  const [ifOrg, orgCondition, accountCondition] = at(policy, 'Statement', 'Condition', 'Fn::If') as [string, Json, Json];

  test('PutEvents on its own default bus, from the organisation or the listed accounts', () => {
    assert.equal(at(hubPolicy, 'HubBusPolicy', 'Type'), 'AWS::Events::EventBusPolicy');
    assert.equal(at(hubPolicy, 'HubBusPolicy', 'Condition'), 'HasSpokes');
    assert.equal(policy.EventBusName, 'default');
    const statement = policy.Statement as Statement;
    assert.equal(statement.Action, 'events:PutEvents');
    assert.deepEqual(statement.Resource, { 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default' });
    assert.deepEqual(statement.Principal, { 'Fn::If': ['SpokesByOrganisation', '*', { AWS: { Ref: 'SpokeAccountIds' } }] });
    assert.equal(ifOrg, 'SpokesByOrganisation');
    assert.deepEqual(at(orgCondition, 'StringEquals'), { 'aws:PrincipalOrgID': { Ref: 'SpokeOrganizationId' } });
    assert.equal(at(accountCondition, 'StringEquals'), undefined);
    assert.equal(at(hubPolicy, 'Parameters', 'SpokeOrganizationId', 'Default'), '${param:orgId}');
    assert.equal(at(hubPolicy, 'Parameters', 'SpokeAccountIds', 'Default'), '${param:spokeAccountIds}');
  });

  test("only the spokes' forwarding rule, and only the router's sources and detail type, in both branches", () => {
    const ruleName = resolve(at(resource('ForwardApiCalls'), 'Properties', 'Name'), spokeNames);
    for (const c of [orgCondition, accountCondition]) {
      const source = resolve(at(c, 'ArnLike', 'aws:SourceArn'), {
        'AWS::Partition': 'aws',
        'param:spokeRoleName': 'transfer-reconciler-spoke',
      });
      assert.equal(source, `arn:aws:events:*:*:rule/${String(ruleName)}`);
      assert.deepEqual(sorted(at(c, 'ForAllValues:StringEquals', 'events:source') as string[]), sorted(serverApiCalls.source as string[]));
      assert.deepEqual(at(c, 'ForAllValues:StringEquals', 'events:detail-type'), serverApiCalls['detail-type']);
    }
  });

  test('the WorkerRole may assume the spoke role (by name, in any account) and nothing more', () => {
    const s = at(hubPolicy, 'WorkerAssumeSpokeRoles') as Statement;
    assert.equal(s.Effect, 'Allow');
    assert.deepEqual(list(s.Action), ['sts:AssumeRole']);
    assert.deepEqual(s.Resource, { 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/${param:spokeRoleName}' });
  });
});

test('docs/spokes.md: both deploy commands pass every required parameter and no unknown one', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'spokes.md'), 'utf8');
  const params = at(spoke, 'Parameters') as Record<string, Json>;
  const required = sorted(Object.keys(params).filter((p) => params[p]?.Default === undefined));
  const stackSet = /aws cloudformation create-stack-set[\s\S]*?\n\n/.exec(doc)?.[0] ?? assert.fail('no create-stack-set command');
  const deploy = /aws cloudformation deploy[\s\S]*?\ndone/.exec(doc)?.[0] ?? assert.fail('no deploy command');
  const stackSetKeys = [...stackSet.matchAll(/ParameterKey=(\w+)/g)].map((m) => m[1] ?? '');
  const deployKeys = [...deploy.matchAll(/^\s+(\w+)=/gm)].map((m) => m[1] ?? '');
  for (const keys of [stackSetKeys, deployKeys]) {
    assert.deepEqual(sorted(required.filter((p) => !keys.includes(p))), [], 'required parameters missing from a command');
    assert.deepEqual(sorted(keys.filter((k) => !params[k])), [], 'unknown parameters in a command');
  }
  // Optional in the template (older stack sets keep working), but the instructions pass it: the enumerator lists every spoke.
  for (const keys of [stackSetKeys, deployKeys]) assert.ok(keys.includes('HubEnumeratorRoleArn'), 'the commands pass HubEnumeratorRoleArn');
  assert.match(stackSet, /--permission-model SERVICE_MANAGED/);
  assert.match(stackSet, /--auto-deployment Enabled=true/);
});

/** hub-bus-policy.yml as a template of its own, with the osls ${param:} variables filled in. */
function hubPolicyTemplate(params: Record<string, string>): Json {
  const fill = (v: unknown): unknown =>
    typeof v === 'string'
      ? v.replace(/\$\{param:(\w+)\}/g, (_, n: string) => params[n] ?? assert.fail(`no param ${n}`))
      : Array.isArray(v)
        ? v.map(fill)
        : isObject(v)
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]))
          : v;
  const h = fill(hubPolicy) as Json;
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Parameters: h.Parameters,
    Conditions: h.Conditions,
    Resources: {
      HubBusPolicy: h.HubBusPolicy,
      WorkerRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          Policies: [{ PolicyName: 'worker', PolicyDocument: { Version: '2012-10-17', Statement: [h.WorkerAssumeSpokeRoles] } }],
        },
      },
    },
  };
}

// cfn-lint as test/e2e/package-operations.test.ts runs it (on PATH; exit status a bit mask: 2 errors, 4 warnings, 8 info).
test('cfn-lint finds nothing in the spoke template and the hub bus policy (as a template, organisation and accounts)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spoke-lint-'));
  const files = [SPOKE_FILE];
  for (const [name, orgId, spokeAccountIds] of [
    ['org', 'o-abcdefghij', ''],
    ['accounts', '', `${SPOKE},222222222222`],
  ] as const) {
    const file = join(dir, `hub-bus-policy-${name}.json`);
    writeFileSync(file, JSON.stringify(hubPolicyTemplate({ orgId, spokeAccountIds, spokeRoleName: 'transfer-reconciler-spoke' }), null, 2));
    files.push(file);
  }
  const run = await new Promise<{ code: number | string | null; out: string }>((done) => {
    execFile('cfn-lint', ['--format', 'parseable', '--', ...files], { encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) =>
      done({ code: err ? (err.code ?? null) : 0, out: `${stdout}${stderr}` }),
    );
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
  assert.notEqual(run.code, 'ENOENT', 'cfn-lint is not on PATH (pip install cfn-lint)');
  assert.equal(run.code, 0, `cfn-lint exit ${String(run.code)}:\n${run.out}`);
});
