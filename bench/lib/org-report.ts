// The org sweep's figures (bench/org-sweep.ts) judged and printed: the limit the quotas allow, the
// ratio to it, and what the time went on, as a Markdown section like the other benchmarks'.
import { BATCH_SIZE, instancesPerPlace } from '../../functions/handlers/lib/worker-share.ts';
import { opsText } from './call-counts.ts';
import { ok, s1, s2, table } from './markdown-table.ts';
import type { OrgSweepRun } from './org-sweep-run.ts';
import type { OrgBurstRun } from './org-burst-run.ts';
import { median } from './quota-math.ts';

export interface OrgSweepFigures {
  run: OrgSweepRun;
  /** GetParametersByPath pages (10 documents each) ÷ SSM_CALLS_PER_SECOND. */
  listingSeconds: number;
  busiest: { key: string; transferCalls: number; seconds: number };
  /** max(listingSeconds, busiest.seconds). */
  limitSeconds: number;
  ratio: number;
  /** Not in the limit: every hub SSM call of the sweep (the listing, one GetParameter per server, the accounts file) ÷ the SSM rate. */
  hubSsmSeconds: number;
  /** Transfer calls ÷ wall, against the org's Transfer capacity (account-regions × rate). */
  transferPerSecond: number;
  orgCapacityPerSecond: number;
  /**
   * What the pacing allows the whole org at once (functions/handlers/lib/worker-share.ts): each
   * worker paces a spoke account-region at rate ÷ instancesPerPlace; K × S reconciles at once
   * (S = min(RECONCILE_CONCURRENCY, 10)) are at most K × S worker-on-account-region pairs (K × the
   * spoke account-regions when there are fewer), and no account-region gets more than its rate.
   */
  pacingCeilingPerSecond: number;
  assumeRoleBound: number;
  throttled: number;
  target: number;
  /** The exact command and when it ran. */
  command: string;
  date: string;
  load: { start: number; end: number };
}

export function orgSweepFigures(run: OrgSweepRun, meta: Pick<OrgSweepFigures, 'command' | 'date' | 'load'>): OrgSweepFigures {
  const s = run.scenario;
  // The interleaved what-if lists nothing: the pages the enumerator would have read.
  const pages = run.calls.byService.ssm?.GetParametersByPath ?? Math.ceil(run.servers / 10);
  const listingSeconds = pages / s.ssmRate;
  const top = run.accountRegionsFigures[0];
  const busiest = {
    key: top?.key ?? '',
    transferCalls: (top?.transferCalls ?? 0) - (top?.throttled ?? 0),
    seconds: ((top?.transferCalls ?? 0) - (top?.throttled ?? 0)) / s.transferRate,
  };
  const limitSeconds = Math.max(listingSeconds, busiest.seconds);
  const transfer = run.calls.perService.transfer ?? 0;
  return {
    run,
    listingSeconds,
    busiest,
    limitSeconds,
    ratio: run.wallSeconds / limitSeconds,
    hubSsmSeconds: (run.calls.perService.ssm ?? 0) / s.ssmRate,
    transferPerSecond: transfer / run.wallSeconds,
    orgCapacityPerSecond: run.accountRegions * s.transferRate,
    pacingCeilingPerSecond: pacingOf(run).ceilingPerSecond,
    // Once per account and instance: the K workers (write role) and the enumerator (read role, its ListServers).
    assumeRoleBound: s.accounts * (s.workers + 1),
    throttled: run.calls.throttled,
    target: 1.3,
    ...meta,
  };
}

/** Median of the per-second account-regions with Transfer calls, over the seconds that had any. */
/** The workers' pacing of the org (worker-share.ts), from the scenario (so a rerender of older figures shows the rule as it is). */
export function pacingOf(run: OrgSweepRun): { instancesPerPlace: number; pairs: number; ceilingPerSecond: number } {
  const s = run.scenario;
  // Every spoke account-region and the hub's own are the places the rule counts.
  const perPlace = instancesPerPlace({ workerMaxConcurrency: s.workers }, run.accountRegions + 1);
  const pairs = Math.min(s.workers * Math.min(s.reconcileConcurrency, BATCH_SIZE), s.workers * run.accountRegions);
  return {
    instancesPerPlace: perPlace,
    pairs,
    ceilingPerSecond: Math.min((pairs * s.transferRate) / perPlace, run.accountRegions * s.transferRate),
  };
}

export function medianActiveAccountRegions(run: OrgSweepRun): number {
  const busy = run.timeline.filter((t) => t.transfer > 0).map((t) => t.accountRegions);
  return busy.length === 0 ? 0 : median(busy);
}

const mib = (n: number): string => `${s1(n)} MiB`;

