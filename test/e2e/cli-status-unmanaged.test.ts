// `status --all` counts the servers without a document (cli-org-fixtures.ts, after `push`): one
// extra server in the hub and one in a spoke, ListServers'd with the hub's clients and through the
// spoke's role, each counted UNMANAGED in its own account-region (text, --json), listed with the
// not-in-sync servers, exit 1; a spoke whose role is refused is a problem line naming each of its
// account-regions and the code while the others are still counted; --dir and --server count no
// unmanaged servers and call no ListServers; status never writes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { A, B, CLI_PRINCIPAL, HUB, WRITE_OPERATIONS, misplacedCalls, orgWorld, roleOf } from './cli-org-fixtures.ts';
import type { Place } from './cli-org-fixtures.ts';

const world = await orgWorld();
const { emu, cli, dir, places } = world;
const PREFIX = ['--prefix', '/unmanaged/', '--accounts-parameter', '/unmanaged-accounts'];
const HUB_EXTRA = 's-00000000000aa0001';
const SPOKE_EXTRA = 's-00000000000aa0002';
emu.transfer.createServerWithId(HUB_EXTRA, { Protocols: ['SFTP'] });
emu.at(A, 'us-east-1').transfer.createServerWithId(SPOKE_EXTRA, { Protocols: ['SFTP'] });
const all: Place[] = [
  ...places,
  { region: 'us-east-1', serverId: HUB_EXTRA },
  { accountId: A, region: 'us-east-1', serverId: SPOKE_EXTRA },
];
const writes = (): string[] => world.calls().flatMap((c) => (WRITE_OPERATIONS.has(c.operation) ? [c.operation] : []));
const listCalls = (): string[] =>
  world
    .calls()
    .filter((c) => c.operation === 'ListServers')
    .map((c) => `${c.account ?? '?'}/${c.region ?? '?'}`)
    .sort();
const cells = (stdout: string): string[][] => stdout.split('\n').map((l) => l.split(/ {2,}/));

interface StatusJson {
  ok: boolean;
  accounts: Array<Record<string, unknown> & { place: string; notInSync: Array<{ serverId: string; result: string; parameter: string }> }>;
  totals: Record<string, number>;
  problems: Array<{ name: string; message: string }>;
}

