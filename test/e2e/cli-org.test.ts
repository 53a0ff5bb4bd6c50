// One plan across the organisation (cli-org-fixtures.ts: the hub and two spoke accounts in two
// regions) through the built CLI: `plan --dir` of the git folder is one plan grouped by account and
// region and one Markdown comment for the whole pull request; every call about a server is signed
// for that server's account and region (the call log), AssumeRole and SSM stay in the hub; the
// `--account` filters; a document of an unlisted account is invalid and nothing is written.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { ndjson } from './cli-fixtures.ts';
import { A, B, CLI_PRINCIPAL, HUB, WRITE_OPERATIONS, keyOf, misplacedCalls, orgWorld, roleOf, writeDocument } from './cli-org-fixtures.ts';

const world = await orgWorld();
const { cli, dir, places } = world;
const [hub, aEast, aWest, bEast, bWest] = places as [(typeof places)[number], ...typeof places];
const writes = (): string[] => world.calls().flatMap((c) => (WRITE_OPERATIONS.has(c.operation) ? [c.operation] : []));
const headers = (text: string, mark: string): string[] => text.split('\n').filter((l) => l.startsWith(mark));

describe('plan across the organisation', () => {
  test('plan --dir: one plan grouped by account and region, hub first; each call in its own account', async () => {
    world.mark();
    const r = await cli(['plan', '--dir', dir]);
    assert.equal(r.code, 2, r.stderr);
    assert.deepEqual(headers(r.stdout, '== '), [
      `== this account (${HUB}/us-east-1): 1 to change, 0 in sync, 0 blocked, 0 invalid`,
      `== ${A}/eu-west-1 (payments): 1 to change, 0 in sync, 0 blocked, 0 invalid`,
      `== ${A}/us-east-1 (payments): 1 to change, 0 in sync, 0 blocked, 0 invalid`,
      `== ${B}/eu-west-1 (analytics): 1 to change, 0 in sync, 0 blocked, 0 invalid`,
      `== ${B}/us-east-1 (analytics): 1 to change, 0 in sync, 0 blocked, 0 invalid`,
    ]);
    const section = r.stdout.split(`== ${B}/eu-west-1`)[1]?.split('\n== ')[0] ?? '';
    assert.match(section, new RegExp(`^${bWest?.serverId}  1 change to apply`, 'm'));
    assert.match(section, /\+ Tags\.team: "222222222222-eu-west-1"/);
    assert.match(r.stdout, /^Plan: 5 to change, 0 in sync, 0 blocked, 0 invalid\.$/m);
    const calls = world.calls();
    assert.deepEqual(misplacedCalls(calls, places), []);
    const assumed = calls.filter((c) => c.operation === 'AssumeRole');
    assert.deepEqual(assumed.map((c) => c.target).sort(), [roleOf(A), roleOf(B)], 'once per account, for both its regions');
    assert.ok(assumed.every((c) => c.principal === CLI_PRINCIPAL && c.status === 200));
    for (const p of places) {
      const described = calls.filter((c) => c.operation === 'DescribeServer' && c.target === p.serverId);
      assert.deepEqual(
        described.map((c) => `${c.account}/${c.region}`),
        [`${p.accountId ?? HUB}/${p.region}`],
      );
    }
    assert.deepEqual(writes(), []);
  });

  test('plan --format markdown: one comment for the pull request, a section per account-region with its counts', async () => {
    const r = await cli(['plan', '--dir', dir, '--format', 'markdown']);
    assert.equal(r.code, 2, r.stderr);
    const md = r.stdout;
    assert.equal(headers(md, '### ').length, 1, 'one comment');
    assert.match(md, /^\*\*Plan: 5 to change, 0 in sync, 0 blocked, 0 invalid\.\*\*$/m);
    assert.match(md, /^5 account-regions, 5 servers\.$/m);
    assert.match(md, /^\| Account\/Region \| Servers \| To change \| In sync \| Blocked \| Invalid \| Errors \|$/m);
    assert.match(md, new RegExp(`^\\| 111111111111/us-east-1 \\(payments\\) \\| 1 \\| 1 \\| 0 \\| 0 \\| 0 \\| 0 \\|$`, 'm'));
    assert.deepEqual(headers(md, '#### '), [
      `#### this account (${HUB}/us-east-1)`,
      `#### ${A}/eu-west-1 (payments)`,
      `#### ${A}/us-east-1 (payments)`,
      `#### ${B}/eu-west-1 (analytics)`,
      `#### ${B}/us-east-1 (analytics)`,
    ]);
    assert.equal(md.match(/^\*\*Plan: 1 to change, 0 in sync, 0 blocked, 0 invalid\.\*\*$/gm)?.length, 5);
    assert.deepEqual(
      headers(md, '##### ').map((h) => /s-[0-9a-f]{17}/.exec(h)?.[0]),
      [hub, aWest, aEast, bWest, bEast].map((p) => p?.serverId),
    );
  });

  test('--json: each outcome carries its accountId and region (none for the hub)', async () => {
    const r = await cli(['plan', '--dir', dir, '--json']);
    assert.equal(r.code, 2, r.stderr);
    const got = ndjson(r.stdout).map((o) => [o.serverId, o.accountId ?? null, o.region ?? null, o.result]);
    const want = places.map((p) => [p.serverId, p.accountId ?? null, p.accountId === undefined ? null : p.region, 'drift-detected']);
    assert.deepEqual(
      got.sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
      want.sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  });

  test('--account filters: one account-region, a whole account, the hub; no other account is called', async () => {
    world.mark();
    const one = await cli(['plan', '--dir', dir, '--account', `${A}/eu-west-1`, '--json']);
    assert.equal(one.code, 2, one.stderr);
    assert.deepEqual(
      ndjson(one.stdout).map((o) => o.serverId),
      [aWest?.serverId],
    );
    assert.ok(
      world.calls().every((c) => c.account !== B),
      'account B is never reached',
    );
    const account = await cli(['plan', '--dir', dir, '--account', B, '--json']);
    assert.deepEqual(
      ndjson(account.stdout)
        .map((o) => o.serverId)
        .sort(),
      [bEast?.serverId, bWest?.serverId].sort(),
    );
    world.mark();
    const onlyHub = await cli(['plan', '--dir', dir, '--account', 'hub']);
    assert.equal(onlyHub.code, 2);
    assert.doesNotMatch(onlyHub.stdout, /^== /m, 'the hub alone: output as before accounts');
    assert.match(onlyHub.stdout, new RegExp(`^${hub?.serverId}  1 change to apply`, 'm'));
    assert.deepEqual(
      world.calls().map((c) => c.operation),
      ['DescribeServer'],
      'no role is assumed for the hub alone',
    );
    const keyed = await cli(['plan', '--dir', dir, '--server', keyOf(bEast as (typeof places)[number]), '--json']);
    assert.deepEqual(
      ndjson(keyed.stdout).map((o) => [o.serverId, o.accountId]),
      [[bEast?.serverId, B]],
    );
  });

  test('a document of an unlisted account is invalid, reaches nothing, and nothing is written', async () => {
    const copy = world.tmp();
    cpSync(dir, copy, { recursive: true });
    const stray = { accountId: '333333333333', region: 'us-east-1', serverId: 's-0123456789abcdef0' };
    const path = writeDocument(copy, stray);
    world.mark();
    const r = await cli(['plan', '--dir', copy, '--json']);
    assert.equal(r.code, 1);
    const outcomes = ndjson(r.stdout);
    const invalid = outcomes.find((o) => o.serverId === stray.serverId);
    assert.equal(invalid?.result, 'invalid');
    assert.equal(invalid?.accountId, '333333333333');
    assert.match(JSON.stringify(invalid?.issues), /account 333333333333 is not listed in .*accounts\.yaml/);
    assert.equal((invalid?.parameter as { name: string }).name, path);
    assert.equal(outcomes.filter((o) => o.result === 'drift-detected').length, 5, 'the others are planned');
    assert.ok(world.calls().every((c) => c.account !== '333333333333'));
    assert.deepEqual(writes(), []);
    const md = await cli(['plan', '--dir', copy, '--format', 'markdown']);
    assert.match(md.stdout, /^#### 333333333333\/us-east-1$/m);
    assert.match(md.stdout, /\*\*Invalid\*\* `\$`: account 333333333333 is not listed/);
  });
});
