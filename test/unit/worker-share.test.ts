// The workers' pacing rule of spoke account-regions (functions/handlers/lib/worker-share.ts): how
// many instances may be on one account-region at once, and each instance's share of its quota.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BATCH_SIZE, instancesPerPlace, placesOf, spokeShare } from '../../functions/handlers/lib/worker-share.ts';
import type { AccountEntry, AccountsFile } from '../../functions/reconciler/desired/accounts-rules.ts';

const entry = (n: number, regions: string[], rate?: number): AccountEntry => ({
  id: String(100000000000 + n),
  role: `arn:aws:iam::${100000000000 + n}:role/transfer-reconciler-spoke`,
  externalId: 'e'.repeat(32),
  regions,
  ...(rate !== undefined ? { transferCallsPerSecond: rate } : {}),
});

/** An accounts file listing `n` account-regions (one region each); with the hub's, n + 1 places. */
const spokes = (n: number): AccountsFile => ({ accounts: Array.from({ length: n }, (_, i) => entry(i, ['eu-west-1'])) });

const cfg = (k: number, s: number) => ({ workerMaxConcurrency: k, concurrency: s });

describe('placesOf', () => {
  test('the hub alone is one place', () => {
    assert.equal(placesOf(undefined), 1);
    assert.equal(placesOf({ accounts: [] }), 1);
  });

  test('every listed account-region, plus the hub', () => {
    assert.equal(placesOf({ accounts: [entry(1, ['us-east-1', 'eu-west-1']), entry(2, ['eu-west-1'])] }), 4);
    assert.equal(placesOf(spokes(49)), 50);
  });
});

describe('instancesPerPlace', () => {
  test('a single account: all K instances may meet there', () => {
    assert.equal(instancesPerPlace(cfg(4, 10), 1), 4);
    assert.equal(instancesPerPlace(cfg(10, 10), placesOf(undefined)), 10);
  });

  test('50 account-regions, K = 4, S = 10: one instance each', () => {
    assert.equal(instancesPerPlace(cfg(4, 10), 50), 1);
  });

  test('7 places, K = 4: 40 in flight ÷ 7 → 6, capped at K', () => {
    assert.equal(instancesPerPlace(cfg(4, 10), 7), 4);
  });

  test('20 places, K = 4: 2', () => {
    assert.equal(instancesPerPlace(cfg(4, 10), 20), 2);
  });

  test('RECONCILE_CONCURRENCY changes nothing: an instance holds its whole batch of 10, running some now and the rest next', () => {
    // K = 4, S = 2, 19 spokes: batches 0 and 2 may hold the same 10 places and start on the same two.
    for (const s of [1, 2, 4, 10, 50]) assert.equal(instancesPerPlace(cfg(4, s), 20), 2);
    assert.equal(instancesPerPlace(cfg(4, 2), 7), 4);
  });

  test('never below 1 nor above K, whatever the places', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: -5, max: 100_000 }), (k, s, p) => {
        const n = instancesPerPlace(cfg(k, s), p);
        assert.ok(Number.isInteger(n) && n >= 1 && n <= k, `K=${k} S=${s} P=${p} → ${n}`);
      }),
    );
  });
});

describe('spokeShare', () => {
  const config = { workerMaxConcurrency: 4, concurrency: 10, transferCallsPerSecond: 10 };

  test("the entry's rate shared among the instances that may meet there; floor = quota ÷ K", () => {
    const accounts: AccountsFile = { accounts: [entry(1, ['eu-west-1'], 40), ...spokes(48).accounts.slice(1)] };
    assert.equal(placesOf(accounts), 49);
    assert.deepEqual(spokeShare(config, { transferCallsPerSecond: 40 }, accounts), { rate: 40, floor: 10 });
  });

  test("without an entry rate the hub's rate is the quota", () => {
    assert.deepEqual(spokeShare(config, {}, spokes(19)), { rate: 5, floor: 2.5 });
  });

  test('a small organisation gets rate ÷ K, the floor itself', () => {
    const { rate, floor } = spokeShare(config, { transferCallsPerSecond: 20 }, spokes(2));
    assert.deepEqual([rate, floor], [5, 5]);
  });
});

describe('the rule holds together', () => {
  test('instancesPerPlace instances at quota ÷ instancesPerPlace never exceed the quota; the floor × K is the quota', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.double({ min: 0.01, max: 10_000, noNaN: true }),
        (k, s, spokeCount, quota) => {
          const config = { workerMaxConcurrency: k, concurrency: s, transferCallsPerSecond: quota };
          const accounts = spokes(spokeCount);
          const n = instancesPerPlace(config, placesOf(accounts));
          const { rate, floor } = spokeShare(config, {}, accounts);
          assert.ok(n * rate <= quota * (1 + 1e-12), `${n} × ${rate} > ${quota}`);
          assert.ok(floor <= rate && floor > 0);
          assert.ok(k * floor <= quota * (1 + 1e-12));
        },
      ),
    );
  });

  test('K × 10 held messages spread round-robin over P places: no place is held by more than instancesPerPlace instances', () => {
    // The model: the queue holds documents one place after another (interleave.ts); the K batches
    // held at once take K × 10 consecutive ones (from any point of the cycle), handed to the K
    // instances in any way that gives each 10 (RECONCILE_CONCURRENCY only orders a batch's work).
    // An instance holds a place if one of its messages does.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 80 }),
        fc.nat(),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 144, maxLength: 144 }),
        (k, concurrency, p, start, keys) => {
          const s = BATCH_SIZE;
          const slots = Array.from({ length: k * s }, (_, i) => i);
          // A random hand-out: sort the slots by random keys, then deal S to each instance.
          const order = [...slots].sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b);
          const holders = new Map<number, Set<number>>();
          order.forEach((slot, i) => {
            const place = (start + slot) % p;
            const instance = Math.floor(i / s);
            holders.set(place, (holders.get(place) ?? new Set()).add(instance));
          });
          const bound = instancesPerPlace(cfg(k, concurrency), p);
          for (const [place, who] of holders)
            assert.ok(who.size <= bound, `K=${k} S=${concurrency} P=${p}: place ${place} held by ${who.size} > ${bound}`);
        },
      ),
    );
  });
});
