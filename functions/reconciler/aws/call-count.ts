// Counts the AWS operations made on behalf of one reconcile, for its outcome record (`calls`).
// Clients are shared by concurrent reconciles, so the count lives in an AsyncLocalStorage store
// that a middleware (installed once per client) increments. Retries made by the SDK are not new
// operations; they are counted apart (`retries`, `throttled`) from the responses' metadata.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface CallTally {
  calls: Record<string, number>;
  retries: number;
  throttled: number;
}

const store = new AsyncLocalStorage<CallTally>();
const installed = new WeakSet<object>();

interface MiddlewareClient {
  middlewareStack: {
    add: (
      middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ) => void;
  };
}

function attemptsOf(value: unknown): number {
  const meta = (value as { $metadata?: { attempts?: number } } | undefined)?.$metadata;
  return meta?.attempts ?? 1;
}

function isThrottle(err: unknown): boolean {
  const e = err as { name?: string; $retryable?: { throttling?: boolean } } | undefined;
  return e?.$retryable?.throttling === true || e?.name === 'ThrottlingException';
}

export function countCalls<T extends object>(client: T): T {
  if (installed.has(client)) return client;
  installed.add(client);
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      const tally = store.getStore();
      if (tally) {
        const op = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        tally.calls[op] = (tally.calls[op] ?? 0) + 1;
      }
      try {
        const out = (await next(args)) as { output?: unknown };
        if (tally) tally.retries += attemptsOf(out.output) - 1;
        return out;
      } catch (err) {
        if (tally) {
          tally.retries += attemptsOf(err) - 1;
          if (isThrottle(err)) tally.throttled += 1;
        }
        throw err;
      }
    },
    { step: 'initialize', name: 'transferReconcilerCallCount' },
  );
  return client;
}

export async function withCallTally<R>(fn: () => Promise<R>): Promise<{ value: R; tally: CallTally }> {
  const tally: CallTally = { calls: {}, retries: 0, throttled: 0 };
  const value = await store.run(tally, fn);
  return { value, tally };
}

/** The tally of the reconcile in progress (for errors thrown part-way). */
export function currentTally(): CallTally | undefined {
  return store.getStore();
}
