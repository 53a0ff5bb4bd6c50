// Injected errors of any code: the dice, the wire shape (message member as the model spells it)
// and parseFaultConfig's checks. Over HTTP: test/integration/emulator-fault-errors.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FaultEngine, injectedError, parseFaultConfig } from '../../infra/local/faults.ts';
import type { FaultConfig } from '../../infra/local/types.ts';

const ACCESS_DENIED = { code: 'AccessDeniedException', status: 400, rate: 1 };

function faultsOf(
  engine: FaultEngine,
  n: number,
  service: 'ssm' | 'transfer' = 'transfer',
  op = 'DescribeServer',
): Array<string | undefined> {
  return Array.from({ length: n }, () => {
    const d = engine.decide(service, op);
    return d.fault === 'error' ? d.error?.code : d.fault;
  });
}

describe('the dice', () => {
  test('rate 1 always answers the error; rate 0 never', () => {
    assert.deepEqual(faultsOf(new FaultEngine({ global: { errors: [ACCESS_DENIED] } }), 3), Array(3).fill('AccessDeniedException'));
    assert.deepEqual(faultsOf(new FaultEngine({ global: { errors: [{ ...ACCESS_DENIED, rate: 0 }] } }), 3), Array(3).fill(undefined));
  });

  test('only in its scope: one operation of one service', () => {
    const engine = new FaultEngine({ operations: { 'TransferService.UpdateServer': { errors: [ACCESS_DENIED] } } });
    assert.equal(engine.decide('transfer', 'UpdateServer').error?.code, 'AccessDeniedException');
    assert.equal(engine.decide('transfer', 'DescribeServer').fault, undefined);
    assert.equal(engine.decide('ssm', 'GetParameter').fault, undefined);
  });

  test('several errors share the roll in order, after drop/500/503; the same seed repeats them', () => {
    const config: FaultConfig = {
      seed: 11,
      global: {
        error500Rate: 0.2,
        errors: [
          { code: 'AccessDeniedException', status: 400, rate: 0.3 },
          { code: 'ConflictException', status: 409, rate: 0.1 },
        ],
      },
    };
    const a = faultsOf(new FaultEngine(config), 3000);
    assert.deepEqual(a, faultsOf(new FaultEngine(config), 3000));
    const share = (k: string | undefined): number => a.filter((f) => f === k).length / a.length;
    assert.ok(Math.abs(share('500') - 0.2) < 0.04, `500 share ${share('500')}`);
    assert.ok(Math.abs(share('AccessDeniedException') - 0.3) < 0.04, `AccessDenied share ${share('AccessDeniedException')}`);
    assert.ok(Math.abs(share('ConflictException') - 0.1) < 0.03, `Conflict share ${share('ConflictException')}`);
    assert.ok(Math.abs(share(undefined) - 0.4) < 0.04, `no-fault share ${share(undefined)}`);
  });

  test('the most specific scope comes first in the roll', () => {
    const engine = new FaultEngine({
      global: { errors: [{ code: 'AccessDeniedException', status: 400, rate: 1 }] },
      operations: { DescribeServer: { errors: [{ code: 'ConflictException', status: 409, rate: 1 }] } },
    });
    assert.equal(engine.decide('transfer', 'DescribeServer').error?.code, 'ConflictException');
    assert.equal(engine.decide('transfer', 'ListServers').error?.code, 'AccessDeniedException');
  });

  test('a throttle still comes first: a throttled call is not also an error', () => {
    const engine = new FaultEngine({ global: { throttle: { rate: 0.001, burst: 1 }, errors: [ACCESS_DENIED] } }, () => 0);
    assert.equal(engine.decide('transfer', 'DescribeServer').fault, 'error');
    assert.equal(engine.decide('transfer', 'DescribeServer').fault, 'throttle');
  });
});

describe('the wire shape', () => {
  test('status and code as configured; the message member as the service model spells it', () => {
    const denied = injectedError('transfer', { ...ACCESS_DENIED, message: 'User is not authorized to perform transfer:DescribeServer' });
    assert.equal(denied.status, 400);
    assert.deepEqual(denied.body(), {
      __type: 'AccessDeniedException',
      Message: 'User is not authorized to perform transfer:DescribeServer',
    });
    // SSM's model spells ParameterNotFound's member `message`.
    assert.deepEqual(injectedError('ssm', { code: 'ParameterNotFound', status: 400, rate: 1 }).body(), {
      __type: 'ParameterNotFound',
      message: 'Injected ParameterNotFound (local emulator fault).',
    });
    // A code the model does not know gets `Message`.
    assert.deepEqual(Object.keys(injectedError('ssm', { code: 'AccessDeniedException', status: 400, rate: 1 }).body()), [
      '__type',
      'Message',
    ]);
  });
});

describe('parseFaultConfig: errors', () => {
  test('accepts a list of errors unchanged', () => {
    const config: FaultConfig = {
      operations: {
        UpdateServer: {
          errors: [
            { code: 'AccessDeniedException', status: 400, rate: 0.5, message: 'no' },
            { code: 'ConflictException', status: 409, rate: 0.5 },
          ],
        },
      },
    };
    assert.deepEqual(parseFaultConfig(config), config);
  });

  test('rejects bad members, naming them', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ global: { errors: {} } }, /global\.errors must be a list/],
      [{ global: { errors: [{ code: 'A B', status: 400, rate: 1 }] } }, /global\.errors\[0\]\.code/],
      [{ global: { errors: [{ status: 400, rate: 1 }] } }, /global\.errors\[0\]\.code/],
      [{ global: { errors: [{ code: 'X', status: 200, rate: 1 }] } }, /global\.errors\[0\]\.status/],
      [{ global: { errors: [{ code: 'X', status: 400.5, rate: 1 }] } }, /global\.errors\[0\]\.status/],
      [{ global: { errors: [{ code: 'X', status: 400, rate: 2 }] } }, /global\.errors\[0\]\.rate/],
      [{ global: { errors: [{ code: 'X', status: 400, rate: 1, message: 3 }] } }, /global\.errors\[0\]\.message/],
      [{ global: { errors: [{ code: 'X', status: 400, rate: 1, retry: true }] } }, /global\.errors\[0\]\.retry is not a known setting/],
      [
        {
          services: {
            ssm: {
              errors: [
                { code: 'X', status: 400, rate: 0.6 },
                { code: 'Y', status: 400, rate: 0.6 },
              ],
            },
          },
        },
        /services\.ssm\.errors: the rates add up to more than 1/,
      ],
    ];
    for (const [value, message] of bad) assert.throws(() => parseFaultConfig(value), message);
  });
});
