// The spoke's read-only role through the built CLI (cli-org-fixtures.ts, with a readRole per account
// in the accounts file): the roles are registered as the spoke template makes them — the write role
// trusts only the hub's worker, the read role the CLI's principal (a CI plan role, a person) — so
// plan, status, export and reconcile --mode detect work, assume only the read roles and every spoke
// call is signed by a read-role session; an enforcing reconcile assumes the write role (once it
// trusts the person running it), and without readRole the read-only commands fall back to role.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { RECONCILER_ROLE_ARN } from '../../infra/local/principals.ts';
import type { CallLogEntry } from '../../infra/local/types.ts';
import { A, B, CLI_PRINCIPAL, EXTERNAL_IDS, WRITE_OPERATIONS, accountsText, misplacedCalls, orgWorld, roleOf } from './cli-org-fixtures.ts';

const world = await orgWorld();
const { emu, cli, dir, places } = world;
const SPOKES = [A, B] as const;
const readRoleOf = (account: string): string => `arn:aws:iam::${account}:role/transfer-reconciler-spoke-read`;
const PREFIX = ['--prefix', '/read-role/', '--accounts-parameter', '/read-role-accounts'];

/** The fixture's accounts file with `readRole:` after each `role:`. */
const withReadRoles = (): string =>
  accountsText().replace(
    /^( {4}role: arn:aws:iam::(\d{12}):role\/.*)$/gm,
    (line, _l, id: string) => `${line}\n    readRole: ${readRoleOf(id)}`,
  );
const externalIdOf = (id: string): string => EXTERNAL_IDS[id as keyof typeof EXTERNAL_IDS];
/** The spoke template's trust: the write role the worker only, the read role the CLI's principal. */
function templateTrust(writeTrusts: string[] = [RECONCILER_ROLE_ARN]): void {
  for (const id of SPOKES) {
    emu.roles.add({ arn: roleOf(id), trustedPrincipals: writeTrusts, externalId: externalIdOf(id) });
    emu.roles.add({ arn: readRoleOf(id), trustedPrincipals: [CLI_PRINCIPAL], externalId: externalIdOf(id) });
  }
}
const assumed = (calls: CallLogEntry[]): string[] =>
  calls
    .filter((c) => c.operation === 'AssumeRole')
    .map((c) => `${c.target ?? ''} ${c.status}`)
    .sort();
/** Roles of the sessions that signed the spoke accounts' Transfer and EC2 calls. */
const spokeRoles = (calls: CallLogEntry[]): string[] => [
  ...new Set(
    calls
      .filter((c) => (c.service === 'transfer' || c.service === 'ec2') && SPOKES.includes(c.account as (typeof SPOKES)[number]))
      .map((c) => /^arn:aws:sts::\d{12}:assumed-role\/([^/]+)\//.exec(c.principal ?? '')?.[1] ?? String(c.principal)),
  ),
];
const writes = (calls: CallLogEntry[]): string[] => calls.flatMap((c) => (WRITE_OPERATIONS.has(c.operation) ? [c.operation] : []));
/** The spoke template's read role actions (infra/aws/spoke/template.yml). */
const templateReadActions = (() => {
  const t = parseYaml(readFileSync(new URL('../../infra/aws/spoke/template.yml', import.meta.url), 'utf8')) as {
    Resources: { SpokeReadRole: { Properties: { Policies: Array<{ PolicyDocument: { Statement: Array<{ Action: string[] }> } }> } } };
  };
  return new Set(t.Resources.SpokeReadRole.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement.flatMap((st) => st.Action)));
})();
/** Every spoke call of a read-role session is an action the template's read role allows. */
const readCalls: CallLogEntry[] = [];
const keepReadCalls = (calls: CallLogEntry[]): void => {
  readCalls.push(...calls.filter((c) => (c.principal ?? '').includes(':assumed-role/transfer-reconciler-spoke-read/')));
};
const bothRead = [`${readRoleOf(A)} 200`, `${readRoleOf(B)} 200`];

writeFileSync(join(dir, 'accounts.yaml'), withReadRoles());
templateTrust();