export function orgSweepSection(f: OrgSweepFigures): string[] {
  const r = f.run;
  const s = r.scenario;
  const spokesTransfer = r.accountRegionsFigures.reduce((n, a) => n + a.transferCalls, 0);
  const spans = r.accountRegionsFigures.map((a) => a.lastSeconds - a.firstSeconds).sort((a, b) => a - b);
  const busySeconds = r.timeline.filter((t) => t.transfer > 0).length;
  const pacing = pacingOf(r);
  const whatIf =
    s.order === 'interleaved'
      ? 'WHAT-IF, not the deployed pipeline: the schedule messages enqueued by the benchmark round-robin across the account-regions instead of by the enumerator, timed from the first send; '
      : '';
  return [
    `### 8. org sweep (${whatIf}${s.accounts} accounts × ${s.regions} regions = ${r.accountRegions} account-regions × ${s.serversPerAccountRegion} servers = ${r.servers}, ${r.drift.drifted} drifted (${s1(100 * s.driftFraction)} % of each account-region); Transfer quota ${s.transferRate}/s (burst ${s.transferRate}) per account-region, every entry transferCallsPerSecond ${s.transferRate}; hub SSM ${s.ssmRate}/s = SSM_CALLS_PER_SECOND; K = ${s.workers} workers (each ${s.transferRate} ÷ ${pacing.instancesPerPlace} per account-region${pacing.instancesPerPlace < s.workers ? `, ${s.transferRate} ÷ ${s.workers} for 10 s after a throttled answer` : ''}), RECONCILE_CONCURRENCY ${s.reconcileConcurrency}; latency ${s.latency ? `${s.latency.fixedMs} + 0–${s.latency.jitterMs} ms` : '0'}; measured ${f.date}, load average ${s1(f.load.start)} → ${s1(f.load.end)})`,
    '',
    ...table(
      ['figure', 'value', 'goal'],
      [
        [
          s.order === 'interleaved' ? 'wall time, first send → queue drained' : 'wall time, enumerator start → queue drained',
          `${s1(r.wallSeconds)} s (${s.order === 'interleaved' ? 'sending' : 'enumerator'} ${s1(r.enumerateSeconds)} s)`,
          '',
        ],
        [
          `limit = max(hub listing ${Math.round(f.listingSeconds * s.ssmRate)} pages ÷ ${s.ssmRate}/s = ${s2(f.listingSeconds)} s, busiest account-region ${f.busiest.key}: ${f.busiest.transferCalls} Transfer calls ÷ ${s.transferRate}/s = ${s2(f.busiest.seconds)} s)`,
          `${s2(f.limitSeconds)} s`,
          '',
        ],
        ['ratio wall ÷ limit', s2(f.ratio), `≤ ${f.target} ${ok(f.ratio <= f.target)}`],
        [
          'Transfer calls per second, whole org (achieved ÷ capacity)',
          `${s1(f.transferPerSecond)}/s of ${f.orgCapacityPerSecond}/s (${r.accountRegions} × ${s.transferRate}); the pacing's ceiling ${s1(pacing.ceilingPerSecond)}/s (${pacing.pairs} worker–account-region pairs at once = min(K × min(RECONCILE_CONCURRENCY, 10), K × account-regions), × ${s.transferRate} ÷ ${pacing.instancesPerPlace} each; at most ${r.accountRegions} × ${s.transferRate})`,
          '',
        ],
        [
          'account-regions with Transfer calls in a second (median over the seconds with any; max)',
          `${s1(medianActiveAccountRegions(r))}; ${Math.max(0, ...r.timeline.map((t) => t.accountRegions))} (of ${r.accountRegions}), ${busySeconds} s with Transfer calls`,
          '',
        ],
        [
          "one account-region's first → last Transfer call (median; max)",
          `${s1(spans[Math.floor(spans.length / 2)] ?? 0)} s; ${s1(spans.at(-1) ?? 0)} s`,
          '',
        ],
        [
          'worker batches (records; account-regions per batch: mean, max; invocations in flight at most)',
          `${r.worker.batches} (${r.worker.records}; ${s2(r.worker.meanAccountRegionsPerBatch)}, ${r.worker.maxAccountRegionsPerBatch}; ${r.worker.maxConcurrent})`,
          '',
        ],
        [
          'not in the limit: every hub SSM call ÷ its rate',
          `${r.calls.perService.ssm ?? 0} (${opsText(r.calls.byService.ssm)}) ÷ ${s.ssmRate}/s = ${s2(f.hubSsmSeconds)} s`,
          '',
        ],
        [
          'peak memory of the process (emulator, runner, functions; sampled every 100 ms)',
          `RSS ${mib(r.memory.peakRssMiB)} (maxRSS ${mib(r.memory.maxRssMiB)}), heapUsed ${mib(r.memory.peakHeapUsedMiB)}`,
          '',
        ],
        [
          'CPU of that process during the sweep (user + system per wall second; event-loop utilisation)',
          `${s2(r.cpu.perWallSecond)} (${s1(r.cpu.userSeconds)} + ${s1(r.cpu.systemSeconds)} s); ${s2(r.cpu.eventLoopUtilisation)}`,
          '',
        ],
        [
          'CPU per request answered (all of the process: emulator, runner, functions, idle polling)',
          `${s2((1000 * (r.cpu.userSeconds + r.cpu.systemSeconds)) / r.calls.total)} ms → ${r.calls.total} requests need ≥ ${s1(r.cpu.userSeconds + r.cpu.systemSeconds)} s of one core`,
          '',
        ],
        [
          'AssumeRole calls (most for one account; refused)',
          `${r.assumeRole.calls} (${r.assumeRole.maxPerAccount}; ${r.assumeRole.refused})`,
          `≤ ${s.accounts} accounts × (${s.workers} workers + the enumerator) = ${f.assumeRoleBound} ${ok(r.assumeRole.calls <= f.assumeRoleBound)}`,
        ],
        [
          'throttled responses (Transfer; SSM)',
          `${f.throttled} (${r.calls.throttledByService.transfer ?? 0}; ${r.calls.throttledByService.ssm ?? 0}) of ${r.calls.total}`,
          '',
        ],
        [
          "Transfer calls signed for another account-region than their server's (call log)",
          `${r.misplaced} of ${spokesTransfer} spoke Transfer calls`,
          `0 ${ok(r.misplaced === 0)}`,
        ],
        [
          'results',
          `${Object.entries(r.results)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}; ${r.outcomesWithAddress} with their account and region; dead-lettered ${r.deadLettered}`,
          '',
        ],
        [
          'converged (back ends as their documents say, before → after)',
          `${r.asDocumentedBefore} → ${r.asDocumentedAfter} of ${r.servers}`,
          ok(r.converged),
        ],
        [
          'overlapping reconciles of one server; worker Transfer calls outside their reconcile',
          `${r.overlaps.overlapping}; ${r.overlaps.callsOutside} of ${r.overlaps.workerCalls}`,
          ok(r.overlaps.overlapping + r.overlaps.callsOutside === 0),
        ],
        [
          'requests (all account-regions)',
          `Transfer ${opsText(r.calls.byService.transfer)}; SSM ${opsText(r.calls.byService.ssm)}; SQS ${opsText(r.calls.byService.sqs)}; STS ${opsText(r.calls.byService.sts)}`,
          '',
        ],
      ],
    ),
  ];
}

