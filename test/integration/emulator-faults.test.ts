// Injected faults seen through the real SDK clients: throttling (each service's own answer),
// 500/503, dropped connections and latency; the SDK's retries are visible in the call log.
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { ListSecurityPoliciesCommand, ListServersCommand } from '@aws-sdk/client-transfer';
import type { CallLogEntry } from '../../infra/local/types.ts';
import { emulatorForTests, rawCall, ssmClient, transferClient } from '../helpers/emulator.ts';

const emu = await emulatorForTests();
const ssm = ssmClient(emu, { maxAttempts: 10 });
const transfer = transferClient(emu, { maxAttempts: 10 });
await ssm.send(new PutParameterCommand({ Name: '/faults/p', Value: 'v', Type: 'String' }));

beforeEach(() => {
  emu.faults.set({});
  emu.calls.clear();
});

function calls(operation: string): CallLogEntry[] {
  return emu.calls.list().filter((c) => c.operation === operation);
}

describe('throttling', () => {
  test('SSM answers 400 ThrottlingException with Message, QuotaCode, ServiceCode', async () => {
    emu.faults.set({ operations: { 'AmazonSSM.GetParameter': { throttle: { rate: 0.001, burst: 1 } } } });
    assert.equal((await rawCall(emu, 'AmazonSSM.GetParameter', '{"Name":"/faults/p"}')).status, 200);
    const res = await rawCall(emu, 'AmazonSSM.GetParameter', '{"Name":"/faults/p"}');
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys(res.json).sort(), ['Message', 'QuotaCode', 'ServiceCode', '__type']);
    assert.equal(res.json.__type, 'ThrottlingException');
    assert.equal(res.json.Message, 'Rate exceeded');
    assert.equal(res.json.ServiceCode, 'ssm');
    assert.equal(res.headers.get('x-amzn-errortype'), 'ThrottlingException');
  });

  test('Transfer answers 429 ThrottlingException with RetryAfterSeconds (string) and Retry-After', async () => {
    emu.faults.set({ services: { transfer: { throttle: { rate: 0.001, burst: 1 } } } });
    assert.equal((await rawCall(emu, 'TransferService.ListServers', '{}')).status, 200);
    const res = await rawCall(emu, 'TransferService.ListServers', '{}');
    assert.equal(res.status, 429);
    assert.deepEqual(res.json, { __type: 'ThrottlingException', RetryAfterSeconds: res.headers.get('retry-after') });
    assert.match(String(res.json.RetryAfterSeconds), /^[1-9][0-9]*$/);
    const entry = emu.calls.list().at(-1);
    assert.equal(entry?.throttled, true);
    assert.equal(entry?.injected, 'throttle');
  });

  test('the SSM client recovers from throttling; the retries are in the call log', async () => {
    emu.faults.set({ services: { ssm: { throttle: { rate: 10, burst: 2 } } } });
    const results = await Promise.all(Array.from({ length: 6 }, () => ssm.send(new GetParameterCommand({ Name: '/faults/p' }))));
    assert.ok(results.every((r) => r.Parameter?.Value === 'v'));
    const log = calls('GetParameter');
    assert.ok(log.some((c) => c.throttled && c.status === 400 && c.injected === 'throttle'));
    assert.ok(
      log.some((c) => c.status === 200 && (c.attempt ?? 1) > 1),
      'a retry (attempt > 1) succeeded',
    );
    assert.equal(log.filter((c) => c.status === 200).length, 6);
  });

  test('the Transfer client recovers from throttling (ListServers, ListSecurityPolicies)', async () => {
    emu.faults.set({ services: { transfer: { throttle: { rate: 4, burst: 1 } } } });
    await Promise.all([
      transfer.send(new ListServersCommand({})),
      transfer.send(new ListSecurityPoliciesCommand({})),
      transfer.send(new ListServersCommand({})),
    ]);
    const log = emu.calls.list();
    assert.ok(log.some((c) => c.throttled && c.status === 429));
    assert.ok(log.some((c) => c.status === 200 && (c.attempt ?? 1) > 1));
    assert.equal(log.filter((c) => c.status === 200).length, 3);
  });
});

describe('errors and drops', () => {
  test("500 and 503 are each service's own error codes", async () => {
    emu.faults.set({ global: { error500Rate: 1 } });
    assert.deepEqual(
      [
        (await rawCall(emu, 'TransferService.ListServers', '{}')).json.__type,
        (await rawCall(emu, 'AmazonSSM.GetParameter', '{"Name":"/faults/p"}')).json.__type,
      ],
      ['InternalServiceError', 'InternalServerError'],
    );
    emu.faults.set({ global: { error503Rate: 1 } });
    const res = await rawCall(emu, 'AmazonSSM.GetParameter', '{"Name":"/faults/p"}');
    assert.equal(res.status, 503);
    assert.equal(res.json.__type, 'ServiceUnavailableException');
  });

  test('a faulted call changes nothing', async () => {
    emu.faults.set({ global: { error500Rate: 1 } });
    const res = await rawCall(emu, 'AmazonSSM.PutParameter', JSON.stringify({ Name: '/faults/p', Value: 'changed', Overwrite: true }));
    assert.equal(res.status, 500);
    assert.equal(emu.ssm.peek('/faults/p')?.value, 'v');
  });

  test('the SDK retries 500 and 503 until it succeeds', async () => {
    emu.faults.set({ seed: 11, services: { ssm: { error500Rate: 0.2, error503Rate: 0.2 } } });
    for (let i = 0; i < 15; i++) assert.equal((await ssm.send(new GetParameterCommand({ Name: '/faults/p' }))).Parameter?.Value, 'v');
    const log = calls('GetParameter');
    assert.ok(log.some((c) => c.status === 500 && c.injected === '500'));
    assert.ok(log.some((c) => c.status === 503 && c.injected === '503'));
    assert.ok(log.some((c) => c.status === 200 && (c.attempt ?? 1) > 1));
  });

  test('a dropped connection is a network error, which the SDK retries', async () => {
    emu.faults.set({ global: { dropRate: 1 } });
    const once = ssmClient(emu, { maxAttempts: 1 });
    await assert.rejects(once.send(new GetParameterCommand({ Name: '/faults/p' })), (err: Error & { code?: string }) => {
      assert.ok(err.code === 'ECONNRESET' || /socket hang up/.test(err.message), `${err.name}: ${err.message}`);
      return true;
    });
    assert.equal(calls('GetParameter').at(-1)?.injected, 'drop');
    emu.faults.set({ seed: 5, global: { dropRate: 0.5 } });
    for (let i = 0; i < 6; i++) assert.equal((await ssm.send(new GetParameterCommand({ Name: '/faults/p' }))).Parameter?.Value, 'v');
    const log = calls('GetParameter');
    assert.ok(log.some((c) => c.injected === 'drop'));
    assert.ok(log.some((c) => c.status === 200 && (c.attempt ?? 1) > 1));
  });
});

describe('latency', () => {
  test('every answer waits at least the fixed latency', async () => {
    emu.faults.set({ operations: { GetParameter: { latency: { fixedMs: 150, jitterMs: 20 } } } });
    const started = performance.now();
    await ssm.send(new GetParameterCommand({ Name: '/faults/p' }));
    assert.ok(performance.now() - started >= 150);
    assert.ok((calls('GetParameter').at(-1)?.durationMs ?? 0) >= 150);
  });
});
