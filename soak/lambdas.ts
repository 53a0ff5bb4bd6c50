// The two Lambdas as the soak runs them: the real handlers (middy + Powertools), each instance with
// its own SDK clients and captured output. Events go to a small pool of event-Lambda instances
// (an instance handles one event at a time, several run at once, as EventBridge invokes them); a
// retryable failure is retried twice like Lambda's asynchronous retries, then counted as sent to
// the dead-letter queue.
import type { Context, ScheduledEvent } from 'aws-lambda';
import { createClients } from '../functions/reconciler/aws/clients.ts';
import type { Clock } from '../functions/reconciler/apply/clock.ts';
import { readConfig } from '../functions/handlers/lib/config.ts';
import type { HandlerConfig } from '../functions/handlers/lib/config.ts';
import { instrumentClients } from '../functions/handlers/lib/clients.ts';
import { createHandler as createEventHandler } from '../functions/handlers/on-parameter-change.ts';
import { createHandler as createSweepHandler } from '../functions/handlers/drift-sweep.ts';
import type { ParameterChangeEvent } from '../functions/handlers/lib/parameter-event.ts';
import type { SweepSummary } from '../functions/reconciler/sweep.ts';
import { capturedObservability } from '../infra/local/lambda/captured-observability.ts';
import type { Captured } from '../infra/local/lambda/captured-observability.ts';
import { lambdaContext } from '../infra/local/lambda/context.ts';

/** The emulator's transitions last tens of ms: poll often instead of the Lambda's seconds. */
export const soakClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 25))),
};

export const LAMBDA_TIMEOUT_MS = 900_000;
const RETRY_DELAYS_MS = [200, 500];

export function soakConfig(concurrency: number): HandlerConfig {
  return readConfig({
    TRANSFER_CALLS_PER_SECOND: '400',
    SSM_CALLS_PER_SECOND: '400',
    RECONCILE_CONCURRENCY: String(concurrency),
    OFFLINE_WINDOW_MS: '3000',
    SWEEP_STOP_MARGIN_MS: '5000',
  });
}

export interface Lambdas {
  sweep(): Promise<SweepSummary>;
  /** Queues an event for the next free event instance. */
  deliver(event: ParameterChangeEvent): void;
  /** Resolves once every delivered event (and its retries) is handled. */
  drained(): Promise<void>;
  /** Every instance's captured output. */
  captured: Captured[];
  counts: { events: number; retries: number; deadLettered: number };
  destroy(): void;
}

export function startLambdas(endpointUrl: string, config: HandlerConfig, eventInstances: number, onLine: (raw: string) => void): Lambdas {
  const destroyers: Array<() => void> = [];
  const instance = () => {
    const raw = createClients({ endpointUrl });
    destroyers.push(() => {
      raw.transfer.destroy();
      raw.ssm.destroy();
    });
    const obs = capturedObservability((line) => onLine(line));
    return { clients: instrumentClients(raw, config), obs };
  };
  const sweeper = instance();
  const sweepHandler = createSweepHandler({ config, clients: sweeper.clients, clock: soakClock, ...sweeper.obs });
  const pool = Array.from({ length: eventInstances }, () => {
    const i = instance();
    return { obs: i.obs, handler: createEventHandler({ config, clients: i.clients, clock: soakClock, ...i.obs }), tail: Promise.resolve() };
  });
  const counts = { events: 0, retries: 0, deadLettered: 0 };
  let next = 0;
  const pending = new Set<Promise<void>>();

  const handle = async (worker: (typeof pool)[number], event: ParameterChangeEvent): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      try {
        await worker.handler(event, lambdaContext(LAMBDA_TIMEOUT_MS) as Context);
        return;
      } catch {
        const wait = RETRY_DELAYS_MS[attempt];
        if (wait === undefined) {
          counts.deadLettered += 1;
          return;
        }
        counts.retries += 1;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  };

  return {
    sweep: () =>
      sweepHandler(
        { id: `sweep-${Date.now()}`, 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} } as unknown as ScheduledEvent,
        lambdaContext(LAMBDA_TIMEOUT_MS),
      ),
    deliver(event) {
      counts.events += 1;
      const worker = pool[next++ % pool.length];
      if (!worker) return;
      const run = worker.tail.then(() => handle(worker, event));
      worker.tail = run;
      pending.add(run);
      void run.finally(() => pending.delete(run));
    },
    async drained() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    captured: [sweeper.obs, ...pool.map((p) => p.obs)],
    counts,
    destroy: () => {
      for (const d of destroyers) d();
    },
  };
}
