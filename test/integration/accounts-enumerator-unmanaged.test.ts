// The enumerator's unmanaged servers across accounts on the emulator: ListServers in the hub's own
// account-region and in every account-region the accounts file lists, through that account's
// read-only role (its readRole, else its role), and each server without a document reported
// `unmanaged` with its account and region, never enqueued, never written. A spoke whose role
// refuses (or whose ListServers fails) is logged with its account-region and code; the others are
// still reported, and the invocation does not throw. No call is ever signed for the wrong account.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { TransferClient } from '@aws-sdk/client-transfer';
import { clientConfig } from '../../functions/reconciler/aws/clients.ts';
import { DEFAULT_ACCOUNTS_PARAMETER, accountsParameterText } from '../../functions/reconciler/desired/accounts-rules.ts';
import type { AccountsFile } from '../../functions/reconciler/desired/accounts-rules.ts';
import { ENUMERATOR_SESSION_NAME } from '../../functions/handlers/enumerator.ts';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { RECONCILER_ROLE_ARN, RECONCILER_ROLE_NAME } from '../../infra/local/principals.ts';
import type { CallLogEntry } from '../../infra/local/types.ts';
import { PREFIX } from '../helpers/engine.ts';
import { emulatorForTests } from '../helpers/emulator.ts';
import { A, B, EU, EXTERNAL_A, HUB, SPOKE_ROLE, US, accountsFile, misplacedCalls, organisation, roleOf } from './accounts-fixture.ts';
import type { Place } from './accounts-fixture.ts';
import { startPipeline } from './pipeline-harness.ts';
import { enumeratorFor } from './pipeline-steps.ts';

const POLICY = 'TransferSecurityPolicy-2024-01';
const readRoleOf = (account: string): string => `arn:aws:iam::${account}:role/${SPOKE_ROLE}-read`;
const emu = await emulatorForTests({ transitionDelayMs: 0 });
const org = await organisation(emu);
// The spoke template's read role trusts the hub's enumerator role (HubEnumeratorRoleArn); on the
// emulator the enumerator's hub key ('reconciler-…') signs as the worker role, so that is the principal trusted.
emu.roles.add({ arn: readRoleOf(A), trustedPrincipals: [RECONCILER_ROLE_ARN], externalId: EXTERNAL_A });

/** The fixture's file with a readRole for A only (B's reads go through its role). */
function withReadRole(file: AccountsFile = accountsFile()): AccountsFile {
  return { accounts: file.accounts.map((a) => (a.id === A ? { ...a, readRole: readRoleOf(A) } : a)) };
}
await org.putDocument(DEFAULT_ACCOUNTS_PARAMETER, accountsParameterText(withReadRole()));

const pipe = await startPipeline(emu, {
  name: 'accounts-enumerator-unmanaged',
  env: { DESIRED_STATE_PREFIX: PREFIX, TRANSFER_CALLS_PER_SECOND: '500', SSM_CALLS_PER_SECOND: '500' },
});
if (!pipe.config.reconcilerRoleArns.includes(SPOKE_ROLE)) pipe.config.reconcilerRoleArns.push(SPOKE_ROLE);
const c = { ...clientConfig({ endpointUrl: emu.url }), credentials: { accessKeyId: 'reconciler-enumerator', secretAccessKey: 'x' } };
const hubClients = { transfer: new TransferClient(c), ssm: new SSMClient(c), ec2: new EC2Client(c) };
after(() => [hubClients.transfer, hubClients.ssm, hubClients.ec2].forEach((x) => x.destroy()));

const since = (seq: number): CallLogEntry[] => emu.calls.list(seq, {});
const lastSeq = (): number => emu.calls.list(0, {}).at(-1)?.seq ?? 0;
const sessionOf = (call: CallLogEntry): { role: string; session: string } | undefined => {
  const m = /^arn:aws:sts::\d{12}:assumed-role\/([^/]+)\/(.+)$/.exec(call.principal ?? '');
  return m ? { role: m[1] ?? '', session: m[2] ?? '' } : undefined;
};
const keyOf = (p: Place, id: string): string => (p.account === HUB ? id : `${p.account}/${p.region}/${id}`);
const row = (o: Outcome) => [o.accountId ?? 'hub', o.region ?? '', o.serverId, o.parameter.name, o.result, o.trigger, o.error?.code];

const HUB_US: Place = { account: HUB, region: US };
const A_US: Place = { account: A, region: US };
const A_EU: Place = { account: A, region: EU };
const B_EU: Place = { account: B, region: EU };

