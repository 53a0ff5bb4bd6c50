// The fault soak (soak/soak.ts) in small, on the pipeline: 20 servers, the same fault mix (30 %
// throttled, 3 % 500/503, 1 % dropped, latency jitter, transitional states, a person's edits and
// new document versions during the enumerations, events racing them), the same invariants — and
// no two reconciles of one server at once, no reconcile caused by the worker's own writes.
// `npm run soak` runs it on 300 servers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lostTotal, runSoak } from '../../soak/soak.ts';
import { captureOutput, markedHostKey } from '../helpers/secrets.ts';

test("20 servers on the pipeline under the soak's fault mix: all converge, nothing lost, no overlap, no key in any output", async () => {
  const report = await runSoak({
    servers: 20,
    seed: 11,
    chaosRounds: 1,
    maxRounds: 8,
    workers: 4,
    concurrency: 4,
    chaosEveryMs: 40,
    hostKey: () => markedHostKey('ed25519'),
    onOutput: (line) => captureOutput('soak lambda line', line),
  });
  assert.deepEqual(report.lost, {
    notConverged: [],
    wrongRunState: [],
    writesToHandsOff: [],
    invalidUpdates: 0,
    silentFailures: 0,
    keyLeaks: 0,
    overlappingReconciles: 0,
    callsOutsideReconcile: 0,
    ownWritesReconciled: 0,
  });
  assert.equal(lostTotal(report.lost), 0);
  assert.ok(report.convergenceRounds !== undefined, JSON.stringify(report.rounds));
  // The checks were not vacuous: reconciles ran through the workers, and the worker wrote (its events were dropped).
  assert.ok(report.overlaps.reconciles > 0 && report.overlaps.workerCalls > 0, JSON.stringify(report.overlaps));
  assert.ok(report.ownWrites.events > 0, JSON.stringify(report.ownWrites));
  // The faults really happened.
  assert.ok(report.calls.faults.throttled > 0, JSON.stringify(report.calls.faults));
  assert.ok(report.chaos.drift + report.chaos.transitional + report.chaos.documentVersions > 0, JSON.stringify(report.chaos));
  assert.equal(report.calls.unknownMembers, 0);
  assert.equal(report.failures.withoutReason, 0);
});
