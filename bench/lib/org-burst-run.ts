// The org sweep's organisation (org-fleet.ts makeOrg, the benchmark's shape) with the work
// concentrated in ONE account-region (bench/org-sweep.ts --burst): its first account-region holds
// `burstServers` servers (the fleet's settings, the same drift fraction), the others keep theirs,
// and only the hot account-region's schedule messages are enqueued (sent by the benchmark, 10 per
// SendMessageBatch). With 50 account-regions listed, every worker paces a spoke at its whole quota
// (worker-share.ts: instancesPerPlace = 1), so the K instances meet on the hot one at K × its
// quota, unless something tells them: here every batch holds several of the hot account-region's
// servers, so each instance starts it at quota ÷ K (worker-batch.ts); a throttled answer would do
// the same for 10 s, the SDK retrying the call. Timed from the first send to the runner settled.
import { performance } from 'node:perf_hooks';
import { instancesPerPlace } from '../../functions/handlers/lib/worker-share.ts';
import { makeOrg, placeKey, serversAsDocumented } from './org-fleet.ts';
import type { Org } from './org-fleet.ts';
import { driftCounts } from './quota-math.ts';
import { sendSchedule, startOrgRig, throttle } from './org-rig.ts';
import type { OrgSweepScenario } from './org-sweep-run.ts';

export interface OrgBurstScenario extends OrgSweepScenario {
  /** Servers in the hot account-region (the others keep serversPerAccountRegion). */
  burstServers: number;
}

export interface OrgBurstRun {
  scenario: OrgBurstScenario;
  hot: string;
  accountRegions: number;
  instancesPerPlace: number;
  servers: number;
  drifted: number;
  wallSeconds: number;
  /** Transfer attempts in the hot account-region: all, and those answered ThrottlingException. */
  transferCalls: number;
  throttled: number;
  /** Transfer calls anywhere else (must be 0: nothing else was enqueued). */
  elsewhere: number;
  /** Per second of the run: the hot account-region's attempts and throttled answers. */
  timeline: Array<{ second: number; calls: number; throttled: number }>;
  results: Record<string, number>;
  deadLettered: number;
  asDocumentedBefore: number;
  asDocumentedAfter: number;
  converged: boolean;
}

/** The benchmark's org with its first account-region replaced by one of `burstServers` servers. */
export function makeBurstOrg(s: OrgBurstScenario): Org {
  const org = makeOrg(s, s.seed);
  const first = org.places[0];
  if (first === undefined) throw new RangeError('the org has no account-region');
  const big = makeOrg({ ...s, accounts: 1, regions: 1, serversPerAccountRegion: s.burstServers }, s.seed);
  const key = placeKey(first);
  const servers = [...big.servers, ...org.servers.filter((v) => placeKey(v) !== key)];
  const drift = [...big.drift, ...org.drift.filter((d) => placeKey(d) !== key)];
  return { ...org, servers, drift, counts: driftCounts(servers.length, drift) };
}

export async function runOrgBurst(s: OrgBurstScenario): Promise<OrgBurstRun> {
  const org = makeBurstOrg(s);
  const hotPlace = org.places[0] ?? { account: '', region: '' };
  const hotKey = placeKey(hotPlace);
  const hotServers = org.servers.filter((v) => placeKey(v) === hotKey);
  const hotOrg = { ...org, servers: hotServers };
  const rig = await startOrgRig(s, org);
  try {
    const asDocumentedBefore = serversAsDocumented(rig.emu, hotOrg);
    // As the org sweep: every account-region's Transfer throttled at the rate (each its own bucket).
    const seq0 = throttle(rig, s);
    const t0 = performance.now();
    const epoch0 = Date.now();
    await sendSchedule(rig.pipeline, hotServers, 'org-sweep-burst');
    await rig.pipeline.settled();
    const wallSeconds = (performance.now() - t0) / 1000;
    rig.emu.faults.set({});

    const transfer = rig.emu.calls.list(seq0, {}).filter((c) => c.service === 'transfer');
    const hot = transfer.filter((c) => `${c.account ?? ''}/${c.region ?? ''}` === hotKey);
    const seconds = Math.max(1, Math.ceil(wallSeconds));
    const timeline = Array.from({ length: seconds }, (_, second) => ({ second, calls: 0, throttled: 0 }));
    for (const c of hot) {
      const slot = timeline[Math.min(seconds - 1, Math.max(0, Math.floor((Date.parse(c.time) - epoch0) / 1000)))];
      if (slot === undefined) continue;
      slot.calls++;
      if (c.throttled) slot.throttled++;
    }
    const results: Record<string, number> = {};
    for (const o of rig.pipeline.outcomes) results[o.result] = (results[o.result] ?? 0) + 1;
    const asDocumentedAfter = serversAsDocumented(rig.emu, hotOrg);
    return {
      scenario: s,
      hot: hotKey,
      accountRegions: org.places.length,
      instancesPerPlace: instancesPerPlace({ workerMaxConcurrency: s.workers }, org.places.length + 1),
      servers: hotServers.length,
      drifted: org.drift.filter((d) => placeKey(d) === hotKey).length,
      wallSeconds,
      transferCalls: hot.length,
      throttled: hot.filter((c) => c.throttled).length,
      elsewhere: transfer.length - hot.length,
      timeline,
      results,
      deadLettered: (await rig.pipeline.depth(rig.pipeline.dlqUrl)).visible,
      asDocumentedBefore,
      asDocumentedAfter,
      converged: asDocumentedAfter === hotServers.length,
    };
  } finally {
    await rig.stop();
  }
}
