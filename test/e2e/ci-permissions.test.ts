// The CI policy documents (infra/aws/ci/) against what each CLI command really calls, both ways:
// every command is run as a child process against the emulator, its calls are read from the
// emulator's call log and mapped to IAM actions (service:Operation), and the actions of each
// policy must equal the union of its commands' actions — nothing missing, nothing unused. Each
// SSM call's parameter must fall under a Resource of a statement granting that action. ci-plan's
// commands run while the emulator refuses every decryption (no kms:Decrypt), and still compare
// host keys; push run the same way fails, which is why ci-push grants kms:Decrypt. One document is
// a spoke's (accounts.yaml lists it with its read-only role): push writes the accounts parameter,
// plan reads it and assumes the spoke's read role (sts:AssumeRole, never the write role); the
// calls in the spoke are the read role session's, checked against the spoke template's read role.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { CallLogEntry } from '../../infra/local/types.ts';
import { runCli } from '../helpers/cli-process.ts';
import { emulatorForTests } from '../helpers/emulator.ts';
import { assertNoKeyMaterial, markedHostKey } from '../helpers/secrets.ts';

interface Statement {
  Effect: string;
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}
const policy = (name: string): Statement[] =>
  (JSON.parse(readFileSync(new URL(`../../infra/aws/ci/${name}.json`, import.meta.url), 'utf8')) as { Statement: Statement[] }).Statement;
const actionsOf = (statements: Statement[]): Set<string> => new Set(statements.flatMap((s) => s.Action));
const sorted = (s: Iterable<string>): string[] => [...s].sort();