describe('the read-only commands assume the read role, never the write role', () => {
  test('plan --dir: the read roles only (the write roles do not trust the CLI), no write', async () => {
    world.mark();
    const r = await cli(['plan', '--dir', dir]);
    assert.equal(r.code, 2, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^Plan: 5 to change, 0 in sync, 0 blocked, 0 invalid\.$/m);
    const calls = world.calls();
    assert.deepEqual(assumed(calls), bothRead);
    assert.deepEqual(spokeRoles(calls), ['transfer-reconciler-spoke-read']);
    keepReadCalls(calls);
    assert.deepEqual(misplacedCalls(calls, places), []);
    assert.deepEqual(writes(calls), []);
  });

  test('status --dir and reconcile --mode detect (from SSM, after push): the read roles only', async () => {
    world.mark();
    const s = await cli(['status', '--dir', dir]);
    assert.equal(s.code, 2, `${s.stdout}\n${s.stderr}`);
    assert.deepEqual(assumed(world.calls()), bothRead);
    assert.deepEqual(spokeRoles(world.calls()), ['transfer-reconciler-spoke-read']);
    keepReadCalls(world.calls());
    assert.equal((await cli(['push', dir, ...PREFIX])).code, 0);
    for (const args of [
      ['status', '--all'],
      ['reconcile', '--all', '--mode', 'detect'],
    ]) {
      world.mark();
      const r = await cli([...args, ...PREFIX]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}\n${r.stderr}`);
      const calls = world.calls();
      assert.deepEqual(assumed(calls), bothRead, args.join(' '));
      keepReadCalls(calls);
      assert.deepEqual(spokeRoles(calls), ['transfer-reconciler-spoke-read'], args.join(' '));
      assert.deepEqual(writes(calls), [], args.join(' '));
    }
  });

  test('export --all of a spoke: ListServers and the reads through the read role', async () => {
    world.mark();
    const out = world.tmp();
    const r = await cli(['export', '--all', '--account', A, '--out', out, '--accounts', join(dir, 'accounts.yaml')]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const calls = world.calls();
    assert.deepEqual(assumed(calls), [`${readRoleOf(A)} 200`]);
    keepReadCalls(calls);
    assert.deepEqual(spokeRoles(calls), ['transfer-reconciler-spoke-read']);
    assert.ok(calls.some((c) => c.operation === 'ListServers' && c.account === A));
    assert.deepEqual(writes(calls), []);
  });

  test("every call of the read role's sessions is an action of the template's read role, and they used all of them", () => {
    const used = new Set(readCalls.map((c) => `${c.service}:${c.operation}`));
    assert.deepEqual(
      [...used].filter((a) => !templateReadActions.has(a)),
      [],
      'calls the read role would refuse',
    );
    assert.deepEqual(
      [...templateReadActions].filter((a) => !used.has(a)).sort(),
      ['ec2:DescribeVpcEndpoints'],
      'the fixture has no VPC server',
    );
  });

  test('reconcile --all (enforcing) assumes the write role: refused while it trusts only the worker, then converges', async () => {
    world.mark();
    const refused = await cli(['reconcile', '--all', ...PREFIX, '--json']);
    assert.equal(refused.code, 1);
    assert.deepEqual(assumed(world.calls()), [`${roleOf(A)} 403`, `${roleOf(B)} 403`], 'never the read role');
    assert.deepEqual(spokeRoles(world.calls()), [], 'no call in a spoke without its write role');
    templateTrust([RECONCILER_ROLE_ARN, CLI_PRINCIPAL]);
    world.mark();
    const r = await cli(['reconcile', '--all', ...PREFIX]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const calls = world.calls();
    assert.deepEqual(assumed(calls), [`${roleOf(A)} 200`, `${roleOf(B)} 200`]);
    assert.deepEqual(spokeRoles(calls), ['transfer-reconciler-spoke']);
    assert.ok(writes(calls).includes('TagResource'));
    templateTrust();
  });

  test('without readRole, plan assumes role: it works only if the write role trusts the caller', async () => {
    writeFileSync(join(dir, 'accounts.yaml'), accountsText());
    try {
      world.mark();
      const denied = await cli(['plan', '--dir', dir]);
      assert.equal(denied.code, 1);
      assert.deepEqual(assumed(world.calls()), [`${roleOf(A)} 403`, `${roleOf(B)} 403`]);
      templateTrust([RECONCILER_ROLE_ARN, CLI_PRINCIPAL]);
      world.mark();
      const r = await cli(['plan', '--dir', dir]);
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      assert.deepEqual(assumed(world.calls()), [`${roleOf(A)} 200`, `${roleOf(B)} 200`]);
    } finally {
      writeFileSync(join(dir, 'accounts.yaml'), withReadRoles());
      templateTrust();
    }
  });
});
