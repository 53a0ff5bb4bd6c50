// The arithmetic the sweep benchmarks are judged by (bench/lib/quota-math.ts), the fleet and drift
// they run on (bench/lib/fleet.ts): seeded, the right size, every drift a real change; and the
// overlap check of the pipeline benchmarks and the soak (bench/lib/overlaps.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  callsPerService,
  extraCalls,
  limitSeconds,
  median,
  minimumCalls,
  pipelineExtraCalls,
  pipelineMinimumCalls,
  sumCalls,
  withinExpected,
} from '../../bench/lib/quota-math.ts';
import { checkOverlaps } from '../../bench/lib/overlaps.ts';
import type { CallLogEntry } from '../../infra/local/types.ts';
import { makeDrift, makeFleet, serverIdOf } from '../../bench/lib/fleet.ts';
import { validateStatic } from '../../functions/reconciler/desired/validate-static.ts';

describe('bench quota math', () => {
  test('the minimum is ⌈N/10⌉ pages, N + drifted describes, per drifted server a confirming GetParameter and an update, one TagResource per tag drift', () => {
    assert.deepEqual(minimumCalls({ servers: 1000, drifted: 100, updated: 100, tagged: 0 }), {
      GetParametersByPath: 100,
      DescribeServer: 1100,
      UpdateServer: 100,
      GetParameter: 100,
    });
    assert.deepEqual(minimumCalls({ servers: 1001, drifted: 100, updated: 100, tagged: 31 }), {
      GetParametersByPath: 101,
      DescribeServer: 1101,
      UpdateServer: 100,
      GetParameter: 100,
      TagResource: 31,
    });
    assert.equal(
      minimumCalls({ servers: 0, drifted: 0, updated: 0, tagged: 0 }).GetParametersByPath,
      1,
      'an empty prefix still takes one page',
    );
  });

  test('the limit is the slowest quota: calls per service ÷ its rate', () => {
    const calls = { GetParametersByPath: 100, DescribeServer: 1100, UpdateServer: 100 };
    assert.deepEqual(callsPerService(calls), { transfer: 1200, ssm: 100 });
    assert.equal(limitSeconds(calls, { transfer: 20, ssm: 40 }), 60);
    assert.equal(limitSeconds(calls, { transfer: 1000, ssm: 5 }), 20);
    assert.throws(() => callsPerService({ Mystery: 1 }), /no service known for operation Mystery/);
  });

  test('extra calls name every operation beyond the minimum, and missing ones as negative', () => {
    assert.deepEqual(extraCalls({ DescribeServer: 10, ListServers: 1 }, { DescribeServer: 10, UpdateServer: 2 }), {
      ListServers: 1,
      UpdateServer: -2,
    });
    assert.equal(sumCalls({ a: 2, b: 3 }), 5);
  });

  test('median of odd and even counts', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
    assert.throws(() => median([]), RangeError);
  });
});

describe('bench fleet and drift', () => {
  test('the same seed gives the same fleet and drift; documents are valid', () => {
    const fleet = makeFleet(50, 3);
    assert.deepEqual(fleet, makeFleet(50, 3));
    assert.equal(fleet[0]?.serverId, serverIdOf(1));
    assert.match(serverIdOf(4096), /^s-[0-9a-f]{17}$/);
    for (const s of fleet) {
      const r = validateStatic(s.document, { expectedServerId: s.serverId, source: s.serverId });
      assert.equal(r.ok, true, JSON.stringify(r));
    }
    assert.deepEqual(makeDrift(fleet, 0.1, 5), makeDrift(fleet, 0.1, 5));
  });

  test('10 % of the servers drift, each in at least one UpdateServer field, to values unlike the document', () => {
    const fleet = makeFleet(1000);
    const drift = makeDrift(fleet, 0.1);
    assert.equal(drift.length, 100);
    assert.equal(new Set(drift.map((d) => d.serverId)).size, 100);
    const fields = new Set(drift.flatMap((d) => d.fields));
    assert.ok(fields.size >= 6, `mixed fields: ${[...fields].join(', ')}`);
    for (const d of drift) {
      const doc = fleet.find((s) => s.serverId === d.serverId)?.document ?? {};
      const updated = Object.keys(d.update).filter((k) => k !== 'ServerId');
      assert.ok(updated.length >= 1);
      for (const k of updated) assert.notDeepEqual(d.update[k], doc[k], `${d.serverId} ${k}`);
    }
  });
});

describe('bench pipeline figures', () => {
  test("the pipeline's minimum: the enumerator's pages, per server a DescribeServer (the listing rides in the message), per drifted server a confirming GetParameter, an update and a verifying describe", () => {
    assert.deepEqual(pipelineMinimumCalls({ servers: 1000, drifted: 100, updated: 100, tagged: 28 }), {
      GetParametersByPath: 100,
      GetParameter: 100,
      DescribeServer: 1100,
      UpdateServer: 100,
      TagResource: 28,
    });
    assert.deepEqual(pipelineExtraCalls(10_000, 4, 61), { ListServers: 10, GetParameter: 10 });
    const minimum = { DescribeServer: 10, GetParameter: 10 };
    const extras = { ListServers: 1, GetParameter: 5 };
    assert.equal(withinExpected({ DescribeServer: 10, GetParameter: 12, ListServers: 1 }, minimum, extras), true);
    assert.equal(withinExpected({ DescribeServer: 10, GetParameter: 16, ListServers: 1 }, minimum, extras), false, 'too many reads');
    assert.equal(withinExpected({ DescribeServer: 9, GetParameter: 10 }, minimum, extras), false, 'a server not described');
    assert.equal(withinExpected({ DescribeServer: 10, GetParameter: 10, UpdateServer: 1 }, minimum, extras), false, 'an unexpected write');
  });

  test("overlaps: one server's reconciles that overlap are counted, and so is a worker call outside every reconcile of its server", () => {
    const worker = 'arn:aws:sts::000000000000:assumed-role/transfer-reconciler-worker/reconcile';
    const call = (ms: number, target: string, principal = worker): CallLogEntry => ({
      seq: ms,
      time: new Date(ms).toISOString(),
      service: 'transfer',
      operation: 'DescribeServer',
      status: 200,
      throttled: false,
      durationMs: 1,
      target,
      principal,
    });
    const a = serverIdOf(1);
    const b = serverIdOf(2);
    const intervals = [
      { start: 1000, end: 2000, servers: [a, b] },
      { start: 2000, end: 3000, servers: [a] },
      { start: 2500, end: 2600, servers: [b] },
    ];
    const calls = [
      call(1500, a),
      call(2999, a),
      call(2550, b),
      call(3500, a),
      call(3500, b, 'arn:aws:sts::000000000000:assumed-role/Admin/alice'),
    ];
    assert.deepEqual(checkOverlaps(intervals, calls), {
      invocations: 3,
      reconciles: 4,
      servers: 2,
      overlapping: 0,
      workerCalls: 4,
      callsOutside: 1,
    });
    assert.equal(checkOverlaps([...intervals, { start: 2900, end: 3100, servers: [a] }], []).overlapping, 1);
  });
});
