// Several accounts on one emulator, continued (emulator-accounts.test.ts): each account-region's
// events with its own account and region on the hub bus and stream, a spoke without its
// forwarding rule, and the state file keeping every account-region, the roles and the sessions.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateServerCommand, ListServersCommand, TransferClient } from '@aws-sdk/client-transfer';
import { followAllEvents } from '../../infra/local/event-stream-client.ts';
import { startEmulator } from '../../infra/local/emulator.ts';
import type { Emulator } from '../../infra/local/emulator.ts';
import { RECONCILER_ROLE_ARN } from '../../infra/local/principals.ts';
import type { EmulatorEvent } from '../../infra/local/types.ts';
import { ssmClient } from '../helpers/emulator.ts';

const A = '111111111111';
const B = '222222222222';
const ROLE = `arn:aws:iam::${A}:role/transfer-reconciler-spoke`;
const creds = (accessKeyId: string) => ({ accessKeyId, secretAccessKey: 'x' });
const transferOf = (key: string, region: string, target: Emulator): TransferClient => {
  const client = new TransferClient({ endpoint: target.url, region, credentials: creds(key), maxAttempts: 1 });
  after(() => client.destroy());
  return client;
};
const ids = async (client: TransferClient): Promise<string[]> =>
  ((await client.send(new ListServersCommand({}))).Servers ?? []).map((s) => s.ServerId ?? '').sort();

describe('events and state across accounts', () => {
  test('every forwarding account reaches the hub bus and stream; a spoke without forwarding keeps its events', async () => {
    const target = await startEmulator({ transitionDelayMs: 0, unforwardedAccounts: [] });
    const streamed: EmulatorEvent[] = [];
    let open: () => void = () => {};
    const opened = new Promise<void>((resolve) => (open = resolve));
    const follower = followAllEvents(target.url, (e) => streamed.push(e), { onOpen: () => open() });
    try {
      await opened;
      const hub: EmulatorEvent[] = [];
      const stop = target.events.subscribeAll((e) => hub.push(e));
      const ssm = (key: string, region: string) => ssmClient(target, { credentials: creds(key), region, maxAttempts: 1 });
      await transferOf(A, 'us-east-1', target).send(new CreateServerCommand({}));
      await ssm(B, 'eu-west-1').send(new PutParameterCommand({ Name: '/fwd/one', Value: 'x', Type: 'String' }));
      target.events.setForwarding(B, false);
      await ssm(B, 'eu-west-1').send(new PutParameterCommand({ Name: '/fwd/two', Value: 'x', Type: 'String' }));
      await transferOf(B, 'eu-west-1', target).send(new CreateServerCommand({}));
      const ctl = await fetch(`${target.url}/_emulator/events/forwarding`, {
        method: 'PUT',
        body: JSON.stringify({ account: B, forward: true }),
      });
      assert.deepEqual(await ctl.json(), { unforwardedAccounts: [] });
      await ssm(B, 'eu-west-1').send(new PutParameterCommand({ Name: '/fwd/three', Value: 'x', Type: 'String' }));
      await ssm('test', 'us-east-1').send(new PutParameterCommand({ Name: '/fwd/home', Value: 'x', Type: 'String' }));
      stop();
      const summary = (events: EmulatorEvent[]) =>
        events.map((e) => [e.account, e.region, e.source === 'aws.ssm' ? e.detail.name : e.detail.eventName]);
      const expected = [
        [A, 'us-east-1', 'CreateServer'],
        [B, 'eu-west-1', '/fwd/one'],
        [B, 'eu-west-1', '/fwd/three'],
        ['000000000000', 'us-east-1', '/fwd/home'],
      ];
      assert.deepEqual(summary(hub), expected);
      for (let i = 0; i < 100 && streamed.length < expected.length; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(summary(streamed), expected);
      assert.deepEqual(summary(target.events.list(0, { account: B }).map((e) => e.event)), expected.slice(1, 3));
      // The spoke's own bus has every one of its events, forwarded or not.
      assert.deepEqual(
        summary(
          target
            .at(B, 'eu-west-1')
            .events.list()
            .map((e) => e.event),
        ),
        [
          [B, 'eu-west-1', '/fwd/one'],
          [B, 'eu-west-1', '/fwd/two'],
          [B, 'eu-west-1', 'CreateServer'],
          [B, 'eu-west-1', '/fwd/three'],
        ],
      );
      assert.throws(() => target.events.setForwarding('000000000000', false), /hub/);
    } finally {
      follower.close();
      await target.stop();
    }
  });

  test('the state file keeps every account-region, the roles and the sessions; a version 1 file still loads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-accounts-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const stateFile = join(dir, 'state.json');
    const first = await startEmulator({
      stateFile,
      transitionDelayMs: 0,
      roles: [{ arn: ROLE, trustedPrincipals: [RECONCILER_ROLE_ARN] }],
    });
    const hub = new STSClient({ endpoint: first.url, region: 'us-east-1', credentials: creds('reconciler'), maxAttempts: 1 });
    const c = (await hub.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'kept' }))).Credentials;
    hub.destroy();
    const inA = (await transferOf(A, 'ap-southeast-2', first).send(new CreateServerCommand({}))).ServerId ?? '';
    const home = (await transferOf('test', 'us-east-1', first).send(new CreateServerCommand({}))).ServerId ?? '';
    first.events.setForwarding(B, false);
    await first.stop();

    const second = await startEmulator({ stateFile, transitionDelayMs: 0 });
    try {
      assert.deepEqual(await ids(transferOf(A, 'ap-southeast-2', second)), [inA]);
      assert.deepEqual(await ids(transferOf('test', 'us-east-1', second)), [home]);
      assert.deepEqual(
        second.roles.list().map((r) => r.arn),
        [ROLE],
      );
      const session = transferOf(c?.AccessKeyId ?? '', 'ap-southeast-2', second);
      assert.deepEqual(await ids(session), [inA], 'session credentials survive a restart');
      assert.throws(() => second.events.setForwarding('000000000000', true));
      assert.deepEqual(await (await fetch(`${second.url}/_emulator/events/forwarding`)).json(), { unforwardedAccounts: [B] });
    } finally {
      await second.stop();
    }

    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, unknown>;
    assert.equal(saved.version, 2);
    const v1 = { format: saved.format, version: 1, savedAt: saved.savedAt, transfer: saved.transfer, ssm: saved.ssm, ec2: saved.ec2 };
    writeFileSync(stateFile, JSON.stringify(v1));
    const third = await startEmulator({ stateFile, transitionDelayMs: 0 });
    try {
      assert.deepEqual(await ids(transferOf('test', 'us-east-1', third)), [home]);
      assert.deepEqual(await ids(transferOf(A, 'ap-southeast-2', third)), []);
    } finally {
      await third.stop();
    }
  });
});
