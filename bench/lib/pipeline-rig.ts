// The deployed pipeline on the local emulator, for the benchmarks and the soak: an in-process
// emulator (eventDelayMs 0), the fleet seeded through its back ends, then the local pipeline
// runner (infra/local/pipeline) in background mode — the real router, enumerator and workers under
// the event source mapping — with every worker invocation's interval recorded per message group
// (overlaps.ts checks them against the call log) and the call log drained as it goes (it is bounded).
import { startEmulator } from '../../infra/local/emulator.ts';
import type { Emulator } from '../../infra/local/emulator.ts';
import type { EmulatorOptions } from '../../infra/local/emulator-api.ts';
import { startPipeline } from '../../infra/local/pipeline/runner.ts';
import type { PipelineOptions, PipelineRunner } from '../../infra/local/pipeline/runner.ts';
import type { CallLogEntry } from '../../infra/local/types.ts';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { PREFIX } from './fleet.ts';
import type { Interval } from './overlaps.ts';

export interface RigOptions {
  /** The Lambdas' environment; DESIRED_STATE_PREFIX defaults to the fleet's. */
  env: Record<string, string>;
  emulator?: EmulatorOptions;
  pipeline?: Omit<PipelineOptions, 'env' | 'wrapWorker' | 'onOutcome'>;
  /** Seeds the emulator before the pipeline starts listening (its Parameter Store events reach no one). */
  seed?: (emu: Emulator) => void | Promise<void>;
}

export interface Rig {
  emu: Emulator;
  pipeline: PipelineRunner;
  /** Worker invocations: receive → return, with the message groups (servers) each held. */
  intervals: Interval[];
  /** Every call the emulator answered since the rig started (or since the last `resetCalls`). */
  calls(): CallLogEntry[];
  resetCalls(): void;
  /** Resolves with the first outcome (worker or enumerator) after now that `match` accepts. */
  nextOutcome(match: (o: Outcome) => boolean, timeoutMs?: number): Promise<{ outcome: Outcome; at: number }>;
  stop(): Promise<void>;
}

/** The server a message group names (`<ServerId>`, or `<AccountId>/<Region>/<ServerId>` once issue 14 lands). */
export const serverOfGroup = (groupId: string): string => groupId.split('/').pop() ?? groupId;

export async function startRig(o: RigOptions): Promise<Rig> {
  const emu = await startEmulator({ port: 0, transitionDelayMs: 50, ...o.emulator, eventDelayMs: 0 });
  let pipeline: PipelineRunner | undefined;
  try {
    await o.seed?.(emu);
    const intervals: Interval[] = [];
    const waiting = new Set<{ match: (o: Outcome) => boolean; done: (v: { outcome: Outcome; at: number }) => void }>();
    const log: CallLogEntry[] = [];
    let cursor = emu.calls.list().at(-1)?.seq ?? 0;
    const drain = (): void => {
      const fresh = emu.calls.list(cursor);
      if (fresh.length === 0) return;
      log.push(...fresh);
      cursor = fresh.at(-1)?.seq ?? cursor;
    };
    const timer = setInterval(drain, 250);
    pipeline = await startPipeline(emu, {
      enumerateEverySeconds: 0,
      ...o.pipeline,
      env: { DESIRED_STATE_PREFIX: PREFIX, ...o.env },
      onOutcome: (outcome) => {
        for (const w of waiting)
          if (w.match(outcome)) {
            waiting.delete(w);
            w.done({ outcome, at: performance.now() });
          }
      },
      wrapWorker: (handler) => async (event, context) => {
        const servers = [...new Set(event.Records.map((r) => serverOfGroup(r.attributes.MessageGroupId ?? '')))];
        const start = Date.now();
        try {
          return await handler(event, context);
        } finally {
          intervals.push({ start, end: Date.now(), servers });
        }
      },
    });
    const p = pipeline;
    return {
      emu,
      pipeline: p,
      intervals,
      calls: () => (drain(), log),
      resetCalls: () => {
        drain();
        log.length = 0;
      },
      nextOutcome: (match, timeoutMs = 30_000) =>
        new Promise((resolve, reject) => {
          const w = {
            match,
            done: (v: { outcome: Outcome; at: number }) => {
              clearTimeout(t);
              resolve(v);
            },
          };
          const t = setTimeout(() => {
            waiting.delete(w);
            reject(new Error(`no matching outcome within ${timeoutMs} ms`));
          }, timeoutMs);
          waiting.add(w);
        }),
      stop: async () => {
        clearInterval(timer);
        await p.close();
        await emu.stop();
      },
    };
  } catch (err) {
    await pipeline?.close();
    await emu.stop();
    throw err;
  }
}
