// The emulator's control endpoints (/_emulator/...) and its state file.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { CreateServerCommand, DescribeServerCommand, StartServerCommand } from '@aws-sdk/client-transfer';
import { startEmulator } from '../../infra/local/emulator.ts';
import { emulatorForTests, ssmClient, transferClient } from '../helpers/emulator.ts';

const emu = await emulatorForTests({ transitionDelayMs: 50 });
const ssm = ssmClient(emu, { maxAttempts: 1 });
const transfer = transferClient(emu, { maxAttempts: 1 });

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${emu.url}/_emulator/${path}`, init);
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

describe('control endpoints', () => {
  test('GET health', async () => {
    assert.deepEqual(await control('GET', 'health'), {
      status: 200,
      json: { status: 'ok', services: ['transfer', 'ssm', 'ec2', 'sqs'], region: 'us-east-1', accountId: '000000000000' },
    });
  });

  test('GET/PUT faults round-trips the configuration; a bad one is 400 and changes nothing', async () => {
    const config = { global: { latency: { fixedMs: 1, jitterMs: 0 } }, seed: 4 };
    assert.deepEqual(await control('PUT', 'faults', config), { status: 200, json: config });
    assert.deepEqual((await control('GET', 'faults')).json, config);
    assert.deepEqual(emu.faults.get(), config);
    const bad = await control('PUT', 'faults', { global: { error500Rate: 3 } });
    assert.equal(bad.status, 400);
    assert.match(String((bad.json as { error: string }).error), /error500Rate/);
    assert.equal((await control('PUT', 'faults', '{not json')).status, 400);
    assert.deepEqual(emu.faults.get(), config);
    await control('PUT', 'faults', {});
  });

  test('GET calls (with ?since) and DELETE calls', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/ctl/a', Value: 'x', Type: 'String' }));
    const all = (await control('GET', 'calls')).json as Array<{ seq: number; operation: string }>;
    const last = all.at(-1);
    assert.equal(last?.operation, 'PutParameter');
    await ssm.send(new GetParameterCommand({ Name: '/ctl/a' }));
    const since = (await control('GET', `calls?since=${last?.seq}`)).json as Array<{ operation: string }>;
    assert.deepEqual(
      since.map((c) => c.operation),
      ['GetParameter'],
    );
    assert.equal((await control('GET', 'calls?since=abc')).status, 400);
    assert.equal((await control('DELETE', 'calls')).status, 200);
    assert.deepEqual((await control('GET', 'calls')).json, []);
  });

  test('GET/PUT config changes the Transfer settings at runtime', async () => {
    assert.deepEqual((await control('GET', 'config')).json, { nestedUpdate: 'merge', transitionDelayMs: 50 });
    assert.deepEqual((await control('PUT', 'config', { nestedUpdate: 'replace' })).json, {
      nestedUpdate: 'replace',
      transitionDelayMs: 50,
    });
    assert.equal((await control('PUT', 'config', { nestedUpdate: 'sometimes' })).status, 400);
    assert.equal((await control('PUT', 'config', { transitionDelay: 5 })).status, 400);
    await control('PUT', 'config', { nestedUpdate: 'merge' });
  });

  test('POST transfer/servers/{id}/state and inject-failure', async () => {
    const { ServerId } = await transfer.send(new CreateServerCommand({}));
    const id = ServerId as string;
    assert.equal((await control('POST', `transfer/servers/${id}/state`, { State: 'STOP_FAILED' })).status, 200);
    assert.equal((await transfer.send(new DescribeServerCommand({ ServerId: id }))).Server?.State, 'STOP_FAILED');
    assert.equal((await control('POST', `transfer/servers/${id}/state`, { State: 'OFFLINE' })).status, 200);
    assert.equal((await control('POST', `transfer/servers/${id}/inject-failure`, { next: 'START_FAILED' })).status, 200);
    await transfer.send(new StartServerCommand({ ServerId: id }));
    let state: string | undefined;
    do {
      await new Promise((r) => setTimeout(r, 20));
      state = (await transfer.send(new DescribeServerCommand({ ServerId: id }))).Server?.State;
    } while (state === 'STARTING');
    assert.equal(state, 'START_FAILED');
    assert.equal((await control('POST', `transfer/servers/${id}/state`, { State: 'BROKEN' })).status, 400);
    assert.equal((await control('POST', `transfer/servers/${id}/inject-failure`, { next: 'ONLINE' })).status, 400);
    assert.equal((await control('POST', 'transfer/servers/s-00000000000000000/state', { State: 'ONLINE' })).status, 404);
  });

  test('PUT ssm/secrets/{id} stores a secret for /aws/reference/secretsmanager/', async () => {
    assert.equal((await control('PUT', `ssm/secrets/${encodeURIComponent('keys/one')}`, 'PRIVATE')).status, 200);
    const got = await ssm.send(new GetParameterCommand({ Name: '/aws/reference/secretsmanager/keys/one', WithDecryption: true }));
    assert.equal(got.Parameter?.Value, 'PRIVATE');
  });

  test('POST reset empties the services and the call log', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/ctl/reset', Value: 'x', Type: 'String' }));
    assert.equal((await control('POST', 'reset')).status, 200);
    assert.equal(emu.ssm.peek('/ctl/reset'), undefined);
    assert.deepEqual(emu.calls.list(), []);
  });

  test('unknown endpoints are 404 JSON', async () => {
    const res = await control('GET', 'nope');
    assert.equal(res.status, 404);
    assert.match(String((res.json as { error: string }).error), /no control endpoint/);
  });
});

describe('state file', () => {
  test('a stopped emulator starts again with its servers, parameters and secrets; the file is 0600', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'emu-state-')), 'state.json');
    const first = await startEmulator({ stateFile: file });
    const c1 = ssmClient(first, { maxAttempts: 1 });
    const t1 = transferClient(first, { maxAttempts: 1 });
    await c1.send(new PutParameterCommand({ Name: '/state/doc', Value: 'v1', Type: 'SecureString' }));
    await c1.send(new PutParameterCommand({ Name: '/state/doc', Value: 'v2', Type: 'SecureString', Overwrite: true }));
    // Saved while running too (debounced), not only on stop.
    while (!existsSync(file)) await new Promise((r) => setTimeout(r, 20));
    first.ssm.putSecret('hk', 'KEY');
    const { ServerId } = await t1.send(new CreateServerCommand({ Tags: [{ Key: 'team', Value: 'a' }] }));
    await first.stop();
    await first.stop();
    assert.equal(statSync(file).mode & 0o777, 0o600);

    const second = await startEmulator({ stateFile: file });
    try {
      const c2 = ssmClient(second, { maxAttempts: 1 });
      const t2 = transferClient(second, { maxAttempts: 1 });
      const p = await c2.send(new GetParameterCommand({ Name: '/state/doc', WithDecryption: true }));
      assert.equal(p.Parameter?.Value, 'v2');
      assert.equal(p.Parameter?.Version, 2);
      assert.equal((await c2.send(new GetParameterCommand({ Name: '/state/doc:1', WithDecryption: true }))).Parameter?.Value, 'v1');
      assert.equal(
        (await c2.send(new GetParameterCommand({ Name: '/aws/reference/secretsmanager/hk', WithDecryption: true }))).Parameter?.Value,
        'KEY',
      );
      const server = await t2.send(new DescribeServerCommand({ ServerId }));
      assert.deepEqual(server.Server?.Tags, [{ Key: 'team', Value: 'a' }]);
    } finally {
      await second.stop();
    }
  });

  test('a file that is not an emulator state file is refused', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'emu-state-')), 'state.json');
    writeFileSync(file, '{"hello": 1}');
    await assert.rejects(startEmulator({ stateFile: file }), /not an emulator state file/);
    writeFileSync(file, '{broken');
    await assert.rejects(startEmulator({ stateFile: file }), /not valid JSON/);
    assert.equal(readFileSync(file, 'utf8'), '{broken', 'left untouched');
  });
});
