// Runs the Lambda handlers in process against the local emulator: the real middy + Powertools
// stack with its output captured line by line, a Lambda context with a real deadline, and a
// local loop that feeds the emulator's HTTP event stream (as another process sees it) to
// on-parameter-change, the way EventBridge would.
import { randomUUID } from 'node:crypto';
import { after } from 'node:test';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { lambdaContext } from '../../infra/local/lambda/context.ts';
import { followEvents } from '../../infra/local/event-stream-client.ts';
import type { ParameterStoreChangeEvent } from '../../infra/local/types.ts';
import { capturedObservability as captureLines } from '../../infra/local/lambda/captured-observability.ts';
import type { Captured, LogLine } from '../../infra/local/lambda/captured-observability.ts';
import type { ParameterChangeEvent } from '../../functions/handlers/lib/parameter-event.ts';
import { captureOutput } from '../helpers/secrets.ts';

export type { Captured, LogLine };

/** Logger and Metrics as the handlers build them, writing to a buffer instead of stdout. */
export function capturedObservability(): Captured {
  // Every line goes to the suite-wide secret scan; a line that is not JSON fails the test that wrote it.
  return captureLines((raw) => captureOutput('lambda log line', raw));
}

export { lambdaContext };

export function scheduledEvent(): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:000000000000:rule/sweep'],
    detail: {},
  };
}

export type Invocation = { event: ParameterStoreChangeEvent } & ({ ok: true; value: unknown } | { ok: false; error: Error });

export interface LocalLoop {
  /** The next invocation (not yet taken) for an event about `name`; waits for it if needed. */
  handled(name: string): Promise<Invocation>;
}

/**
 * Follows the emulator's HTTP event stream and invokes `handler` for every event, concurrently,
 * as EventBridge does with asynchronous invocations. Stopped when the test file ends.
 */
export async function startLocalLoop(
  url: string,
  handler: (event: ParameterChangeEvent, context: Context) => Promise<unknown>,
): Promise<LocalLoop> {
  const done: Invocation[] = [];
  const waiting: Array<{ name: string; resolve: (i: Invocation) => void }> = [];
  const deliver = (inv: Invocation): void => {
    const i = waiting.findIndex((w) => w.name === inv.event.detail.name);
    if (i === -1) {
      done.push(inv);
      return;
    }
    const [w] = waiting.splice(i, 1);
    w?.resolve(inv);
  };
  let opened!: () => void;
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  const follower = followEvents(
    url,
    (event) => {
      handler(event as unknown as ParameterChangeEvent, lambdaContext(600_000)).then(
        (value) => deliver({ event, ok: true, value }),
        (error: unknown) => deliver({ event, ok: false, error: error as Error }),
      );
    },
    { onOpen: () => opened() },
  );
  after(() => follower.close());
  await open;
  return {
    handled(name) {
      const i = done.findIndex((d) => d.event.detail.name === name);
      if (i !== -1) return Promise.resolve(done.splice(i, 1)[0] as Invocation);
      return new Promise((resolve) => waiting.push({ name, resolve }));
    },
  };
}
