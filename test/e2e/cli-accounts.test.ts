// Accounts and regions through the built CLI against the emulator: push writes the accounts file
// as one parameter and other accounts' documents under nested names, only when changed; anything
// invalid (the accounts file, an unlisted account) means zero calls; --account filters; plan and
// reconcile reach another account's server only through its role (test/e2e/cli-org*.test.ts has
// the roles; here there are none).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { EXAMPLES, VALID_EXAMPLES, cliWorld, ndjson, operations } from './cli-fixtures.ts';

const world = await cliWorld();
const { emu, cli } = world;
const ORG = join(EXAMPLES, 'org');
const A = '111111111111/eu-west-1/s-0000000000000002a';
const B = '222222222222/ap-southeast-2/s-0000000000000002b';
const WRITES = new Set(['PutParameter', 'DeleteParameters', 'AddTagsToResource']);
const writes = (): string[] => operations(world.calls()).filter((op) => WRITES.has(op));
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function copyOfOrg(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tr-org-'));
  dirs.push(dir);
  cpSync(ORG, dir, { recursive: true });
  return dir;
}

describe('accounts', () => {
  test('push: the accounts parameter first, then nested names; again: all unchanged, no write', async () => {
    world.mark();
    const r = await cli(['push', ORG, '--prefix', '/org1/', '--accounts-parameter', '/org1-accounts']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\+ created +\/org1-accounts {2}\(v1, Standard, from .*org\/accounts\.yaml\)$/m);
    for (const key of [A, B]) assert.match(r.stdout, new RegExp(`^\\+ created +/org1/${key} `, 'm'));
    assert.deepEqual(writes(), ['PutParameter', 'PutParameter', 'PutParameter']);
    assert.equal(world.calls().find((c) => c.operation === 'PutParameter')?.target, '/org1-accounts');
    const stored = JSON.parse(emu.ssm.peek('/org1-accounts')?.value ?? '{}') as { accounts: Array<{ id: string }> };
    assert.deepEqual(
      stored.accounts.map((a) => a.id),
      ['111111111111', '222222222222'],
    );
    assert.ok(emu.ssm.peek(`/org1/${A}`));
    world.mark();
    const again = await cli(['push', ORG, '--prefix', '/org1/', '--accounts-parameter', '/org1-accounts', '--json']);
    assert.equal(again.code, 0, again.stderr);
    const out = JSON.parse(again.stdout) as { accounts: Record<string, unknown>; actions: Array<Record<string, unknown>> };
    assert.deepEqual(out.accounts, { action: 'unchanged', parameter: '/org1-accounts', file: join(ORG, 'accounts.yaml'), version: 1 });
    assert.deepEqual(out.actions[0], {
      action: 'unchanged',
      serverId: 's-0000000000000002a',
      accountId: '111111111111',
      region: 'eu-west-1',
      parameter: `/org1/${A}`,
      file: join(ORG, `${A}.yaml`),
      version: 1,
    });
    assert.deepEqual(writes(), []);
  });

  test('an invalid accounts file, or a document of an unlisted account or region: exit 1, zero calls', async () => {
    const bad = copyOfOrg();
    writeFileSync(
      join(bad, 'accounts.yaml'),
      'accounts:\n  - id: "111111111111"\n    role: arn:aws:iam::999999999999:role/x\n    externalId: e1\n    regions: [eu-west-1]\n',
    );
    world.mark();
    const r = await cli(['push', bad, '--prefix', '/org2/']);
    assert.equal(r.code, 1);
    assert.ok(
      r.stderr.includes(`${join(bad, 'accounts.yaml')}: $.accounts[0].role: the role is in account 999999999999, not 111111111111`),
      r.stderr,
    );
    assert.match(r.stderr, /nothing was written\.$/m);
    assert.deepEqual(operations(world.calls()), [], 'validation comes first: not even a read');
    const listed =
      'accounts:\n  - id: "111111111111"\n    role: arn:aws:iam::111111111111:role/x\n    externalId: e1\n    regions: [eu-west-1]\n';
    writeFileSync(join(bad, 'accounts.yaml'), listed);
    const unlisted = await cli(['push', bad, '--prefix', '/org2/']);
    assert.equal(unlisted.code, 1);
    const line = `${join(bad, `${B}.yaml`)}: $: account 222222222222 is not listed in ${join(bad, 'accounts.yaml')}`;
    assert.ok(unlisted.stderr.includes(line), unlisted.stderr);
    assert.deepEqual(operations(world.calls()), []);
    rmSync(join(bad, 'accounts.yaml'));
    const none = await cli(['push', bad, '--prefix', '/org2/']);
    assert.equal(none.code, 1);
    assert.match(
      none.stderr,
      /\$: this document is for account 111111111111 region eu-west-1 and needs an accounts file listing 111111111111/,
    );
    assert.deepEqual(operations(world.calls()), []);
  });

  test('--account: push and --prune keep to the accounts selected; validate filters too', async () => {
    const org = copyOfOrg();
    const base = ['--prefix', '/org3/', '--accounts-parameter', '/org3-accounts'];
    assert.equal((await cli(['push', org, ...base])).code, 0);
    rmSync(join(org, `${B}.yaml`));
    const only = await cli(['push', org, ...base, '--account', '111111111111', '--prune', '--json']);
    assert.equal(only.code, 0, only.stderr);
    const out = JSON.parse(only.stdout) as { actions: Array<{ action: string; parameter: string }> };
    assert.deepEqual(
      out.actions.map((a) => [a.action, a.parameter]),
      [['unchanged', `/org3/${A}`]],
    );
    assert.ok(emu.ssm.peek(`/org3/${B}`), 'another account is never pruned by a filtered push');
    const pruned = await cli(['push', org, ...base, '--account', '222222222222', '--prune']);
    assert.equal(pruned.code, 1, 'no document of 222222222222 left to push');
    const v = await cli(['validate', ORG, '--account', '222222222222/ap-southeast-2', '--json']);
    assert.equal(v.code, 0, v.stderr);
    assert.deepEqual(
      ndjson(v.stdout).map((x) => [x.kind ?? 'document', x.serverId ?? null]),
      [
        ['accounts', null],
        ['document', 's-0000000000000002b'],
      ],
    );
    const alone = await cli(['push', join(org, 'accounts.yaml'), ...base, '--prune']);
    assert.equal(alone.code, 1, 'an accounts file alone is never pruned against');
    assert.ok(emu.ssm.peek(`/org3/${A}`));
    writeFileSync(
      join(org, 'accounts.yaml'),
      readFileSync(join(ORG, 'accounts.yaml'), 'utf8').replace('[eu-west-1, us-east-1]', '[eu-west-1]'),
    );
    world.mark();
    const changed = await cli(['push', join(org, 'accounts.yaml'), ...base]);
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(changed.stdout, /^~ updated +\/org3-accounts {2}\(v2, Standard, from /m);
    assert.deepEqual(writes(), ['PutParameter'], 'the accounts parameter only');
    const file = await cli(['validate', join(ORG, 'accounts.yaml')]);
    assert.equal(file.code, 0, file.stderr);
    assert.match(file.stdout, /^1 valid, 0 invalid$/m);
  });

  test("plan and reconcile: another account's server is reached only through its role; without one, AccountRoleUnavailable", async () => {
    world.mark();
    const r = await cli(['plan', '--dir', ORG, '--json']);
    assert.equal(r.code, 1, r.stderr);
    const outcomes = ndjson(r.stdout);
    assert.deepEqual(
      outcomes.map((o) => [o.serverId, o.accountId, o.region, o.result, (o.error as { code: string }).code]),
      [
        ['s-0000000000000002a', '111111111111', 'eu-west-1', 'failed', 'AccountRoleUnavailable'],
        ['s-0000000000000002b', '222222222222', 'ap-southeast-2', 'failed', 'AccountRoleUnavailable'],
      ],
    );
    assert.match(
      (outcomes[0]?.error as { message: string }).message,
      // plan only reads: the entry's readRole (examples/org/accounts.yaml names one for this account).
      /cannot assume arn:aws:iam::111111111111:role\/transfer-reconciler-spoke-read for account 111111111111/,
    );
    assert.match(
      (outcomes[1]?.error as { message: string }).message,
      /cannot assume arn:aws:iam::222222222222:role\/transfer-reconciler\/spoke for account 222222222222/,
      'no readRole: the role',
    );
    assert.ok(!r.stdout.includes('7f3c9a1e5b2d48f6a0c4e8b1d3f5a7c9'), 'never the external id');
    const calls = world.calls();
    assert.deepEqual([...new Set(operations(calls))].sort(), ['AssumeRole', 'GetCallerIdentity'], 'no server call without the role');
    assert.ok(calls.every((c) => c.account === emu.accountId));
    assert.equal((await cli(['push', VALID_EXAMPLES, '--prefix', '/org1/'])).code, 0);
    world.mark();
    const rec = await cli([
      'reconcile',
      '--all',
      '--prefix',
      '/org1/',
      '--accounts-parameter',
      '/org1-accounts',
      '--account',
      '111111111111',
      '--json',
    ]);
    assert.equal(rec.code, 1);
    assert.deepEqual(
      ndjson(rec.stdout).map((o) => [o.serverId, o.result, (o.error as { code: string }).code]),
      [['s-0000000000000002a', 'failed', 'AccountRoleUnavailable']],
    );
    assert.match(
      JSON.stringify(ndjson(rec.stdout)[0]?.error),
      /cannot assume arn:aws:iam::111111111111:role\/transfer-reconciler-spoke for account/,
      'reconcile writes: the write role',
    );
    assert.deepEqual(operations(world.calls()).sort(), ['AssumeRole', 'GetCallerIdentity', 'GetParameter', 'GetParametersByPath']);
    world.mark();
    const missing = await cli(['reconcile', '--all', '--prefix', '/org1/', '--account', '111111111111', '--json']);
    assert.equal(missing.code, 1);
    const [unlisted] = ndjson(missing.stdout);
    assert.equal(unlisted?.result, 'invalid');
    assert.match(JSON.stringify(unlisted?.issues), /the accounts parameter \/transfer-reconciler\/accounts does not exist/);
    assert.deepEqual(operations(world.calls()), ['GetParametersByPath', 'GetParameter', 'GetCallerIdentity'], 'no role, no server call');
    const hub = await cli(['plan', '--all', '--prefix', '/org1/', '--account', 'hub', '--json']);
    assert.ok(ndjson(hub.stdout).every((o) => !String(o.parameter && (o.parameter as { name: string }).name).includes('/111111111111/')));
    world.mark();
    const keyed = await cli(['plan', '--server', A, '--json']);
    assert.equal(keyed.code, 1);
    assert.deepEqual(
      ndjson(keyed.stdout).map((o) => [o.serverId, o.result, (o.parameter as { name: string }).name]),
      [['s-0000000000000002a', 'invalid', `/transfer-reconciler/servers/${A}`]],
    );
    assert.deepEqual(operations(world.calls()), ['GetParameter', 'GetCallerIdentity'], 'the accounts parameter only, not the document');
    const exp = await cli(['export', '--all', '--out', join(tmpdir(), 'never'), '--account', '111111111111']);
    assert.equal(exp.code, 1);
    assert.match(exp.stderr, /the accounts parameter \/transfer-reconciler\/accounts does not exist/);
  });
});
