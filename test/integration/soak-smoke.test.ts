// The fault soak (soak/soak.ts) in small: 20 servers, the same fault mix (30 % throttled, 3 %
// 500/503, 1 % dropped, latency jitter, transitional states, drift and new document versions while
// sweeping, events racing the sweep), the same invariants. `npm run soak` runs it on 300 servers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lostTotal, runSoak } from '../../soak/soak.ts';
import { captureOutput, markedHostKey } from '../helpers/secrets.ts';

test("20 servers under the soak's fault mix: all converge, nothing lost, no key in any output", async () => {
  const report = await runSoak({
    servers: 20,
    seed: 11,
    chaosSweeps: 1,
    maxSweeps: 8,
    concurrency: 20,
    eventInstances: 12,
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
  });
  assert.equal(lostTotal(report.lost), 0);
  assert.ok(report.convergenceSweeps !== undefined, JSON.stringify(report.sweeps));
  // The faults really happened.
  assert.ok(report.calls.faults.throttled > 0, JSON.stringify(report.calls.faults));
  assert.ok(report.chaos.drift + report.chaos.transitional + report.chaos.documentVersions > 0, JSON.stringify(report.chaos));
  assert.equal(report.calls.unknownMembers, 0);
  assert.equal(report.failures.withoutReason, 0);
});
