// Inside a worker thread: one instance of the worker function (functions.ts builds it as Lambda
// would, its own SDK clients included), answering invocations posted by threaded-worker.ts and
// posting the invocation's log lines back with its answer.
import { parentPort, workerData } from 'node:worker_threads';
import type { SQSEvent } from 'aws-lambda';
import { capturedObservability } from '../lambda/captured-observability.ts';
import { lambdaContext } from '../lambda/context.ts';
import { PipelineFunctions } from './functions.ts';
import type { ThreadSettings, ToThread } from './threaded-worker.ts';

const port = parentPort;
if (port === null) throw new Error('worker-thread.ts runs only as a worker thread');
const settings = workerData as ThreadSettings;
// An invocation's lines go back with its answer, in one message (the cold start's right away).
let lines: string[] = [];
const captured = capturedObservability((raw) => lines.push(raw));
const flush = (): string[] => {
  const out = lines;
  lines = [];
  return out;
};
const fns = new PipelineFunctions({ ...settings, logs: { router: captured, worker: captured, enumerator: captured } });
const handler = fns.worker();
port.postMessage({ ready: true, lines: flush() });

port.on('message', (m: ToThread) => {
  if (m.stop === true) {
    fns.destroy();
    port.close();
    return;
  }
  const context = lambdaContext(m.remainingMs, m.functionName);
  handler(m.event as SQSEvent, context).then(
    (response) => port.postMessage({ id: m.id, response, lines: flush() }),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      port.postMessage({ id: m.id, error: { name: e.name, message: e.message }, lines: flush() });
    },
  );
});
