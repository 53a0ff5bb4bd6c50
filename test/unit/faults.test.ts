// Fault engine: seeded dice, token buckets per scope, combined rates, config parsing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FaultEngine, mulberry32, parseFaultConfig } from '../../infra/local/faults.ts';
import type { FaultConfig } from '../../infra/local/types.ts';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

function faultsOf(engine: FaultEngine, n: number, op = 'GetParameter'): Array<string | undefined> {
  return Array.from({ length: n }, () => engine.decide('ssm', op).fault);
}

describe('mulberry32', () => {
  test('same seed, same sequence; different seed, different sequence; values in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 50 }, () => a());
    assert.deepEqual(
      xs,
      Array.from({ length: 50 }, () => b()),
    );
    assert.notDeepEqual(
      xs,
      Array.from({ length: 50 }, () => c()),
    );
    assert.ok(xs.every((x) => x >= 0 && x < 1));
  });
});

describe('throttling', () => {
  test('a bucket allows `burst` calls at once, then refills at `rate` per second', () => {
    const c = clock();
    const engine = new FaultEngine({ global: { throttle: { rate: 2, burst: 3 } } }, c.now);
    assert.deepEqual(faultsOf(engine, 4), [undefined, undefined, undefined, 'throttle']);
    c.advance(500);
    assert.deepEqual(faultsOf(engine, 2), [undefined, 'throttle']);
    c.advance(10_000);
    assert.deepEqual(faultsOf(engine, 4), [undefined, undefined, undefined, 'throttle'], 'refill is capped at burst');
  });

  test('retry-after is whole seconds, at least 1, from the emptiest bucket', () => {
    const c = clock();
    const engine = new FaultEngine({ global: { throttle: { rate: 0.25, burst: 1 } } }, c.now);
    engine.decide('ssm', 'GetParameter');
    assert.equal(engine.decide('ssm', 'GetParameter').retryAfterSeconds, 4);
    const fast = new FaultEngine({ global: { throttle: { rate: 100, burst: 1 } } }, c.now);
    fast.decide('ssm', 'GetParameter');
    assert.equal(fast.decide('ssm', 'GetParameter').retryAfterSeconds, 1);
  });

  test('every applicable scope needs a token; a throttled call takes none', () => {
    const c = clock();
    const engine = new FaultEngine(
      {
        services: { ssm: { throttle: { rate: 1, burst: 3 } } },
        operations: { 'AmazonSSM.PutParameter': { throttle: { rate: 1, burst: 1 } } },
      },
      c.now,
    );
    assert.equal(engine.decide('ssm', 'PutParameter').fault, undefined);
    assert.equal(engine.decide('ssm', 'PutParameter').fault, 'throttle', 'operation bucket empty');
    assert.deepEqual(faultsOf(engine, 3), [undefined, undefined, 'throttle'], 'the service bucket lost only one token to PutParameter');
    assert.equal(engine.decide('transfer', 'ListServers').fault, undefined, 'other services are not limited');
  });

  test('operation keys may be the bare name or the full target', () => {
    const c = clock();
    const bare = new FaultEngine({ operations: { UpdateServer: { throttle: { rate: 1, burst: 1 } } } }, c.now);
    const full = new FaultEngine({ operations: { 'TransferService.UpdateServer': { throttle: { rate: 1, burst: 1 } } } }, c.now);
    for (const engine of [bare, full]) {
      assert.equal(engine.decide('transfer', 'UpdateServer').fault, undefined);
      assert.equal(engine.decide('transfer', 'UpdateServer').fault, 'throttle');
      assert.equal(engine.decide('transfer', 'DescribeServer').fault, undefined);
    }
  });

  test('set() replaces the configuration and refills the buckets', () => {
    const c = clock();
    const engine = new FaultEngine({ global: { throttle: { rate: 1, burst: 1 } } }, c.now);
    assert.deepEqual(faultsOf(engine, 2), [undefined, 'throttle']);
    engine.set({ global: { throttle: { rate: 1, burst: 1 } } });
    assert.deepEqual(faultsOf(engine, 2), [undefined, 'throttle']);
    engine.set({});
    assert.deepEqual(faultsOf(engine, 3), [undefined, undefined, undefined]);
  });
});