// Managed servers (a document each) and strays (none), in the hub and in every listed account-region.
const servers = new Map<string, Place>();
const managed: string[] = [];
const strays = new Map<string, Place>();
for (const p of [HUB_US, A_US, B_EU]) {
  const id = await org.createServer(p);
  servers.set(id, p);
  managed.push(id);
  await org.putDocument(`${PREFIX}${keyOf(p, id)}`, { SecurityPolicyName: POLICY });
}
for (const p of [HUB_US, A_US, A_EU, B_EU]) {
  const id = await org.createServer(p);
  servers.set(id, p);
  strays.set(id, p);
}
const strayRows = (places: Place[]) =>
  [...strays]
    .filter(([, p]) => places.includes(p))
    .map(([id, p]) => [
      p.account === HUB ? 'hub' : p.account,
      p.account === HUB ? '' : p.region,
      id,
      `${PREFIX}${keyOf(p, id)}`,
      'unmanaged',
      'schedule',
      'Unmanaged',
    ])
    .sort();

describe('the enumerator: unmanaged servers in every listed account-region', () => {
  test('a spoke server without a document: unmanaged with its account and region, never enqueued, never written', async () => {
    pipe.deaf = true;
    await pipe.routed();
    const seq = lastSeq();
    const enumerator = enumeratorFor(pipe, hubClients);
    const result = await enumerator.run();
    assert.equal(result.documents, 1);
    assert.equal(result.addressed, 2);
    assert.equal(result.send.sent, 3, 'the managed servers only');
    assert.deepEqual(result.unmanaged.map(row).sort(), strayRows([HUB_US, A_US, A_EU, B_EU]));
    assert.equal(result.accountRegionsListed, 3);
    assert.equal(result.accountRegionErrors, undefined);
    assert.equal(result.listServersError, undefined);
    // Logged as the hub's are: one outcome line each, and the summary names them by key.
    assert.deepEqual(enumerator.obs.outcomes().map(row).sort(), strayRows([HUB_US, A_US, A_EU, B_EU]));
    const summary = enumerator.obs.lines.find((l) => l.message === 'enumeration summary')?.summary as { unmanaged: string[] };
    assert.deepEqual([...summary.unmanaged].sort(), [...strays].map(([id, p]) => keyOf(p, id)).sort());
    assert.equal(enumerator.obs.emf()[0]?.Unmanaged, 4);

    const outcomes = await pipe.drain();
    assert.deepEqual(outcomes.map((o) => o.serverId).sort(), [...managed].sort(), 'no stray was enqueued');
    const calls = since(seq);
    assert.deepEqual(
      calls.filter((x) => strays.has(x.target ?? '')),
      [],
      'no call names a stray: never described, never written',
    );
    // One ListServers per account-region, after the messages were sent; a spoke's by the enumerator's
    // session of its read role (A's readRole; B has none: its role).
    const listings = calls.filter((x) => x.operation === 'ListServers');
    assert.deepEqual(
      listings
        .map((x) => [x.account, x.region, x.account === HUB ? 'hub' : sessionOf(x)?.role, x.account === HUB ? '' : sessionOf(x)?.session])
        .sort(),
      [
        [HUB, US, 'hub', ''],
        [A, US, `${SPOKE_ROLE}-read`, ENUMERATOR_SESSION_NAME],
        [A, EU, `${SPOKE_ROLE}-read`, ENUMERATOR_SESSION_NAME],
        [B, EU, SPOKE_ROLE, ENUMERATOR_SESSION_NAME],
      ].sort(),
    );
    const lastSend = Math.max(...calls.filter((x) => x.operation === 'SendMessageBatch').map((x) => x.seq));
    assert.ok(
      listings.every((x) => x.seq > lastSend),
      'ListServers only after the sweep’s messages are sent',
    );
    assert.deepEqual(misplacedCalls(calls, servers), []);
    pipe.deaf = false;
  });

  test('a spoke whose role refuses: logged with its account-region and code; the rest still reported, nothing thrown', async () => {
    pipe.deaf = true;
    const broken = withReadRole({
      accounts: accountsFile().accounts.map((a) => (a.id === B ? { ...a, externalId: 'c'.repeat(32) } : a)),
    });
    await org.putDocument(DEFAULT_ACCOUNTS_PARAMETER, accountsParameterText(broken));
    try {
      await pipe.routed();
      const seq = lastSeq();
      const enumerator = enumeratorFor(pipe, hubClients);
      const result = await enumerator.run();
      assert.equal(result.send.sent, 3);
      assert.deepEqual(result.unmanaged.map(row).sort(), strayRows([HUB_US, A_US, A_EU]));
      assert.equal(result.accountRegionsListed, 2);
      assert.deepEqual(
        result.accountRegionErrors?.map((e) => [e.accountId, e.region, e.code, e.stsCode]),
        [[B, EU, 'AccountRoleUnavailable', 'AccessDenied']],
      );
      assert.doesNotMatch(JSON.stringify(result), /c{32}/, 'never the external id');
      const line = enumerator.obs.lines.find((l) => l.level === 'ERROR' && l.accountRegion !== undefined);
      assert.ok(line, 'an ERROR line for the broken account-region');
      assert.deepEqual(
        [line.accountRegion, line.accountId, line.region, line.code, line.stsCode],
        [`${B}/${EU}`, B, EU, 'AccountRoleUnavailable', 'AccessDenied'],
      );
      assert.match(String(line.error), new RegExp(`${SPOKE_ROLE}.*account ${B}`));
      assert.doesNotMatch(JSON.stringify(enumerator.obs.lines), /c{32}/);
      assert.deepEqual(
        since(seq).filter((x) => x.operation === 'ListServers' && x.account === B),
        [],
        'no ListServers in B: its role was never assumed',
      );
      assert.deepEqual(misplacedCalls(since(seq), servers), []);
      await pipe.drain();
    } finally {
      await org.putDocument(DEFAULT_ACCOUNTS_PARAMETER, accountsParameterText(withReadRole()));
      pipe.deaf = false;
    }
  });

  test('ListServers failing everywhere: each account-region named with its code, every document still enqueued', async () => {
    pipe.deaf = true;
    await pipe.routed();
    const seq = lastSeq();
    const enumerator = enumeratorFor(pipe, hubClients);
    emu.faults.set({ operations: { ListServers: { error500Rate: 1 } } });
    let result;
    try {
      result = await enumerator.run();
    } finally {
      emu.faults.set({});
    }
    assert.equal(result.send.sent, 3);
    assert.deepEqual(result.unmanaged, []);
    assert.equal(result.listServersError?.code, 'InternalServiceError');
    assert.deepEqual(
      result.accountRegionErrors?.map((e) => [e.accountId, e.region, e.code]).sort(),
      [
        [A, US, 'InternalServiceError'],
        [A, EU, 'InternalServiceError'],
        [B, EU, 'InternalServiceError'],
      ].sort(),
    );
    assert.deepEqual(
      enumerator.obs.lines
        .filter((l) => l.level === 'ERROR' && l.accountRegion !== undefined)
        .map((l) => [l.accountRegion, l.code])
        .sort(),
      [
        [`${A}/${US}`, 'InternalServiceError'],
        [`${A}/${EU}`, 'InternalServiceError'],
        [`${B}/${EU}`, 'InternalServiceError'],
      ].sort(),
    );
    assert.deepEqual(misplacedCalls(since(seq), servers), []);
    await pipe.drain();
    pipe.deaf = false;
  });

  test("the hub's own account-region listed as an account: listed once, with the hub's clients; its documents there count as managed", async () => {
    pipe.deaf = true;
    const external = 'h'.repeat(32);
    emu.roles.add({ arn: roleOf(HUB), trustedPrincipals: [RECONCILER_ROLE_ARN], externalId: external });
    const id = await org.createServer(HUB_US);
    servers.set(id, HUB_US);
    await org.putDocument(`${PREFIX}${HUB}/${US}/${id}`, { SecurityPolicyName: POLICY });
    const file = withReadRole();
    await org.putDocument(
      DEFAULT_ACCOUNTS_PARAMETER,
      accountsParameterText({ accounts: [...file.accounts, { id: HUB, role: roleOf(HUB), externalId: external, regions: [US] }] }),
    );
    try {
      await pipe.routed();
      const seq = lastSeq();
      const result = await enumeratorFor(pipe, hubClients).run();
      assert.deepEqual(
        result.unmanaged.map(row).sort(),
        strayRows([HUB_US, A_US, A_EU, B_EU]),
        'not the server of the addressed hub document',
      );
      assert.equal(result.accountRegionsListed, 3, 'A/US, A/EU, B/EU: the hub’s own is the hub’s listing');
      const listings = since(seq).filter((x) => x.operation === 'ListServers');
      assert.deepEqual(
        listings.filter((x) => x.account === HUB).map((x) => sessionOf(x)?.role),
        [RECONCILER_ROLE_NAME],
        'one ListServers in the hub, by the hub’s own clients',
      );
      assert.deepEqual(misplacedCalls(since(seq), servers), []);
      await pipe.drain();
    } finally {
      await org.putDocument(DEFAULT_ACCOUNTS_PARAMETER, accountsParameterText(withReadRole()));
      pipe.deaf = false;
    }
  });
});
