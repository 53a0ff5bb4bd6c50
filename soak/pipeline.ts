// The deployed pipeline as the soak runs it: the local pipeline runner (infra/local/pipeline) in
// background mode through the benchmarks' rig (bench/lib/pipeline-rig.ts) — EventBridge rules →
// router → SQS FIFO → K workers under the event source mapping, and the enumerator on demand —
// with a fast clock for the emulator's short transitions, a short visibility timeout and retry
// delay so a redelivery takes seconds, not the deployed minutes.
import type { Clock } from '../functions/reconciler/apply/clock.ts';
import type { Emulator } from '../infra/local/emulator.ts';
import { startRig } from '../bench/lib/pipeline-rig.ts';
import type { Rig } from '../bench/lib/pipeline-rig.ts';
import { RECONCILER_ROLE_NAME } from '../infra/local/principals.ts';
import type { LogLine } from '../infra/local/lambda/captured-observability.ts';

/** The emulator's transitions last tens of ms: poll often instead of the Lambda's seconds. */
export const soakClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 25))),
};

export interface SoakPipelineOptions {
  workers: number;
  /** Message groups reconciled at once within one worker batch (RECONCILE_CONCURRENCY). */
  concurrency: number;
  seed: (emu: Emulator) => Promise<void>;
  onLine: (raw: string, parsed: LogLine, from: string) => void;
}

export interface SoakPipeline {
  rig: Rig;
  /** Events the worker role's own calls published (CloudTrail), by id. */
  ownEvents: Set<string>;
  /** Event ids the workers' batches name as the source of a message they reconciled. */
  reconciledSources: Set<string>;
  /** Enumerations whose document listing failed part-way (the next one covers the rest). */
  incompleteEnumerations: number;
  stop(): Promise<void>;
}

const isOwn = (event: unknown): boolean => {
  const issuer = (event as { detail?: { userIdentity?: { sessionContext?: { sessionIssuer?: { arn?: string } } } } }).detail?.userIdentity
    ?.sessionContext?.sessionIssuer?.arn;
  return issuer?.endsWith(`:role/${RECONCILER_ROLE_NAME}`) === true;
};

export async function startSoakPipeline(o: SoakPipelineOptions): Promise<SoakPipeline> {
  const ownEvents = new Set<string>();
  const reconciledSources = new Set<string>();
  const state = { incomplete: 0 };
  let unsubscribe = (): void => {};
  const rig = await startRig({
    env: {
      TRANSFER_CALLS_PER_SECOND: '400',
      SSM_CALLS_PER_SECOND: '400',
      WORKER_MAX_CONCURRENCY: String(o.workers),
      RECONCILE_CONCURRENCY: String(o.concurrency),
      OFFLINE_WINDOW_MS: '3000',
      RETRY_BASE_DELAY_SECONDS: '1',
    },
    emulator: { transitionDelayMs: 40 },
    pipeline: {
      clock: soakClock,
      visibilityTimeout: 20,
      routerRetryDelaysMs: [200, 500],
      onLine: (from, raw, parsed) => {
        o.onLine(raw, parsed, from);
        if (from === 'enumerator' && parsed.message?.startsWith('enumeration incomplete')) state.incomplete++;
        if (from !== 'worker' || parsed.message !== 'batch') return;
        for (const g of (parsed.groups as Array<{ sources?: string[] }> | undefined) ?? [])
          for (const s of g.sources ?? []) reconciledSources.add(s);
      },
    },
    seed: async (emu) => {
      await o.seed(emu);
      unsubscribe = emu.events.subscribeAll((event) => {
        if (isOwn(event)) ownEvents.add((event as { id: string }).id);
      });
    },
  });
  return {
    rig,
    ownEvents,
    reconciledSources,
    get incompleteEnumerations() {
      return state.incomplete;
    },
    stop: async () => {
      unsubscribe();
      await rig.stop();
    },
  };
}