describe('error rates, drops and latency', () => {
  test('rate 1 always fires, rate 0 never', () => {
    assert.deepEqual(faultsOf(new FaultEngine({ global: { error500Rate: 1 } }), 5), Array(5).fill('500'));
    assert.deepEqual(faultsOf(new FaultEngine({ global: { error503Rate: 1 } }), 5), Array(5).fill('503'));
    assert.deepEqual(faultsOf(new FaultEngine({ global: { dropRate: 1 } }), 5), Array(5).fill('drop'));
    assert.deepEqual(faultsOf(new FaultEngine({ global: { error500Rate: 0, error503Rate: 0, dropRate: 0 } }), 5), Array(5).fill(undefined));
  });

  test('the same seed gives the same faults; roughly the configured share', () => {
    const config: FaultConfig = { seed: 7, global: { error500Rate: 0.2, error503Rate: 0.1, dropRate: 0.1 } };
    const a = faultsOf(new FaultEngine(config), 2000);
    assert.deepEqual(a, faultsOf(new FaultEngine(config), 2000));
    assert.notDeepEqual(a, faultsOf(new FaultEngine({ ...config, seed: 8 }), 2000));
    const share = (k: string): number => a.filter((f) => f === k).length / a.length;
    assert.ok(Math.abs(share('500') - 0.2) < 0.05, `500 share ${share('500')}`);
    assert.ok(Math.abs(share('503') - 0.1) < 0.04, `503 share ${share('503')}`);
    assert.ok(Math.abs(share('drop') - 0.1) < 0.04, `drop share ${share('drop')}`);
  });

  test('rates of several scopes combine (each scope rolls independently)', () => {
    const engine = new FaultEngine({ seed: 3, global: { error500Rate: 0.5 }, services: { ssm: { error500Rate: 0.5 } } });
    const got = faultsOf(engine, 4000).filter((f) => f === '500').length / 4000;
    assert.ok(Math.abs(got - 0.75) < 0.04, `combined share ${got}`);
  });

  test('latency: fixed plus jitter in [0, jitter); the most specific scope wins', () => {
    const engine = new FaultEngine({
      global: { latency: { fixedMs: 100, jitterMs: 50 } },
      operations: { DescribeServer: { latency: { fixedMs: 5, jitterMs: 0 } } },
    });
    for (let i = 0; i < 100; i++) {
      const d = engine.decide('ssm', 'GetParameter').delayMs;
      assert.ok(d >= 100 && d < 150, String(d));
    }
    assert.equal(engine.decide('transfer', 'DescribeServer').delayMs, 5);
    assert.equal(new FaultEngine({}).decide('ssm', 'GetParameter').delayMs, 0);
  });
});

describe('parseFaultConfig', () => {
  test('accepts a full configuration unchanged', () => {
    const config: FaultConfig = {
      seed: 9,
      global: { throttle: { rate: 10, burst: 20 }, latency: { fixedMs: 1, jitterMs: 2 } },
      services: { transfer: { error500Rate: 0.1 }, ssm: { error503Rate: 0.2 } },
      operations: { 'TransferService.UpdateServer': { dropRate: 0.05 } },
    };
    assert.deepEqual(parseFaultConfig(config), config);
  });

  test('rejects typos, bad ranges and wrong types, naming the member', () => {
    const bad: Array<[unknown, RegExp]> = [
      [[], /faults must be an object/],
      [{ globl: {} }, /faults\.globl is not a known setting/],
      [{ global: { error500Rate: 1.5 } }, /global\.error500Rate/],
      [{ global: { throttle: { rate: 0, burst: 1 } } }, /global\.throttle\.rate/],
      [{ global: { throttle: { rate: 1, burst: 0 } } }, /global\.throttle\.burst/],
      [{ services: { s3: {} } }, /services\.s3 is not a known setting/],
      [{ operations: { UpdateServer: { latency: { fixedMs: -1 } } } }, /operations\.UpdateServer\.latency\.fixedMs/],
      [{ seed: 1.5 }, /seed must be an integer/],
      [{ global: { dropRate: '0.1' } }, /global\.dropRate/],
    ];
    for (const [value, message] of bad) assert.throws(() => parseFaultConfig(value), message);
  });
});
