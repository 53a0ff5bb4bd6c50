// The worker function with each instance in its own worker thread, as Lambda runs its instances
// apart from the services they call: the benchmarks use it so that one process's emulator does not
// also carry the instances' SDK and reconcile work on its thread. The instance (worker-thread.ts)
// is the same handler functions.ts builds; its log lines come back, in order, with each
// invocation's answer, into the runner's captured log before the answer is taken. Real time only (no injected clock).
import { Worker } from 'node:worker_threads';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Captured } from '../lambda/captured-observability.ts';
import type { FunctionSettings, WorkerHandler } from './functions.ts';
import type { PipelineOptions } from './api.ts';

/** What a thread is built from: the function's settings without its log sinks or clock. */
export type ThreadSettings = Omit<FunctionSettings, 'logs' | 'clock'>;

export type ToThread = { stop?: undefined; id: number; event: SQSEvent; remainingMs: number; functionName: string } | { stop: true };

type FromThread = { lines: string[] } & (
  { ready: true } | { id: number; response: SQSBatchResponse } | { id: number; error: { name: string; message: string } }
);

const ENTRY = new URL('./worker-thread.ts', import.meta.url);

export interface ThreadedWorker {
  handler: WorkerHandler;
  /** Resolves once the instance has loaded (its cold start). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function threadedWorker(settings: ThreadSettings, log: Captured): ThreadedWorker {
  const thread = new Worker(ENTRY, { workerData: settings });
  const waiting = new Map<number, { resolve: (r: SQSBatchResponse) => void; reject: (e: Error) => void }>();
  let next = 0;
  let failure: Error | undefined;
  let loaded: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (loaded = resolve));
  thread.on('message', (m: FromThread) => {
    for (const line of m.lines) log.write(line);
    if ('ready' in m) return loaded();
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if ('response' in m) w?.resolve(m.response);
    else w?.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
  });
  thread.on('error', (err) => {
    failure = err;
    loaded();
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  });
  const handler: WorkerHandler = (event: SQSEvent, context: Context) =>
    new Promise<SQSBatchResponse>((resolve, reject) => {
      if (failure !== undefined) return reject(failure);
      const id = next++;
      waiting.set(id, { resolve, reject });
      const message: ToThread = { id, event, remainingMs: context.getRemainingTimeInMillis(), functionName: context.functionName };
      thread.postMessage(message);
    });
  return {
    handler,
    ready,
    async stop() {
      const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
      thread.postMessage({ stop: true } satisfies ToThread);
      const timer = setTimeout(() => void thread.terminate(), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Threads keep real time: refused before anything is built. */
export function checkThreadOptions(o: Pick<PipelineOptions, 'workerThreads' | 'clock'>): void {
  if (o.workerThreads === true && o.clock !== undefined) throw new Error('workerThreads keep real time: do not pass a clock with them');
}

/** The runner's worker threads: one per instance the event source mapping starts, all stopped at close. */
export function workerThreads(o: Pick<PipelineOptions, 'requeue'>, settings: ThreadSettings, log: Captured) {
  const started: ThreadedWorker[] = [];
  return {
    start(): WorkerHandler {
      const t = threadedWorker({ ...settings, ...(o.requeue === false ? { requeue: false as const } : {}) }, log);
      started.push(t);
      return t.handler;
    },
    /** Every thread started so far has loaded. */
    ready: () => Promise.all(started.map((t) => t.ready)).then(() => undefined),
    stop: () => Promise.all(started.splice(0).map((t) => t.stop())).then(() => undefined),
  };
}
