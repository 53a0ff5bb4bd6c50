// Runs the Lambda handlers in process against the local emulator: the real middy + Powertools
// stack with its output captured line by line, a Lambda context with a real deadline, and a
// local loop that feeds the emulator's HTTP event stream (as another process sees it) to
// on-parameter-change, the way EventBridge would.
import { randomUUID } from 'node:crypto';
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { after } from 'node:test';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { followEvents } from '../../infra/local/event-stream-client.ts';
import type { ParameterStoreChangeEvent } from '../../infra/local/types.ts';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../functions/handlers/lib/observability.ts';
import type { Observability } from '../../functions/handlers/lib/observability.ts';
import type { ParameterChangeEvent } from '../../functions/handlers/lib/parameter-event.ts';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { captureOutput } from '../helpers/secrets.ts';

export type LogLine = Record<string, unknown> & { message?: string; level?: string };

export interface Captured extends Observability {
  lines: LogLine[];
  /** Log lines with message "outcome", their outcome payload. */
  outcomes(): Outcome[];
  /** The EMF documents written by Metrics. */
  emf(): LogLine[];
  clear(): void;
}

/** Logger and Metrics as the handlers build them, writing to a buffer instead of stdout. */
export function capturedObservability(): Captured {
  const logger = new Logger({ serviceName: SERVICE_NAME });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  const lines: LogLine[] = [];
  let pending = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString();
      let nl = pending.indexOf('\n');
      while (nl !== -1) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        captureOutput('lambda log line', line);
        // Every line must be one JSON document: a parse error fails the test that wrote it.
        if (line.trim() !== '') lines.push(JSON.parse(line) as LogLine);
        nl = pending.indexOf('\n');
      }
      done();
    },
  });
  // Both write through a private `console` field (a node:console Console on stdout in Lambda).
  const out = new Console({ stdout: sink, stderr: sink });
  Object.assign(logger, { console: out });
  Object.assign(metrics, { console: out });
  return {
    logger,
    metrics,
    lines,
    outcomes: () => lines.filter((l) => l.message === 'outcome').map((l) => l.outcome as Outcome),
    emf: () => lines.filter((l) => l._aws !== undefined),
    clear: () => { lines.length = 0; },
  };
}

export function lambdaContext(remainingMs: number, functionName = 'transfer-reconciler-test'): Context {
  const end = Date.now() + remainingMs;
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, end - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export function scheduledEvent(): ScheduledEvent {
  return {
    version: '0', id: randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000',
    time: new Date().toISOString(), region: 'us-east-1', resources: ['arn:aws:events:us-east-1:000000000000:rule/sweep'], detail: {},
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
export async function startLocalLoop(url: string, handler: (event: ParameterChangeEvent, context: Context) => Promise<unknown>): Promise<LocalLoop> {
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
  const open = new Promise<void>((resolve) => { opened = resolve; });
  const follower = followEvents(url, (event) => {
    handler(event as unknown as ParameterChangeEvent, lambdaContext(600_000)).then(
      (value) => deliver({ event, ok: true, value }),
      (error: unknown) => deliver({ event, ok: false, error: error as Error }),
    );
  }, { onOpen: () => opened() });
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
