// Benchmark 4 — reconcile overhead: the time one reconcile spends outside its HTTP exchanges
// (document parsing and validation, plan, SDK serialisation and signing, middleware, our
// bookkeeping), with the emulator answering at once (latency 0) from its own process. One
// in-sync and one drifted server, reconciled as the worker reconciles one message group
// (reconcileServer: GetParameter, DescribeServer, and for the drifted one UpdateServer, TagResource
// when its tags drifted, and the verifying DescribeServer), with the Lambdas' instrumented clients
// (call counting, pacing set far above the pace of one reconcile so it never waits).
import { performance } from 'node:perf_hooks';
import { instrumentClients } from '../functions/handlers/lib/clients.ts';
import { readConfig } from '../functions/handlers/lib/config.ts';
import { createClients } from '../functions/reconciler/aws/clients.ts';
import { reconcileServer } from '../functions/reconciler/reconcile.ts';
import { startEmulatorChild } from './lib/emulator-client.ts';
import { PREFIX, serverIdOf } from './lib/fleet.ts';
import { median } from './lib/quota-math.ts';

export interface OverheadCase {
  iterations: number;
  result: string;
  calls: Record<string, number>;
  medianWallMs: number;
  medianHttpMs: number;
  medianOutsideMs: number;
  p90OutsideMs: number;
}

export interface OverheadResult {
  warmup: number;
  inSync: OverheadCase;
  drifted: OverheadCase;
  targetMs: number;
}

interface Exchange {
  handle(request: unknown, options?: unknown): Promise<{ response: { body?: unknown } }>;
}

/**
 * Times every HTTP exchange of `client`: from handing the signed request to the HTTP handler to
 * the last byte of the response body (read here, and handed on as bytes, which the SDK's
 * deserialisers accept as they accept a stream).
 */
function timeExchanges(client: { config: unknown }): { total(): number; reset(): void } {
  const handler = (client.config as { requestHandler: Exchange }).requestHandler;
  const original = handler.handle.bind(handler);
  let total = 0;
  handler.handle = async (request, options) => {
    const t0 = performance.now();
    try {
      const out = await original(request, options);
      const body = out.response.body as AsyncIterable<Uint8Array> | undefined;
      if (body && typeof body === 'object' && Symbol.asyncIterator in body) {
        const chunks: Uint8Array[] = [];
        for await (const chunk of body) chunks.push(chunk);
        out.response.body = new Uint8Array(Buffer.concat(chunks));
      }
      return out;
    } finally {
      total += performance.now() - t0;
    }
  };
  return {
    total: () => total,
    reset: () => {
      total = 0;
    },
  };
}

function summarise(samples: Array<{ wall: number; http: number }>, result: string, calls: Record<string, number>): OverheadCase {
  const outside = samples.map((s) => s.wall - s.http).sort((a, b) => a - b);
  return {
    iterations: samples.length,
    result,
    calls,
    medianWallMs: median(samples.map((s) => s.wall)),
    medianHttpMs: median(samples.map((s) => s.http)),
    medianOutsideMs: median(outside),
    p90OutsideMs: outside[Math.floor(outside.length * 0.9)] as number,
  };
}

export async function runOverhead(options: { iterations?: number; warmup?: number } = {}): Promise<OverheadResult> {
  const iterations = options.iterations ?? 100;
  const warmup = options.warmup ?? 20;
  const emu = await startEmulatorChild();
  try {
    await emu.seed(2);
    const drifted = serverIdOf(1);
    const inSync = serverIdOf(2);
    await emu.drift(0.5, { only: drifted });
    const config = readConfig({ DESIRED_STATE_PREFIX: PREFIX, TRANSFER_CALLS_PER_SECOND: '100000', SSM_CALLS_PER_SECOND: '100000' });
    const clients = instrumentClients(createClients({ endpointUrl: emu.url }), config);
    const timers = [timeExchanges(clients.transfer), timeExchanges(clients.ssm)];
    const samples = { inSync: [] as Array<{ wall: number; http: number }>, drifted: [] as Array<{ wall: number; http: number }> };
    const last: Record<'inSync' | 'drifted', { result: string; calls: Record<string, number> }> = {
      inSync: { result: '', calls: {} },
      drifted: { result: '', calls: {} },
    };
    for (let i = 0; i < warmup + iterations; i++) {
      for (const which of ['inSync', 'drifted'] as const) {
        if (which === 'drifted' && i > 0) await emu.redrift(drifted);
        for (const t of timers) t.reset();
        const t0 = performance.now();
        const outcome = await reconcileServer(which === 'drifted' ? drifted : inSync, {
          clients,
          prefix: PREFIX,
          trigger: 'event',
          deadline: Date.now() + 60_000,
        });
        const wall = performance.now() - t0;
        const http = timers.reduce((sum, t) => sum + t.total(), 0);
        last[which] = { result: outcome.result, calls: outcome.calls };
        if (i >= warmup) samples[which].push({ wall, http });
      }
    }
    clients.transfer.destroy();
    clients.ssm.destroy();
    return {
      warmup,
      inSync: summarise(samples.inSync, last.inSync.result, last.inSync.calls),
      drifted: summarise(samples.drifted, last.drifted.result, last.drifted.calls),
      targetMs: 3,
    };
  } finally {
    await emu.stop();
  }
}
