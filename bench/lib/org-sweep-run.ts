// One sweep of the organisation (org-fleet.ts) through the deployed pipeline, end to end and in one
// process (the emulator, the local runner and every function: pipeline-rig.ts): the org seeded, the
// emulator's Transfer quota per account-region and the hub's SSM quota switched on, then the
// enumerator run once and the queue drained by K workers, timed from the enumerator's start to the
// runner settled. Alongside, what the time went on: the process's CPU and event-loop utilisation,
// memory sampled every 100 ms, and from the call log how many account-regions had Transfer calls in
// each second and how each account-region's calls spread over the sweep.
import { performance } from 'node:perf_hooks';
import type { CallLogEntry } from '../../infra/local/types.ts';
import { countCalls } from './call-counts.ts';
import type { CallCounts } from './call-counts.ts';
import { checkOverlaps } from './overlaps.ts';
import type { OverlapFigures } from './overlaps.ts';
import { makeOrg, misplacedCalls, placeKey, serversAsDocumented, unplacedTransferCalls, SPOKE_ROLE } from './org-fleet.ts';
import type { Org, OrgServer, OrgShape, Place } from './org-fleet.ts';
import { sendSchedule, startOrgRig, throttle } from './org-rig.ts';
import type { PipelineRunner } from '../../infra/local/pipeline/runner.ts';

export interface OrgSweepScenario extends OrgShape {
  /** WORKER_MAX_CONCURRENCY: the event source mapping's MaximumConcurrency; each worker paces a spoke's account-region at its share (functions/handlers/lib/worker-share.ts). */
  workers: number;
  /** RECONCILE_CONCURRENCY: reconciles in flight inside one worker batch (deployed 4). */
  reconcileConcurrency: number;
  /** SSM_CALLS_PER_SECOND, and the emulator's SSM quota (burst = rate) in every account-region (only the hub's SSM is called). */
  ssmRate: number;
  latency?: { fixedMs: number; jitterMs: number };
  seed?: number;
  /**
   * 'enumerator' (the benchmark): the enumerator lists and enqueues, in its listing's order (by
   * name: one account-region after another). 'interleaved' (a what-if, not the deployed pipeline):
   * the benchmark enqueues the same schedule messages itself, round-robin across the account-regions,
   * so that each batch of 10 holds 10 account-regions; timed from the first send.
   */
  order?: 'enumerator' | 'interleaved';
}

export interface AccountRegionFigures {
  key: string;
  transferCalls: number;
  throttled: number;
  /** First to last Transfer call of the account-region, seconds from the sweep's start. */
  firstSeconds: number;
  lastSeconds: number;
}

export interface OrgSweepRun {
  scenario: OrgSweepScenario;
  servers: number;
  accountRegions: number;
  drift: { drifted: number; updated: number; tagged: number };
  wallSeconds: number;
  enumerateSeconds: number;
  /** Every request answered after the sweep began (the runner's CreateQueue/GetQueueAttributes left out), all account-regions. */
  calls: CallCounts;
  /** Per account-region (spokes only), busiest first. */
  accountRegionsFigures: AccountRegionFigures[];
  /** AssumeRole requests, and the most for one account. */
  assumeRole: { calls: number; maxPerAccount: number; refused: number };
  /** Transfer/EC2 calls naming a server made outside its account-region (or a session's calls outside its account): must be 0. */
  misplaced: number;
  misplacedSamples: CallLogEntry[];
  /** Transfer calls naming no server of the org, by account-region (the enumerator's ListServers in the hub). */
  unplacedTransfer: Record<string, number>;
  results: Record<string, number>;
  /** Outcomes of spoke servers carrying their account and region. */
  outcomesWithAddress: number;
  deadLettered: number;
  /** The org's servers matching their documents on the back ends, before and after the sweep. */
  asDocumentedBefore: number;
  asDocumentedAfter: number;
  converged: boolean;
  counters: Record<string, number>;
  overlaps: OverlapFigures;
  worker: {
    /** Worker invocations in flight at once, at most (≤ K). */ maxConcurrent: number;
    batches: number;
    records: number;
    meanAccountRegionsPerBatch: number;
    maxAccountRegionsPerBatch: number;
  };
  memory: { peakRssMiB: number; peakHeapUsedMiB: number; maxRssMiB: number; samples: number };
  cpu: { userSeconds: number; systemSeconds: number; perWallSecond: number; eventLoopUtilisation: number };
  /** Per second of the sweep: Transfer calls (all account-regions) and account-regions with at least one. */
  timeline: Array<{ second: number; transfer: number; accountRegions: number; ssm: number; sqs: number }>;
}

