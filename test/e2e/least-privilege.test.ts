// Least privilege, checked both ways, per Lambda function (the pipeline's router, worker and
// enumerator: the only functions deployed): the AWS operations its deployed code can call equal
// what its role allows. Both sides come from one `osls package`: the operations
// from the function's minified bundle in its zip (what is deployed, after tree-shaking), the
// actions from the role's statements in the CloudFormation template.
//
// Why the bundle and not the sources: esbuild keeps a command class only when code that survives
// tree-shaking uses it (ListServers is in the enumerator's bundle, not in the worker's), so
// the bundle answers "can this function call X" for the code as shipped. SDK v3 builds every
// command as `class extends <builder>(ep, plugins, "<Operation>", schema)`, where <builder> is
// `makeBuilder(params, "<service>", "<Client>", ...)`; the minifier renames the variables but not
// the strings, so the two patterns below find each client's service and its commands. If a new
// SDK or minifier changes that shape, the "markers" test fails rather than letting the check pass
// on an empty set.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ROOT, packaged, zipEntries } from '../helpers/package.ts';
import type { Json, Template } from '../helpers/package.ts';

/** The SDK clients whose operations the roles must match, by the service name in their builder. */
const IAM_PREFIX: Record<string, string> = {
  TransferService: 'transfer',
  AmazonSSM: 'ssm',
  AmazonEC2: 'ec2',
  AmazonSQS: 'sqs',
  // sts:AssumeRole of the spoke roles (aws/role-credentials.ts: fromTemporaryCredentials): the worker's
  // write role, the router's and the enumerator's read-only role.
  AWSSecurityTokenServiceV20110615: 'sts',
};

/** Operations IAM authorises under another action's name. */
const AUTHORISED_AS: Record<string, string> = {
  'sqs:SendMessageBatch': 'sqs:SendMessage',
  'sqs:ChangeMessageVisibilityBatch': 'sqs:ChangeMessageVisibility',
};

/** The SDK clients each function's bundle must hold (the markers): the router and the enumerator send to SQS, the worker returns failed messages early. */
const EXPECTED_SERVICES: Record<string, string[]> = {
  router: ['TransferService', 'AmazonSSM', 'AmazonSQS'],
  worker: ['TransferService', 'AmazonSSM', 'AmazonEC2', 'AmazonSQS'],
  enumerator: ['TransferService', 'AmazonSSM', 'AmazonSQS'],
};

/**
 * Clients the SDK's default credential chain bundles (SSO, SSO OIDC, STS web identity / assume
 * role, console sign-in). In Lambda the chain stops at its first source, the environment
 * variables the runtime sets for the execution role, so none of these is ever called; elsewhere
 * they run with the caller's own profile, never with these roles.
 */
const CREDENTIAL_CHAIN = new Set(['AWSSSOOIDCService', 'SWBPortalService', 'Signin']);

/**
 * STS operations of the default credential chain's own STS client (web identity, a profile's
 * role_arn), bundled into every function: in Lambda the chain stops at the runtime's environment
 * variables, so they are never called. AssumeRole is the code's own call only in a bundle that
 * holds fromTemporaryCredentials (aws/role-credentials.ts: the spoke roles).
 */
const CHAIN_ONLY = new Set(['sts:AssumeRoleWithWebIdentity']);
const ASSUMES_ROLES = '@aws-sdk/credential-providers - fromTemporaryCredentials';

/**
 * Permissions AWS checks on the caller while serving one of our calls: granted only because an
 * action the code calls needs them. Applied transitively (a secret read through Parameter Store
 * is decrypted by Secrets Manager).
 */
const CHECKED_ON_OUR_BEHALF: ReadonlyArray<{ action: string; neededBy: string; why: string; only?: string[] }> = [
  {
    action: 'kms:Decrypt',
    neededBy: 'ssm:GetParameter',
    why: 'WithDecryption of a SecureString document or host key: SSM decrypts with our permission',
  },
  { action: 'kms:Decrypt', neededBy: 'ssm:GetParametersByPath', why: 'WithDecryption of SecureString documents in the listing' },
  {
    action: 'secretsmanager:GetSecretValue',
    neededBy: 'ssm:GetParameter',
    why: 'a host key at /aws/reference/secretsmanager/<id>: SSM reads the secret as us',
    // Only a reconcile resolves host keys; the router's and the enumerator's GetParameter reads the accounts file (a String).
    only: ['worker'],
  },
  { action: 'kms:Decrypt', neededBy: 'secretsmanager:GetSecretValue', why: 'Secrets Manager decrypts the secret with our permission' },
  {
    action: 'iam:PassRole',
    neededBy: 'transfer:UpdateServer',
    why: 'LoggingRole, IdentityProviderDetails.InvocationRole and workflow ExecutionRole are passed to Transfer',
  },
];

