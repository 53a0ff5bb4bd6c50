// Injected errors of any code seen through HTTP and the real SDK clients: the wire answer, the
// SDK's exception (AccessDenied is not retried), the call log's `injected: 'error'`, and the
// control endpoint accepting the setting.
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { DescribeServerCommand, ListServersCommand } from '@aws-sdk/client-transfer';
import type { FaultConfig } from '../../infra/local/types.ts';
import { emulatorForTests, rawCall, ssmClient, transferClient } from '../helpers/emulator.ts';

const emu = await emulatorForTests();
const transfer = transferClient(emu, { maxAttempts: 3 });
const ssm = ssmClient(emu, { maxAttempts: 3 });
const ACCESS_DENIED = { code: 'AccessDeniedException', status: 400, rate: 1 };
const NO_SERVER = '{"ServerId":"s-00000000000000000"}';

beforeEach(() => {
  emu.faults.set({});
  emu.calls.clear();
});

describe('injected errors over HTTP', () => {
  test('the answer: configured status, __type, Message and x-amzn-ErrorType', async () => {
    emu.faults.set({ operations: { 'TransferService.DescribeServer': { errors: [{ ...ACCESS_DENIED, message: 'not authorized' }] } } });
    const res = await rawCall(emu, 'TransferService.DescribeServer', NO_SERVER);
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { __type: 'AccessDeniedException', Message: 'not authorized' });
    assert.equal(res.headers.get('x-amzn-errortype'), 'AccessDeniedException');
  });

  test('the SDK raises the code and does not retry AccessDenied; the call log says injected: error', async () => {
    emu.faults.set({
      operations: {
        'TransferService.DescribeServer': { errors: [{ ...ACCESS_DENIED, message: 'not authorized' }] },
        'AmazonSSM.GetParameter': { errors: [ACCESS_DENIED] },
      },
    });
    await assert.rejects(
      transfer.send(new DescribeServerCommand({ ServerId: 's-00000000000000000' })),
      (err: Error) => err.name === 'AccessDeniedException' && err.message === 'not authorized',
    );
    await assert.rejects(ssm.send(new GetParameterCommand({ Name: '/x' })), (err: Error) => err.name === 'AccessDeniedException');
    assert.deepEqual(
      emu.calls.list().map((c) => [c.operation, c.status, c.errorCode, c.injected, c.throttled, c.attempt]),
      [
        ['DescribeServer', 400, 'AccessDeniedException', 'error', false, 1],
        ['GetParameter', 400, 'AccessDeniedException', 'error', false, 1],
      ],
    );
    assert.ok(Array.isArray((await transfer.send(new ListServersCommand({}))).Servers), 'other operations are untouched');
  });

  test('an injected ThrottlingException is retried by the SDK and flagged throttled in the call log', async () => {
    emu.faults.set({ operations: { DescribeServer: { errors: [{ code: 'ThrottlingException', status: 429, rate: 1 }] } } });
    const client = transferClient(emu, { maxAttempts: 2 });
    await assert.rejects(
      client.send(new DescribeServerCommand({ ServerId: 's-00000000000000000' })),
      (err: Error) => err.name === 'ThrottlingException',
    );
    assert.deepEqual(
      emu.calls.list().map((c) => [c.status, c.throttled, c.injected, c.attempt]),
      [
        [429, true, 'error', 1],
        [429, true, 'error', 2],
      ],
    );
  });

  test('PUT /_emulator/faults accepts errors and refuses a bad one', async () => {
    const config: FaultConfig = { services: { transfer: { errors: [{ code: 'ConflictException', status: 409, rate: 0.25 }] } } };
    const put = (body: unknown): Promise<Response> =>
      fetch(`${emu.url}/_emulator/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const ok = await put(config);
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), config);
    assert.deepEqual(emu.faults.get(), config);
    const bad = await put({ global: { errors: [{ code: 'X', status: 200, rate: 1 }] } });
    assert.equal(bad.status, 400);
    await bad.text();
    assert.deepEqual(emu.faults.get(), config);
  });
});
