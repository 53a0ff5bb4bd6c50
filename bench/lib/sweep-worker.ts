// Child process that runs one sweep and nothing else, so its peak memory is the sweep's. It is
// bundled with the Lambdas' esbuild settings before it runs (lib/sweep-run.ts), so the handler
// here is the drift-sweep Lambda's code as deployed, built from the environment at import as in
// Lambda (AWS_ENDPOINT_URL, the pacing rates, the concurrency). `naive` runs the plain loop.
import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import { handler } from '../../functions/handlers/drift-sweep.ts';
import type { SweepSummary } from '../../functions/reconciler/sweep.ts';
import { sweep } from '../../functions/reconciler/sweep.ts';
import { createClients } from '../../functions/reconciler/aws/clients.ts';
import { lambdaContext } from '../../infra/local/lambda/context.ts';
import { naiveSweep } from '../naive-sweep.ts';
import type { NaiveResult } from '../naive-sweep.ts';
import { serveRequests } from './child.ts';
import { PREFIX } from './fleet.ts';

export interface WorkerRun {
  wallMs: number;
  /** Peak resident set size of this process, in KiB (getrusage ru_maxrss). */
  maxRssKiB: number;
  summary?: SweepSummary;
  naive?: NaiveResult;
  error?: string;
}

export interface Convergence {
  results: Record<string, number>;
  calls: Record<string, number>;
}

const endpoint = process.env.AWS_ENDPOINT_URL ?? '';
const TIMEOUT_MS = 900_000;

function scheduledEvent(): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:000000000000:rule/bench-sweep'],
    detail: {},
  };
}

async function run(args: { engine: 'handler' | 'naive' }): Promise<WorkerRun> {
  const started = performance.now();
  const out: Partial<WorkerRun> = {};
  try {
    if (args.engine === 'naive') out.naive = await naiveSweep({ endpoint, prefix: PREFIX });
    else out.summary = await handler(scheduledEvent(), lambdaContext(TIMEOUT_MS, 'bench-drift-sweep'));
  } catch (err) {
    out.error = `${(err as Error).name}: ${(err as Error).message}`;
  }
  const wallMs = performance.now() - started;
  return { ...out, wallMs, maxRssKiB: process.resourceUsage().maxRSS };
}

/** A second pass in detect mode, unpaced, after the benchmark lifted the emulator's faults. */
async function converged(): Promise<Convergence> {
  const clients = createClients({ endpointUrl: endpoint });
  const now = Date.now();
  const { summary } = await sweep({
    clients,
    prefix: PREFIX,
    deadline: now + TIMEOUT_MS,
    stopStartingAt: now + TIMEOUT_MS,
    concurrency: 16,
    modeOverride: 'detect',
  });
  clients.transfer.destroy();
  clients.ssm.destroy();
  return { results: summary.results as Record<string, number>, calls: summary.calls };
}

serveRequests({
  run: (a) => run(a as { engine: 'handler' | 'naive' }),
  converged: () => converged(),
});