const emu = await emulatorForTests({ transitionDelayMs: 30 });
const PLACEHOLDERS: Record<string, string> = {
  Region: emu.region,
  Account: emu.accountId,
  DocumentPath: '/transfer-reconciler/servers',
  HostKeyPath: '/transfer-reconciler/host-keys',
};
const substitute = (text: string): string => text.replace(/\$\{(\w+)\}/g, (m, name: string) => PLACEHOLDERS[name] ?? m);
/** IAM's ARN matching: `*` is any run of characters, `?` one character. */
const matches = (pattern: string, arn: string): boolean =>
  new RegExp(
    `^${substitute(pattern)
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(arn);

const IDS = {
  key: 's-00000000000c1a001',
  vpc: 's-00000000000c1a002',
  keys: 's-00000000000c1a003',
  spoke: 's-00000000000c1a004',
  gone: 's-00000000000c1a009',
};
const SPOKE = '111111111111';
const SPOKE_EXTERNAL_ID = 'c1a0c1a0c1a0c1a0c1a0c1a0c1a0c1a0';
const SPOKE_ROLE = `arn:aws:iam::${SPOKE}:role/transfer-reconciler-spoke`;
const SPOKE_READ_ROLE = `${SPOKE_ROLE}-read`;
/** The CLI's principal (the key "local", infra/local/principals.ts). */
const CLI_PRINCIPAL = `arn:aws:sts::${emu.accountId}:assumed-role/Admin/alice`;
const VPC = { VpcId: 'vpc-0c1a0000000000001', SubnetIds: ['subnet-0c1a0000000000011'] };
const KEYS = { one: markedHostKey('ed25519'), two: markedHostKey('ed25519'), three: markedHostKey('ecdsa') };
const keyParam = (name: string): string => `${PLACEHOLDERS.HostKeyPath}/${name}`;

emu.transfer.createServerWithId(IDS.key, { Protocols: ['SFTP'], HostKey: KEYS.one });
emu.transfer.createServerWithId(IDS.vpc, { Protocols: ['SFTP'], EndpointType: 'VPC', EndpointDetails: VPC });
emu.transfer.createServerWithId(IDS.keys, { Protocols: ['SFTP'], HostKey: KEYS.two });
// The spoke as its template makes it: the write role trusts the hub's worker only, the read role the CI principal.
emu.at(SPOKE, emu.region).transfer.createServerWithId(IDS.spoke, { Protocols: ['SFTP'] });
emu.roles.add({
  arn: SPOKE_ROLE,
  trustedPrincipals: [`arn:aws:iam::${emu.accountId}:role/transfer-reconciler-worker`],
  externalId: SPOKE_EXTERNAL_ID,
});
emu.roles.add({ arn: SPOKE_READ_ROLE, trustedPrincipals: [CLI_PRINCIPAL], externalId: SPOKE_EXTERNAL_ID });
for (const [name, value] of Object.entries(KEYS))
  await emu.ssm.handle('PutParameter', { Name: keyParam(name), Type: 'SecureString', Value: value });

const dir = mkdtempSync(join(tmpdir(), 'tr-ci-permissions-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const documents: Record<string, unknown> = {
  [IDS.key]: { HostKey: { SecureStringParameter: keyParam('one') }, PreAuthenticationLoginBanner: 'changed' },
  [IDS.vpc]: { EndpointType: 'VPC', EndpointDetails: { ...VPC, SecurityGroupIds: ['sg-0c1a0000000000021'] } },
  [IDS.keys]: {
    HostKeys: [{ SecureStringParameter: keyParam('two') }, { SecureStringParameter: keyParam('three') }],
    Reconciler: { AllowHostKeyRotation: true },
  },
};
for (const [id, doc] of Object.entries(documents)) writeFileSync(join(dir, `${id}.json`), JSON.stringify(doc));
mkdirSync(join(dir, SPOKE, emu.region), { recursive: true });
writeFileSync(join(dir, SPOKE, emu.region, `${IDS.spoke}.json`), JSON.stringify({ PreAuthenticationLoginBanner: 'spoke' }));
writeFileSync(
  join(dir, 'accounts.yaml'),
  [
    'accounts:',
    `  - id: "${SPOKE}"`,
    `    role: ${SPOKE_ROLE}`,
    `    readRole: ${SPOKE_READ_ROLE}`,
    `    externalId: ${SPOKE_EXTERNAL_ID}`,
    `    regions: [${emu.region}]`,
    '',
  ].join('\n'),
);
/** The spoke template's read role actions. */
const spokeReadActions = (): Set<string> => {
  const t = parseYaml(readFileSync(new URL('../../infra/aws/spoke/template.yml', import.meta.url), 'utf8')) as {
    Resources: { SpokeReadRole: { Properties: { Policies: Array<{ PolicyDocument: { Statement: Statement[] } }> } } };
  };
  return actionsOf(t.Resources.SpokeReadRole.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement));
};

const env = { TRANSFER_RECONCILER_ENDPOINT_URL: emu.url, NO_COLOR: '1', AWS_PROFILE: undefined, AWS_ACCESS_KEY_ID: undefined };
/** Runs one command; its calls are what the emulator logged meanwhile. */
async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; calls: CallLogEntry[] }> {
  const since = emu.calls.list(0, {}).at(-1)?.seq ?? 0;
  const r = await runCli(args, env);
  for (const key of Object.values(KEYS)) assertNoKeyMaterial(`${r.stdout}\n${r.stderr}`, key);
  assert.ok(!`${r.stdout}${r.stderr}`.includes(SPOKE_EXTERNAL_ID), 'the external id is never printed');
  return { ...r, calls: emu.calls.list(since, {}) };
}
/** The CI role's own calls (in the hub account; a spoke's are signed by the assumed role's session). */
const ownCalls = (calls: CallLogEntry[]): CallLogEntry[] => calls.filter((c) => c.principal === CLI_PRINCIPAL);
const iamActions = (calls: CallLogEntry[]): Set<string> => new Set(ownCalls(calls).map((c) => `${c.service}:${c.operation}`));

/** Every SSM call names a parameter, every AssumeRole a role, that a statement granting its action covers. */
function assertResourcesCovered(statements: Statement[], calls: CallLogEntry[]): void {
  for (const c of ownCalls(calls).filter((call) => call.service === 'ssm' || call.operation === 'AssumeRole')) {
    const arn = c.service === 'sts' ? (c.target ?? '') : `arn:aws:ssm:${emu.region}:${emu.accountId}:parameter${c.target ?? ''}`;
    const granted = statements.some(
      (s) => s.Action.includes(`${c.service}:${c.operation}`) && [s.Resource].flat().some((pattern) => matches(pattern, arn)),
    );
    assert.ok(granted, `${c.service}:${c.operation} on ${arn} is not granted`);
  }
}

const planRuns: Array<{ name: string; code: number | null; calls: CallLogEntry[] }> = [];
const pushRuns: Array<{ name: string; code: number | null; calls: CallLogEntry[] }> = [];

describe('CI policy documents match what each command calls', () => {
  test('validate calls nothing', async () => {
    const r = await run(['validate', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.calls, []);
    planRuns.push({ name: 'validate', ...r });
  });

  test('push, then push --prune: documents written, fingerprints recorded', async () => {
    const push = await run(['push', dir]);
    assert.equal(push.code, 0, push.stderr);
    for (const name of Object.keys(KEYS))
      assert.match(push.stdout, new RegExp(`# fingerprint recorded ${keyParam(name)} v1 {2}\\(SHA256:`));
    pushRuns.push({ name: 'push', ...push });
    await emu.ssm.handle('PutParameter', { Name: `${PLACEHOLDERS.DocumentPath}/${IDS.gone}`, Type: 'String', Value: '{}' });
    const prune = await run(['push', dir, '--prune']);
    assert.equal(prune.code, 0, prune.stderr);
    assert.ok(prune.calls.some((c) => c.operation === 'DeleteParameters'));
    assert.ok(!prune.calls.some((c) => c.operation === 'AddTagsToResource'), 'recorded fingerprints are not written again');
    pushRuns.push({ name: 'push --prune', ...prune });
  });

  test('plan --all, --dir and --server with credentials that cannot decrypt: host keys still compared', async () => {
    emu.ssm.setDecryption('denied');
    try {
      for (const args of [['--all'], ['--dir', dir], ['--server', IDS.keys]]) {
        const r = await run(['plan', ...args]);
        assert.equal(r.code, 2, `plan ${args.join(' ')}: ${r.stdout}\n${r.stderr}`);
        assert.deepEqual(
          r.calls.filter((c) => c.errorCode !== undefined),
          [],
        );
        planRuns.push({ name: `plan ${args[0] ?? ''}`, ...r });
      }
      const all = planRuns.find((p) => p.name === 'plan --all');
      assert.ok(all?.calls.some((c) => c.operation === 'ListTagsForResource'));
      for (const name of ['plan --all', 'plan --dir']) {
        const calls = planRuns.find((p) => p.name === name)?.calls ?? [];
        assert.deepEqual(
          calls.filter((c) => c.operation === 'AssumeRole').map((c) => c.target),
          [SPOKE_READ_ROLE],
          `${name}: the spoke's read role, never its write role`,
        );
        assert.ok(
          calls.some((c) => c.operation === 'DescribeServer' && c.target === IDS.spoke && c.account === SPOKE),
          name,
        );
      }
      // status --all: as plan --all, plus ListServers in the hub (and in the spoke, by the read role) for the unmanaged servers.
      const status = await run(['status', '--all']);
      assert.equal(status.code, 2, `status --all: ${status.stdout}\n${status.stderr}`);
      assert.ok(status.calls.some((c) => c.operation === 'ListServers' && c.principal === CLI_PRINCIPAL));
      assert.ok(status.calls.some((c) => c.operation === 'ListServers' && c.account === SPOKE && c.principal !== CLI_PRINCIPAL));
      planRuns.push({ name: 'status --all', ...status });
      const dirPlan = await run(['plan', '--dir', dir, '--server', IDS.keys]);
      assert.match(dirPlan.stdout, /SHA256:/, 'the HostKeys change is shown by fingerprint');
      // push has to read the key to record a new version's fingerprint: refused without kms:Decrypt.
      await emu.ssm.handle('PutParameter', { Name: keyParam('one'), Type: 'SecureString', Value: KEYS.one, Overwrite: true });
      const push = await run(['push', dir]);
      assert.equal(push.code, 1);
      assert.match(push.stderr, /fingerprint of \/transfer-reconciler\/host-keys\/one not recorded: AccessDeniedException: .*kms:Decrypt/);
    } finally {
      emu.ssm.setDecryption('allowed');
    }
  });

  test('ci-plan allows exactly what validate, plan and status call: read-only, no kms:Decrypt', () => {
    const statements = policy('ci-plan');
    const used = new Set(planRuns.flatMap((r) => [...iamActions(r.calls)]));
    // GetCallerIdentity (the hub's label in an organisation-wide plan) needs no permission: IAM cannot deny it.
    used.delete('sts:GetCallerIdentity');
    assert.ok(planRuns.length >= 4);
    assert.deepEqual(sorted(actionsOf(statements)), sorted(used));
    // sts:AssumeRole only on the spokes' read-only role (its permissions: spoke-template.test.ts), never the write role.
    for (const a of actionsOf(statements))
      if (a !== 'sts:AssumeRole') assert.match(a, /^[a-z0-9]+:(Get|List|Describe)/, `${a} is not a read`);
    assert.deepEqual(
      statements.filter((s) => s.Action.includes('sts:AssumeRole')).map((s) => [s.Action, s.Resource]),
      [[['sts:AssumeRole'], ['arn:aws:iam::*:role/transfer-reconciler-spoke-read']]],
    );
    assert.ok(![...actionsOf(statements)].some((a) => a.startsWith('kms:')), 'no kms action at all');
    for (const r of planRuns) assertResourcesCovered(statements, r.calls);
    // What plan does in the spoke is the read role's: only the spoke template's read role actions.
    const inSpoke = planRuns.flatMap((r) => r.calls.filter((c) => c.principal !== CLI_PRINCIPAL));
    assert.ok(inSpoke.length > 0);
    assert.ok(
      inSpoke.every((c) => c.principal === `arn:aws:sts::${SPOKE}:assumed-role/transfer-reconciler-spoke-read/transfer-reconciler-cli`),
    );
    const readRole = spokeReadActions();
    assert.deepEqual(
      [...new Set(inSpoke.map((c) => `${c.service}:${c.operation}`))].filter((a) => !readRole.has(a)),
      [],
    );
  });

  test('ci-push allows exactly what push calls, writes on the document prefix only, kms:Decrypt via SSM on host keys', () => {
    const statements = policy('ci-push');
    const used = new Set(pushRuns.flatMap((r) => [...iamActions(r.calls)]));
    used.add('kms:Decrypt'); // checked on push's behalf by SSM (shown refused above)
    assert.deepEqual(sorted(actionsOf(statements)), sorted(used));
    for (const r of pushRuns) assertResourcesCovered(statements, r.calls);
    for (const s of statements.filter((st) => st.Action.some((a) => /^ssm:(Put|Delete)/.test(a))))
      for (const pattern of [s.Resource].flat())
        assert.ok(pattern.includes(':parameter${DocumentPath}') || pattern.endsWith(':parameter/transfer-reconciler/accounts'), pattern);
    assert.ok(
      pushRuns.some((r) => r.calls.some((c) => c.operation === 'PutParameter' && c.target === '/transfer-reconciler/accounts')),
      'push wrote the accounts file',
    );
    const decrypt = statements.find((s) => s.Action.includes('kms:Decrypt'));
    assert.equal(decrypt?.Condition?.StringEquals?.['kms:ViaService'], 'ssm.${Region}.amazonaws.com');
    assert.match(decrypt?.Condition?.StringLike?.['kms:EncryptionContext:PARAMETER_ARN'] ?? '', /parameter\$\{HostKeyPath\}\/\*$/);
  });

  test('the README permissions table names every action of both documents', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Permissions'), readme.indexOf('\n## ', readme.indexOf('## Permissions') + 1));
    assert.ok(section.length > 100, 'README has a Permissions section');
    for (const a of [...actionsOf(policy('ci-plan')), ...actionsOf(policy('ci-push'))])
      assert.ok(section.includes(`\`${a}\``), `${a} missing from README ## Permissions`);
  });
});
