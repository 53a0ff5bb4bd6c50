// reconcile, status and export across the organisation (cli-org-fixtures.ts) through the built CLI:
// after `push`, `reconcile --all` converges every account with no call in a wrong account; `status`
// is one table per account-region by result and never writes; a wrong external id fails only that
// account's servers (an unreadable accounts parameter: every spoke's); a pushed document of an
// unlisted account is invalid; `export --account` reads a spoke through its role into
// <out>/<AccountId>/<Region>/.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeServerCommand, TransferClient, UntagResourceCommand } from '@aws-sdk/client-transfer';
import { ndjson } from './cli-fixtures.ts';
import { A, B, CLI_PRINCIPAL, HUB, WRITE_OPERATIONS, keyOf, misplacedCalls, orgWorld, roleOf } from './cli-org-fixtures.ts';
import type { Place } from './cli-org-fixtures.ts';

const world = await orgWorld();
const { emu, cli, dir, places } = world;
const [, aEast, , bEast, bWest] = places as [Place, Place, Place, Place, Place];
const PREFIX = ['--prefix', '/org/', '--accounts-parameter', '/org-accounts'];
const writes = (): string[] => world.calls().flatMap((c) => (WRITE_OPERATIONS.has(c.operation) ? [c.operation] : []));

/** Drift made by someone in the spoke account itself: the team tag removed. */
async function untag(p: Place): Promise<void> {
  const client = new TransferClient({
    endpoint: emu.url,
    region: p.region,
    credentials: { accessKeyId: p.accountId ?? HUB, secretAccessKey: 'x' },
  });
  try {
    const { Server } = await client.send(new DescribeServerCommand({ ServerId: p.serverId }));
    await client.send(new UntagResourceCommand({ Arn: Server?.Arn, TagKeys: ['team'] }));
  } finally {
    client.destroy();
  }
}

