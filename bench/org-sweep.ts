// Benchmark 8 — an organisation swept through the pipeline (issue 14): 25 spoke accounts × 2
// regions = 50 account-regions × 40 servers = 2,000 servers, 10 % of each account-region drifted
// (bench/lib/fleet.ts's mixed fields), every document in the hub's SSM under
// `<prefix><AccountId>/<Region>/<ServerId>` with the accounts file; the emulator throttles Transfer
// at 20 requests/s (burst 20) in each account-region and every entry says transferCallsPerSecond 20;
// the hub's SSM is throttled and paced at SSM_CALLS_PER_SECOND = 1000 (Parameter Store's higher
// throughput), so the listing and the workers' GetParameter per server are not what binds. K = 4
// workers as deployed (each paces a spoke account-region at 20 ÷ min(K, ⌈K × 10 ÷ 51⌉) = 20 ÷ 1,
// functions/handlers/lib/worker-share.ts; 20 ÷ 4 for 10 s after a throttled answer),
// RECONCILE_CONCURRENCY 10 as deployed (a batch's ten groups at once), latency 0; the enumerator
// sends other accounts' documents round-robin across account-regions
// (functions/handlers/lib/interleave.ts). One run in its own process (lib/org-sweep-process.ts); a
// full sweep = the enumerator's start → the queue drained.
//
//   node bench/org-sweep.ts               prints the section and writes bench/results/org-sweep.json
//   node bench/org-sweep.ts --accounts 2 --regions 2 --servers 10 --no-write   a small one (smoke)
//   node bench/org-sweep.ts --transfer-rate 5 --no-write   the same org at a lower quota (the pacing,
//                                          not this machine's CPU, is then what binds)
//   node bench/org-sweep.ts --interleave --concurrency 10   the what-if (org-sweep-run.ts `order`),
//                                          put into org-sweep.json as `whatIfInterleaved`
//   node bench/org-sweep.ts --burst [--burst-servers 400]   the work concentrated in one
//                                          account-region (lib/org-burst-run.ts): prints section 8b,
//                                          writes only bench/results/org-burst.json (--no-write: nothing)
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChild } from './lib/child.ts';
import { orgBurstSection, orgSweepFigures, orgSweepSection } from './lib/org-report.ts';
import { runOrgBurst } from './lib/org-burst-run.ts';
import type { OrgSweepFigures } from './lib/org-report.ts';
import type { OrgSweepRun, OrgSweepScenario } from './lib/org-sweep-run.ts';

export const ORG_SWEEP: OrgSweepScenario = {
  accounts: 25,
  regions: 2,
  serversPerAccountRegion: 40,
  driftFraction: 0.1,
  transferRate: 20,
  ssmRate: 1000,
  workers: 4,
  reconcileConcurrency: 10,
};

const SCRIPT = fileURLToPath(new URL('./lib/org-sweep-process.ts', import.meta.url));

export async function runOrgSweep(
  scenario: Partial<OrgSweepScenario> = {},
  log: (line: string) => void = () => undefined,
  command = 'node bench/org-sweep.ts',
): Promise<OrgSweepFigures> {
  const s = { ...ORG_SWEEP, ...scenario };
  const start = loadavg()[0] ?? 0;
  const date = new Date().toISOString();
  const child = startChild(SCRIPT);
  let run: OrgSweepRun;
  try {
    run = await child.request<OrgSweepRun>('run', s);
  } finally {
    await child.request('exit').catch(() => undefined);
    await child.stop();
  }
  const figures = orgSweepFigures(run, { command, date, load: { start, end: loadavg()[0] ?? 0 } });
  log(
    `  org sweep ${run.servers} servers in ${run.accountRegions} account-regions: ${run.wallSeconds.toFixed(1)} s, limit ${figures.limitSeconds.toFixed(2)} s`,
  );
  return figures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string' },
      regions: { type: 'string' },
      servers: { type: 'string' },
      workers: { type: 'string' },
      concurrency: { type: 'string' },
      'ssm-rate': { type: 'string' },
      'transfer-rate': { type: 'string' },
      interleave: { type: 'boolean' },
      burst: { type: 'boolean' },
      'burst-servers': { type: 'string' },
      'no-write': { type: 'boolean' },
    },
  });
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const overrides: Partial<OrgSweepScenario> = Object.fromEntries(
    Object.entries({
      accounts: num(values.accounts),
      regions: num(values.regions),
      serversPerAccountRegion: num(values.servers),
      workers: num(values.workers),
      reconcileConcurrency: num(values.concurrency),
      ssmRate: num(values['ssm-rate']),
      transferRate: num(values['transfer-rate']),
      order: values.interleave ? ('interleaved' as const) : undefined,
    }).filter(([, v]) => v !== undefined),
  );
  const started = performance.now();
  const command = ['node bench/org-sweep.ts', ...process.argv.slice(2)].join(' ');
  if (values.burst) {
    // In this process (no memory figures): the org of the benchmark, one account-region's work only.
    const date = new Date().toISOString();
    const run = await runOrgBurst({ ...ORG_SWEEP, ...overrides, burstServers: num(values['burst-servers']) ?? 400 });
    console.log(orgBurstSection(run, { command, date }).join('\n'));
    console.error(`whole run ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (!values['no-write']) {
      const path = fileURLToPath(new URL('./results/org-burst.json', import.meta.url));
      writeFileSync(path, `${JSON.stringify({ command, date, run }, null, 2)}\n`);
      console.error(`wrote ${path}`);
    }
    process.exit(run.converged && run.deadLettered === 0 ? 0 : 1);
  }
  const figures = await runOrgSweep(overrides, (line) => console.error(line), command);
  console.log(orgSweepSection(figures).join('\n'));
  console.error(`whole run ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (!values['no-write']) {
    const path = fileURLToPath(new URL('./results/org-sweep.json', import.meta.url));
    // The what-if goes into the benchmark's file beside its figures; the benchmark writes the file afresh.
    const written = values.interleave
      ? { ...(JSON.parse(readFileSync(path, 'utf8')) as OrgSweepFigures), whatIfInterleaved: figures }
      : figures;
    writeFileSync(path, `${JSON.stringify(written, null, 2)}\n`);
    console.error(`wrote ${path}`);
  }
}
