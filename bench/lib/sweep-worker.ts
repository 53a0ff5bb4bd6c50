// Child process that runs the naive loop (naive-sweep.ts) and nothing else, so its peak memory is
// the loop's; then, on request, a second pass in detect mode with the engine (reconcile-many.ts,
// the CLI's `reconcile --all`), unpaced, after the benchmark lifted the emulator's faults.
import { reconcileSelection } from '../../functions/reconciler/reconcile-many.ts';
import { createClients, destroyClients } from '../../functions/reconciler/aws/clients.ts';
import { naiveSweep } from '../naive-sweep.ts';
import type { NaiveResult } from '../naive-sweep.ts';
import { serveRequests } from './child.ts';
import { PREFIX } from './fleet.ts';

export interface WorkerRun {
  wallMs: number;
  /** Peak resident set size of this process, in KiB (getrusage ru_maxrss). */
  maxRssKiB: number;
  naive?: NaiveResult;
  error?: string;
}

export interface Convergence {
  results: Record<string, number>;
}

const endpoint = process.env.AWS_ENDPOINT_URL ?? '';

async function run(): Promise<WorkerRun> {
  const started = performance.now();
  const out: Partial<WorkerRun> = {};
  try {
    out.naive = await naiveSweep({ endpoint, prefix: PREFIX });
  } catch (err) {
    out.error = `${(err as Error).name}: ${(err as Error).message}`;
  }
  const wallMs = performance.now() - started;
  return { ...out, wallMs, maxRssKiB: process.resourceUsage().maxRSS };
}

async function converged(): Promise<Convergence> {
  const clients = createClients({ endpointUrl: endpoint });
  try {
    const { outcomes } = await reconcileSelection(
      { all: true },
      { clients, prefix: PREFIX, trigger: 'schedule', modeOverride: 'detect', deadline: Date.now() + 900_000, concurrency: 16 },
    );
    const results: Record<string, number> = {};
    for (const o of outcomes) results[o.result] = (results[o.result] ?? 0) + 1;
    return { results };
  } finally {
    destroyClients(clients);
  }
}

serveRequests({ run: () => run(), converged: () => converged() });