describe('reconcile and status across the organisation', () => {
  test('push, then reconcile --all converges every account; no call in a wrong account', async () => {
    assert.equal((await cli(['push', dir, ...PREFIX])).code, 0);
    world.mark();
    const r = await cli(['reconcile', '--all', ...PREFIX]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^== ${A}/us-east-1 \\(payments\\): 1 server: 1 updated$`, 'm'));
    assert.match(r.stdout, /^ACCOUNT\/REGION {2,}SERVER {2,}RESULT/m);
    assert.match(r.stdout, new RegExp(`^${B}/eu-west-1 +${bWest.serverId} +updated +1 `, 'm'));
    assert.match(r.stdout, /^5 servers: 5 updated$/m);
    const calls = world.calls();
    assert.deepEqual(misplacedCalls(calls, places), []);
    for (const p of places)
      assert.ok(
        calls.some((c) => c.operation === 'TagResource' && c.account === (p.accountId ?? HUB) && c.region === p.region),
        `tagged in ${keyOf(p)}`,
      );
    world.mark();
    const again = await cli(['reconcile', '--all', ...PREFIX, '--json']);
    assert.equal(again.code, 0);
    assert.deepEqual(new Set(ndjson(again.stdout).map((o) => o.result)), new Set(['in-sync']));
    assert.deepEqual(writes(), []);
  });

  test('status: one table by account-region and result, read-only; drift in one spoke exits 2', async () => {
    const clean = await cli(['status', ...PREFIX]);
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stdout, /^ACCOUNT\/REGION +NAME +SERVERS +IN-SYNC +DRIFT +BLOCKED +INVALID +FAILED +UNMANAGED$/m);
    assert.match(
      clean.stdout,
      /^Status: 5 servers in 5 account-regions: 5 in sync, 0 drift, 0 blocked, 0 invalid, 0 failed, 0 unmanaged\.$/m,
    );
    await untag(bWest);
    world.mark();
    const r = await cli(['status', '--all', ...PREFIX]);
    assert.equal(r.code, 2, r.stderr);
    const rows = r.stdout.split('\n').map((l) => l.split(/ {2,}/));
    assert.deepEqual(rows[1], [`this account (${HUB}/us-east-1)`, '1', '1', '0', '0', '0', '0', '0']);
    assert.deepEqual(
      rows.find((x) => x[0] === `${B}/eu-west-1`),
      [`${B}/eu-west-1`, 'analytics', '1', '0', '1', '0', '0', '0', '0'],
    );
    assert.deepEqual(
      rows.find((x) => x[0] === 'TOTAL'),
      ['TOTAL', '5', '4', '1', '0', '0', '0', '0'],
    );
    assert.match(r.stdout, new RegExp(`^${B}/eu-west-1/${bWest.serverId}  drift-detected  1 change$`, 'm'));
    assert.deepEqual(writes(), [], 'status never writes');
    assert.deepEqual(misplacedCalls(world.calls(), places), []);
    const json = await cli(['status', '--all', ...PREFIX, '--json', '--account', B]);
    assert.equal(json.code, 2);
    const out = JSON.parse(json.stdout) as { ok: boolean; accounts: Array<Record<string, unknown>>; totals: Record<string, number> };
    assert.equal(out.ok, false);
    assert.deepEqual(
      out.accounts.map((a) => [a.place, a.name, a.drift]),
      [
        [`${B}/eu-west-1`, 'analytics', 1],
        [`${B}/us-east-1`, 'analytics', 0],
      ],
    );
    assert.deepEqual(
      (out.accounts[0]?.notInSync as Array<{ serverId: string }>).map((s) => s.serverId),
      [bWest.serverId],
    );
    assert.equal(out.totals.servers, 2);
  });

  test('a wrong external id fails only that account, one AccountRoleUnavailable per server; the others converge', async () => {
    emu.roles.add({ arn: roleOf(B), trustedPrincipals: [CLI_PRINCIPAL], externalId: 'not-the-one-in-the-accounts-file' });
    await untag(aEast);
    world.mark();
    const r = await cli(['reconcile', '--all', ...PREFIX, '--json']);
    assert.equal(r.code, 1);
    const outcomes = ndjson(r.stdout);
    const failed = outcomes.filter((o) => o.result === 'failed');
    assert.deepEqual(failed.map((o) => o.serverId).sort(), [bEast.serverId, bWest.serverId].sort());
    for (const o of failed) assert.equal((o.error as { code: string }).code, 'AccountRoleUnavailable');
    assert.equal(outcomes.find((o) => o.serverId === aEast.serverId)?.result, 'updated');
    assert.equal(outcomes.filter((o) => o.result === 'in-sync').length, 2);
    assert.ok(
      world.calls().every((c) => c.account !== B),
      'nothing reached account B',
    );
    emu.roles.add({ arn: roleOf(B), trustedPrincipals: [CLI_PRINCIPAL], externalId: 'f0e1d2c3b4a5968778695a4b3c2d1e0f' });
  });

  test('a pushed document of an unlisted account is invalid and reaches nothing', async () => {
    const name = '/org/333333333333/us-east-1/s-0123456789abcdef0';
    await emu.ssm.handle('PutParameter', { Name: name, Type: 'String', Value: '{"Protocols":["SFTP"]}' });
    world.mark();
    const r = await cli(['plan', '--all', ...PREFIX, '--account', '333333333333', '--json']);
    assert.equal(r.code, 1);
    const [o] = ndjson(r.stdout);
    assert.equal(o?.result, 'invalid');
    assert.match(JSON.stringify(o?.issues), /account 333333333333 is not listed in \/org-accounts/);
    assert.ok(world.calls().every((c) => c.account !== '333333333333'));
    assert.deepEqual(writes(), []);
    await emu.ssm.handle('DeleteParameter', { Name: name });
  });

  test("an unreadable accounts parameter fails every other account's server; the hub's carry on", async () => {
    emu.faults.set({ operations: { GetParameter: { errors: [{ code: 'AccessDeniedException', status: 400, rate: 1 }] } } });
    try {
      const r = await cli(['plan', '--all', ...PREFIX, '--json']);
      assert.equal(r.code, 1);
      const outcomes = ndjson(r.stdout);
      assert.deepEqual(
        outcomes.map((o) => [o.accountId ?? 'hub', o.result, (o.error as { code?: string } | undefined)?.code ?? null]).sort(),
        [
          [A, 'failed', 'AccessDeniedException'],
          [A, 'failed', 'AccessDeniedException'],
          [B, 'failed', 'AccessDeniedException'],
          [B, 'failed', 'AccessDeniedException'],
          ['hub', 'in-sync', null],
        ],
      );
    } finally {
      emu.faults.set({});
    }
  });

  test('export --account ID/REGION reads the spoke through its role into <out>/<AccountId>/<Region>/', async () => {
    const out = world.tmp();
    world.mark();
    const r = await cli(['export', '--all', '--account', `${A}/us-east-1`, '--out', out, ...PREFIX]);
    assert.equal(r.code, 0, r.stderr);
    const path = join(out, A, 'us-east-1', `${aEast.serverId}.yaml`);
    assert.match(r.stdout, new RegExp(`^wrote ${path}$`, 'm'));
    assert.deepEqual(misplacedCalls(world.calls(), places), []);
    assert.ok(world.calls().some((c) => c.operation === 'ListServers' && c.account === A && c.region === 'us-east-1'));
    const keyed = await cli(['export', '--server', keyOf(bEast), '--out', out, ...PREFIX]);
    assert.equal(keyed.code, 0, keyed.stderr);
    assert.ok(existsSync(join(out, B, 'us-east-1', `${bEast.serverId}.yaml`)));
    const plan = await cli(['plan', '--dir', out, '--accounts', join(dir, 'accounts.yaml')]);
    assert.equal(plan.code, 0, `${plan.stdout}\n${plan.stderr}`);
    const unlisted = await cli(['export', '--all', '--account', '333333333333/us-east-1', '--out', out, ...PREFIX]);
    assert.equal(unlisted.code, 1);
    assert.match(unlisted.stderr, /333333333333\/us-east-1 is not listed in the accounts file/);
  });
});
