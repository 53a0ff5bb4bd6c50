// The enumerator's order for other accounts' documents: round-robin across account-regions, each
// account-region's own order kept, nothing lost or repeated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { interleaveByPlace } from '../../functions/handlers/lib/interleave.ts';
import type { ListedDocument } from '../../functions/reconciler/desired/load-ssm.ts';

const doc = (accountId: string, region: string, n: number): ListedDocument =>
  ({
    name: `/p/${accountId}/${region}/s-${String(n).padStart(17, '0')}`,
    serverId: `s-${String(n).padStart(17, '0')}`,
    address: { accountId, region, serverId: `s-${String(n).padStart(17, '0')}` },
  }) as ListedDocument;

test('name order (one account-region after another) becomes one of each in turn', () => {
  const listed = [
    doc('111111111111', 'eu-west-1', 1),
    doc('111111111111', 'eu-west-1', 2),
    doc('111111111111', 'us-east-1', 3),
    doc('222222222222', 'eu-west-1', 4),
  ];
  assert.deepEqual(
    interleaveByPlace(listed).map((d) => d.serverId.slice(-1)),
    ['1', '3', '4', '2'],
  );
});

test('a permutation that keeps each account-region in its order; the first batch spans min(places, 10)', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 30 })), { maxLength: 15 }), (spec) => {
      const listed = spec.flatMap(([place, count], i) =>
        Array.from({ length: count }, (_, k) => doc(String(100000000000 + place * 1000 + i), 'eu-west-1', i * 100 + k)),
      );
      const out = interleaveByPlace(listed);
      assert.deepEqual(
        [...out].sort((a, b) => a.name.localeCompare(b.name)),
        [...listed].sort((a, b) => a.name.localeCompare(b.name)),
      );
      const places = new Set(listed.map((d) => d.address?.accountId));
      for (const p of places)
        assert.deepEqual(
          out.filter((d) => d.address?.accountId === p).map((d) => d.name),
          listed.filter((d) => d.address?.accountId === p).map((d) => d.name),
        );
      assert.equal(new Set(out.slice(0, 10).map((d) => d.address?.accountId)).size, Math.min(places.size, 10));
    }),
  );
});