/** Permissions Lambda itself uses with the function's role, not our code. */
function usedByLambda(cf: Template, functionId: string): Map<string, string> {
  const used = new Map<string, string>([
    ['logs:CreateLogStream', 'the runtime sends stdout (Powertools log lines, EMF metrics) to the function log group'],
    ['logs:PutLogEvents', 'the runtime sends stdout (Powertools log lines, EMF metrics) to the function log group'],
  ]);
  for (const r of Object.values(cf.Resources)) {
    if (r.Type !== 'AWS::Lambda::EventInvokeConfig' || (r.Properties.FunctionName as Json | undefined)?.Ref !== functionId) continue;
    const destination = ((r.Properties.DestinationConfig as Json | undefined)?.OnFailure as Json | undefined)?.Destination as
      Json | undefined;
    const queue = (destination?.['Fn::GetAtt'] as string[] | undefined)?.[0];
    if (queue !== undefined && cf.Resources[queue]?.Type === 'AWS::SQS::Queue')
      used.set('sqs:SendMessage', 'Lambda sends the on-failure record of an async invocation to the SQS destination');
  }
  for (const r of Object.values(cf.Resources)) {
    if (r.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    const fn = (r.Properties.FunctionName as Json | undefined)?.['Fn::GetAtt'] as string[] | undefined;
    const source = (r.Properties.EventSourceArn as Json | undefined)?.['Fn::GetAtt'] as string[] | undefined;
    if (fn?.[0] !== functionId || source?.[0] === undefined || cf.Resources[source[0]]?.Type !== 'AWS::SQS::Queue') continue;
    // The event source mapping polls the queue with the function's role (AWSLambdaSQSQueueExecutionRole's three actions).
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'])
      used.set(action, 'the SQS event source mapping receives, deletes and reads the queue with the function role');
  }
  return used;
}

interface DeployedFunction {
  id: string;
  name: string;
  roleId: string;
  bundle: string;
}

/** Each Lambda function in the template, its role and its bundle's code from its zip. */
function deployedFunctions(cf: Template, dir: string): DeployedFunction[] {
  return Object.entries(cf.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([id, r]) => {
      const roleId = ((r.Properties.Role as Json)['Fn::GetAtt'] as string[])[0] ?? '';
      const zip = basename(String((r.Properties.Code as Json).S3Key));
      const file = `${String(r.Properties.Handler).replace(/\.[^.]+$/, '')}.mjs`;
      const entry = zipEntries(join(dir, zip)).find((e) => e.name === file);
      assert.ok(entry, `${zip} has no ${file}`);
      return { id, name: zip.replace(/\.zip$/, ''), roleId, bundle: entry.data().toString('utf8') };
    });
}

const escape = (s: string) => s.replace(/[$]/g, '\\$');

/** Service name → operations whose command classes are in the bundle. */
function bundledOperations(bundle: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [, builder = '', service = ''] of bundle.matchAll(/([\w$]+)=[\w$]+\([\w$]+,"(\w+)","\w+Client",/g)) {
    const ops = out.get(service) ?? new Set<string>();
    for (const [, op = ''] of bundle.matchAll(new RegExp(`extends ${escape(builder)}\\([\\w$]+,[\\w$]+,"(\\w+)"`, 'g'))) ops.add(op);
    out.set(service, ops);
  }
  return out;
}

/** `<prefix>:<Operation>` for every operation of the Transfer and SSM clients in the bundle. */
function codeActions(bundle: string): Set<string> {
  const actions = new Set<string>();
  for (const [service, ops] of bundledOperations(bundle)) {
    const prefix = IAM_PREFIX[service];
    if (prefix !== undefined)
      for (const op of ops) {
        const action = `${prefix}:${op}`;
        if (CHAIN_ONLY.has(action) || (action === 'sts:AssumeRole' && !bundle.includes(ASSUMES_ROLES))) continue;
        actions.add(AUTHORISED_AS[action] ?? action);
      }
  }
  return actions;
}

function allowedActions(cf: Template, roleId: string): Set<string> {
  const role = cf.Resources[roleId];
  assert.ok(role, `role ${roleId} missing`);
  const statements = (role.Properties.Policies as Array<{ PolicyDocument: { Statement: Json[] } }>).flatMap(
    (p) => p.PolicyDocument.Statement,
  );
  return new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => ([] as string[]).concat(s.Action as string | string[])));
}