/**
 * The org sweep's burst variant (bench/org-sweep.ts --burst, lib/org-burst-run.ts) as a Markdown
 * section: the hot account-region's wall against its limit (its accepted Transfer calls ÷ its
 * rate), the throttled answers and their share, and whether its servers converged.
 */
export function orgBurstSection(r: OrgBurstRun, meta: { command: string; date: string }): string[] {
  const s = r.scenario;
  const accepted = r.transferCalls - r.throttled;
  const limitSeconds = accepted / s.transferRate;
  const floor = s.transferRate / s.workers;
  const throttledSeconds = r.timeline.filter((t) => t.throttled > 0).map((t) => t.second);
  return [
    `### 8b. org sweep, work concentrated in one account-region (the org of 8: ${r.accountRegions} account-regions listed, its first ${r.hot} holding ${r.servers} servers, ${r.drifted} drifted; only its schedule messages enqueued; Transfer quota ${s.transferRate}/s (burst ${s.transferRate}); K = ${s.workers} workers each pacing it at ${s.transferRate} ÷ ${r.instancesPerPlace}, ${s2(floor)}/s (${s.transferRate} ÷ ${s.workers}) for 60 s after a throttled answer; RECONCILE_CONCURRENCY ${s.reconcileConcurrency}; \`${meta.command}\`, ${meta.date})`,
    '',
    ...table(
      ['figure', 'value', 'goal'],
      [
        ['wall time, first send → queue drained', `${s1(r.wallSeconds)} s`, ''],
        [`limit = its accepted Transfer calls ${accepted} ÷ ${s.transferRate}/s`, `${s2(limitSeconds)} s`, ''],
        ['ratio wall ÷ limit', s2(r.wallSeconds / limitSeconds), ''],
        [
          'throttled answers (share of its Transfer attempts)',
          `${r.throttled} of ${r.transferCalls} (${s1((100 * r.throttled) / Math.max(1, r.transferCalls))} %)`,
          '',
        ],
        [
          'seconds with throttled answers (first; last)',
          `${throttledSeconds.length} (${throttledSeconds[0] ?? '–'}; ${throttledSeconds.at(-1) ?? '–'}) of ${r.timeline.length}`,
          '',
        ],
        ['Transfer calls in other account-regions', String(r.elsewhere), `0 ${ok(r.elsewhere === 0)}`],
        [
          'results',
          `${Object.entries(r.results)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}; dead-lettered ${r.deadLettered}`,
          '',
        ],
        [
          'converged (its servers as their documents say, before → after)',
          `${r.asDocumentedBefore} → ${r.asDocumentedAfter} of ${r.servers}`,
          ok(r.converged && r.deadLettered === 0),
        ],
      ],
    ),
  ];
}