describe('status --all counts the servers without a document', () => {
  test('push, then status: unmanaged per account-region in the table, listed, exit 1, no write', async () => {
    assert.equal((await cli(['push', dir, ...PREFIX])).code, 0);
    await cli(['reconcile', '--all', ...PREFIX]);
    world.mark();
    const r = await cli(['status', ...PREFIX]);
    assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^ACCOUNT\/REGION +NAME +SERVERS +IN-SYNC +DRIFT +BLOCKED +INVALID +FAILED +UNMANAGED$/m);
    const rows = cells(r.stdout);
    assert.deepEqual(rows[1], [`this account (${HUB}/us-east-1)`, '2', '1', '0', '0', '0', '0', '1']);
    assert.deepEqual(
      rows.find((x) => x[0] === `${A}/us-east-1`),
      [`${A}/us-east-1`, 'payments', '2', '1', '0', '0', '0', '0', '1'],
    );
    assert.deepEqual(
      rows.find((x) => x[0] === `${B}/us-east-1`),
      [`${B}/us-east-1`, 'analytics', '1', '1', '0', '0', '0', '0', '0'],
    );
    assert.deepEqual(
      rows.find((x) => x[0] === 'TOTAL'),
      ['TOTAL', '7', '5', '0', '0', '0', '0', '2'],
    );
    assert.match(r.stdout, new RegExp(`^${HUB_EXTRA}  unmanaged  no document \\(/unmanaged/${HUB_EXTRA}\\)$`, 'm'));
    assert.match(
      r.stdout,
      new RegExp(`^${A}/us-east-1/${SPOKE_EXTRA}  unmanaged  no document \\(/unmanaged/${A}/us-east-1/${SPOKE_EXTRA}\\)$`, 'm'),
    );
    assert.match(r.stdout, /^Status: 7 servers in 5 account-regions: 5 in sync, 0 drift, 0 blocked, 0 invalid, 0 failed, 2 unmanaged\.$/m);
    assert.equal(r.stderr.trim(), '');
    assert.deepEqual(listCalls(), [`${HUB}/us-east-1`, `${A}/eu-west-1`, `${A}/us-east-1`, `${B}/eu-west-1`, `${B}/us-east-1`].sort());
    assert.deepEqual(writes(), [], 'status never writes');
    assert.deepEqual(misplacedCalls(world.calls(), all), []);
  });

  test('--json: an unmanaged field per account-region and in totals, the servers in notInSync', async () => {
    world.mark();
    const r = await cli(['status', '--all', ...PREFIX, '--json']);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as StatusJson;
    assert.equal(out.ok, false);
    assert.deepEqual(
      out.accounts.map((a) => [a.place, a.servers, a.inSync, a.unmanaged]),
      [
        ['hub', 2, 1, 1],
        [`${A}/eu-west-1`, 1, 1, 0],
        [`${A}/us-east-1`, 2, 1, 1],
        [`${B}/eu-west-1`, 1, 1, 0],
        [`${B}/us-east-1`, 1, 1, 0],
      ],
    );
    assert.equal(out.totals.unmanaged, 2);
    assert.equal(out.totals.servers, 7);
    assert.deepEqual(out.accounts[0]?.notInSync, [
      { serverId: HUB_EXTRA, result: 'unmanaged', changes: 0, parameter: `/unmanaged/${HUB_EXTRA}` },
    ]);
    assert.deepEqual(
      out.accounts[2]?.notInSync.map((s) => [s.serverId, s.result]),
      [[SPOKE_EXTRA, 'unmanaged']],
    );
    assert.deepEqual(out.problems, []);
    assert.deepEqual(writes(), []);
    // --account: only the account-regions kept are listed and counted.
    world.mark();
    const only = JSON.parse((await cli(['status', ...PREFIX, '--json', '--account', A])).stdout) as StatusJson;
    assert.deepEqual(
      only.accounts.map((a) => [a.place, a.unmanaged]),
      [
        [`${A}/eu-west-1`, 0],
        [`${A}/us-east-1`, 1],
      ],
    );
    assert.deepEqual(listCalls(), [`${A}/eu-west-1`, `${A}/us-east-1`]);
  });

  test("a refused spoke role: a problem line per account-region with the code; the others' unmanaged still counted", async () => {
    emu.roles.add({ arn: roleOf(B), trustedPrincipals: [CLI_PRINCIPAL], externalId: 'not-the-one-in-the-accounts-file' });
    try {
      world.mark();
      const r = await cli(['status', ...PREFIX]);
      assert.equal(r.code, 1);
      for (const region of ['eu-west-1', 'us-east-1'])
        assert.match(r.stderr, new RegExp(`^${B}/${region}: unmanaged servers not counted: AccountRoleUnavailable: cannot assume `, 'm'));
      const rows = cells(r.stdout);
      assert.deepEqual(rows[1], [`this account (${HUB}/us-east-1)`, '2', '1', '0', '0', '0', '0', '1']);
      assert.deepEqual(
        rows.find((x) => x[0] === `${A}/us-east-1`),
        [`${A}/us-east-1`, 'payments', '2', '1', '0', '0', '0', '0', '1'],
      );
      assert.deepEqual(
        rows.find((x) => x[0] === `${B}/us-east-1`),
        [`${B}/us-east-1`, 'analytics', '1', '0', '0', '0', '0', '1', '0'],
      );
      assert.deepEqual(writes(), []);
      const json = JSON.parse((await cli(['status', ...PREFIX, '--json'])).stdout) as StatusJson;
      assert.deepEqual(json.problems.map((p) => p.name).sort(), [`${B}/eu-west-1`, `${B}/us-east-1`]);
      assert.equal(json.totals.unmanaged, 2);
    } finally {
      emu.roles.add({ arn: roleOf(B), trustedPrincipals: [CLI_PRINCIPAL], externalId: 'f0e1d2c3b4a5968778695a4b3c2d1e0f' });
    }
  });

  test('--dir and --server: no unmanaged count, no ListServers', async () => {
    world.mark();
    const r = await cli(['status', '--dir', dir, ...PREFIX]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^ACCOUNT\/REGION +NAME +SERVERS +IN-SYNC +DRIFT +BLOCKED +INVALID +FAILED$/m);
    assert.match(r.stdout, /^Status: 5 servers in 5 account-regions: 5 in sync, 0 drift, 0 blocked, 0 invalid, 0 failed\.$/m);
    assert.doesNotMatch(r.stdout, /unmanaged/i);
    const json = JSON.parse((await cli(['status', '--dir', dir, ...PREFIX, '--json'])).stdout) as StatusJson;
    assert.ok(json.accounts.every((a) => !('unmanaged' in a)));
    assert.ok(!('unmanaged' in json.totals));
    const one = places[0] as Place;
    const s = await cli(['status', '--server', one.serverId, ...PREFIX]);
    assert.equal(s.code, 0, `${s.stdout}\n${s.stderr}`);
    assert.doesNotMatch(s.stdout, /UNMANAGED/);
    assert.deepEqual(listCalls(), []);
    assert.deepEqual(writes(), []);
  });
});