/** What the function needs: its code's calls, what AWS checks while serving them, and Lambda's own use. */
function neededActions(cf: Template, fn: DeployedFunction): Map<string, string> {
  const needed = new Map<string, string>([...codeActions(fn.bundle)].map((a) => [a, 'called by the bundled code']));
  let grew = true;
  while (grew) {
    grew = false;
    for (const rule of CHECKED_ON_OUR_BEHALF) {
      if (rule.only !== undefined && !rule.only.includes(fn.name)) continue;
      if (needed.has(rule.neededBy) && !needed.has(rule.action)) {
        needed.set(rule.action, `${rule.neededBy}: ${rule.why}`);
        grew = true;
      }
    }
  }
  for (const [action, why] of usedByLambda(cf, fn.id)) if (!needed.has(action)) needed.set(action, why);
  return needed;
}

/** Every `new <Op>Command(` in the product sources (CLI included). */
function sourceCommands(dir = join(ROOT, 'functions')): Set<string> {
  const found = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const [, op = ''] of text.matchAll(/new (\w+)Command\(/g)) found.add(op);
    // fromTemporaryCredentials sends AssumeRole for us (aws/role-credentials.ts).
    if (/\bfromTemporaryCredentials\(/.test(text)) found.add('AssumeRole');
  }
  return found;
}

const sorted = (s: Iterable<string>) => [...s].sort();

let cf: Template;
let functions: DeployedFunction[];
before(async () => {
  const pkg = await packaged();
  cf = pkg.template;
  functions = deployedFunctions(cf, pkg.dir);
});

describe('least privilege: the operations each function can call equal what its role allows', () => {
  test('markers: every function is found, and each bundle has the SDK clients it uses, with commands', () => {
    assert.deepEqual(sorted(functions.map((f) => f.name)), sorted(Object.keys(EXPECTED_SERVICES)));
    for (const fn of functions) {
      const services = bundledOperations(fn.bundle);
      for (const service of EXPECTED_SERVICES[fn.name] ?? [])
        assert.ok((services.get(service)?.size ?? 0) > 0, `${fn.name}: no ${service} commands found in the bundle`);
    }
  });

  test('no SDK client in a bundle besides Transfer, SSM, EC2, SQS and the default credential chain', () => {
    for (const fn of functions) {
      const unknown = [...bundledOperations(fn.bundle).keys()].filter((s) => IAM_PREFIX[s] === undefined && !CREDENTIAL_CHAIN.has(s));
      assert.deepEqual(unknown, [], `${fn.name} bundles a client the roles are not checked against`);
    }
  });

  test('every operation found in a bundle is one the product sources call (the marker finds real calls)', () => {
    const source = sourceCommands();
    for (const fn of functions) {
      const renamed = new Map(Object.entries(AUTHORISED_AS).map(([op, as]) => [as.split(':')[1] ?? '', op.split(':')[1] ?? '']));
      const ops = sorted([...codeActions(fn.bundle)].map((a) => a.split(':')[1] ?? '')).map((op) =>
        source.has(op) ? op : (renamed.get(op) ?? op),
      );
      assert.deepEqual(
        ops.filter((op) => !source.has(op)),
        [],
        fn.name,
      );
    }
  });

  test('no role has managed policies: its inline statements are all it is allowed', () => {
    for (const fn of functions) assert.equal(cf.Resources[fn.roleId]?.Properties.ManagedPolicyArns, undefined, fn.roleId);
    assert.equal(new Set(functions.map((f) => f.roleId)).size, functions.length, 'one role per function');
  });

  for (const name of Object.keys(EXPECTED_SERVICES)) {
    describe(name, () => {
      const fn = () => {
        const found = functions.find((f) => f.name === name);
        assert.ok(found, `no function ${name}`);
        return found;
      };

      test('every operation its code can call is allowed by its role', (t) => {
        const code = codeActions(fn().bundle);
        const allowed = allowedActions(cf, fn().roleId);
        t.diagnostic(`${name} code: ${sorted(code).join(', ')}`);
        assert.deepEqual(sorted([...code].filter((a) => !allowed.has(a))), [], 'called but not allowed');
      });

      test('every action its role allows is needed by some code path (or by AWS or Lambda on its behalf)', (t) => {
        const needed = neededActions(cf, fn());
        const allowed = allowedActions(cf, fn().roleId);
        t.diagnostic(`${name} role: ${sorted(allowed).join(', ')}`);
        for (const [action, why] of needed)
          if (!['transfer:', 'ssm:', 'ec2:', 'sqs:', 'sts:'].some((p) => action.startsWith(p)) || !codeActions(fn().bundle).has(action))
            t.diagnostic(`${action} ← ${why}`);
        assert.deepEqual(sorted([...allowed].filter((a) => !needed.has(a))), [], 'allowed but never needed');
        assert.deepEqual(sorted([...needed.keys()].filter((a) => !allowed.has(a))), [], 'needed but not allowed');
      });
    });
  }
});