const MIB = 2 ** 20;
const SERVER_IN = /s-[0-9a-f]{17}/;

export async function runOrgSweep(s: OrgSweepScenario): Promise<OrgSweepRun> {
  const org = makeOrg(s, s.seed);
  const home = new Map<string, Place>(org.servers.map((v) => [v.serverId, { account: v.account, region: v.region }]));
  const rig = await startOrgRig(s, org);
  try {
    const asDocumentedBefore = serversAsDocumented(rig.emu, org);
    const seq0 = throttle(rig, s);

    const memory = { peakRss: 0, peakHeap: 0, samples: 0 };
    const sample = (): void => {
      const m = process.memoryUsage();
      memory.peakRss = Math.max(memory.peakRss, m.rss);
      memory.peakHeap = Math.max(memory.peakHeap, m.heapUsed);
      memory.samples++;
    };
    sample();
    const sampler = setInterval(sample, 100);
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const t0 = performance.now();
    const epoch0 = Date.now();
    if (s.order === 'interleaved') await sendInterleaved(rig.pipeline, org);
    else await rig.pipeline.enumerate();
    const enumerateSeconds = (performance.now() - t0) / 1000;
    await rig.pipeline.settled();
    const wallSeconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const elu = performance.eventLoopUtilization(elu0);
    clearInterval(sampler);
    sample();
    rig.emu.faults.set({});

    const log = rig.emu.calls.list(seq0, {}).filter((c) => c.operation !== 'CreateQueue' && c.operation !== 'GetQueueAttributes');
    const calls = countCalls(log);
    const at = (c: CallLogEntry): number => (Date.parse(c.time) - epoch0) / 1000;

    const perPlace = new Map<string, AccountRegionFigures>();
    for (const c of log) {
      if (c.service !== 'transfer' || c.account === rig.emu.accountId) continue;
      const key = `${c.account ?? '?'}/${c.region ?? '?'}`;
      const f = perPlace.get(key) ?? { key, transferCalls: 0, throttled: 0, firstSeconds: Infinity, lastSeconds: -Infinity };
      f.transferCalls++;
      if (c.throttled) f.throttled++;
      f.firstSeconds = Math.min(f.firstSeconds, at(c));
      f.lastSeconds = Math.max(f.lastSeconds, at(c));
      perPlace.set(key, f);
    }
    const accountRegionsFigures = [...perPlace.values()].sort((a, b) => b.transferCalls - a.transferCalls || a.key.localeCompare(b.key));

    const seconds = Math.max(1, Math.ceil(wallSeconds));
    const timeline = Array.from({ length: seconds }, (_, second) => ({ second, transfer: 0, accountRegions: 0, ssm: 0, sqs: 0 }));
    const active = timeline.map(() => new Set<string>());
    for (const c of log) {
      const i = Math.min(seconds - 1, Math.max(0, Math.floor(at(c))));
      const slot = timeline[i];
      if (slot === undefined) continue;
      if (c.service === 'transfer') {
        slot.transfer++;
        if (c.account !== rig.emu.accountId) active[i]?.add(`${c.account ?? ''}/${c.region ?? ''}`);
      } else if (c.service === 'ssm') slot.ssm++;
      else if (c.service === 'sqs') slot.sqs++;
    }
    timeline.forEach((t, i) => (t.accountRegions = active[i]?.size ?? 0));

    const assumes = log.filter((c) => c.operation === 'AssumeRole');
    const perAccount = new Map<string, number>();
    for (const c of assumes) perAccount.set(c.target ?? '', (perAccount.get(c.target ?? '') ?? 0) + 1);
    const misplaced = misplacedCalls(log, home);
    const unplacedTransfer: Record<string, number> = {};
    for (const c of unplacedTransferCalls(log, home)) {
      const key = `${c.account ?? '?'}/${c.region ?? '?'} ${c.operation}`;
      unplacedTransfer[key] = (unplacedTransfer[key] ?? 0) + 1;
    }

    const results: Record<string, number> = {};
    for (const o of rig.pipeline.outcomes) results[o.result] = (results[o.result] ?? 0) + 1;
    const outcomesWithAddress = rig.pipeline.outcomes.filter((o) => o.accountId !== undefined && o.region !== undefined).length;
    const deadLettered = (await rig.pipeline.depth(rig.pipeline.dlqUrl)).visible;
    const asDocumentedAfter = serversAsDocumented(rig.emu, org);

    // overlaps.ts counts the calls of the hub worker role's sessions; a spoke's are its role's
    // session named after the worker (transfer-reconciler-worker), so they are named as the worker's here.
    const asWorker = log.map((c) =>
      c.principal?.includes(`:assumed-role/${SPOKE_ROLE}/`) === true
        ? { ...c, principal: 'arn:aws:sts::0:assumed-role/transfer-reconciler-worker/spoke' }
        : c,
    );
    const overlaps = checkOverlaps(rig.intervals, asWorker);
    const placesPerBatch = rig.intervals.map(
      (i) => new Set(i.servers.map((id) => (home.has(id) ? placeKey(home.get(id) as Place) : SERVER_IN.exec(id)?.[0]))).size,
    );
    const counters = { ...rig.pipeline.counters } as unknown as Record<string, number>;
    return {
      scenario: s,
      servers: org.servers.length,
      accountRegions: org.places.length,
      drift: { drifted: org.counts.drifted, updated: org.counts.updated, tagged: org.counts.tagged },
      wallSeconds,
      enumerateSeconds,
      calls,
      accountRegionsFigures,
      assumeRole: {
        calls: assumes.length,
        maxPerAccount: Math.max(0, ...perAccount.values()),
        refused: assumes.filter((c) => c.status >= 400).length,
      },
      misplaced: misplaced.length,
      misplacedSamples: misplaced.slice(0, 5),
      unplacedTransfer,
      results,
      outcomesWithAddress,
      deadLettered,
      asDocumentedBefore,
      asDocumentedAfter,
      converged: asDocumentedAfter === org.servers.length,
      counters,
      overlaps,
      worker: {
        maxConcurrent: maxConcurrent(rig.intervals),
        batches: rig.intervals.length,
        records: rig.intervals.reduce((n, i) => n + i.servers.length, 0),
        meanAccountRegionsPerBatch: placesPerBatch.length === 0 ? 0 : placesPerBatch.reduce((a, b) => a + b, 0) / placesPerBatch.length,
        maxAccountRegionsPerBatch: Math.max(0, ...placesPerBatch),
      },
      memory: {
        peakRssMiB: memory.peakRss / MIB,
        peakHeapUsedMiB: memory.peakHeap / MIB,
        maxRssMiB: process.resourceUsage().maxRSS / 1024,
        samples: memory.samples,
      },
      cpu: {
        userSeconds: cpu.user / 1e6,
        systemSeconds: cpu.system / 1e6,
        perWallSecond: (cpu.user + cpu.system) / 1e6 / wallSeconds,
        eventLoopUtilisation: elu.utilization,
      },
      timeline,
    };
  } finally {
    await rig.stop();
  }
}

/** The enumerator's messages for every server, sent round-robin across the account-regions (10 per SendMessageBatch, 4 in flight). */
async function sendInterleaved(pipeline: PipelineRunner, org: Org): Promise<void> {
  const byPlace = new Map<string, OrgServer[]>();
  for (const v of org.servers) byPlace.set(placeKey(v), [...(byPlace.get(placeKey(v)) ?? []), v]);
  const columns = [...byPlace.values()];
  const order: OrgServer[] = [];
  for (let i = 0; i < Math.max(...columns.map((c) => c.length)); i++) for (const c of columns) if (c[i]) order.push(c[i] as OrgServer);
  await sendSchedule(pipeline, order, 'org-sweep-interleaved');
}

function maxConcurrent(intervals: ReadonlyArray<{ start: number; end: number }>): number {
  const edges = intervals.flatMap((i) => [
    [i.start, 1],
    [i.end, -1],
  ]);
  edges.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0));
  let now = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, (now += d ?? 0));
  return most;
}
