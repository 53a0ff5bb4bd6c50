// Steps the pipeline tests share, on top of pipeline-harness.ts's API: the enumerator (the
// schedule's Lambda, which the harness does not run) sending to the pipeline's queue, and
// "settle" — every event routed, the queue drained, the captured output cleared.
import type { ScheduledEvent } from 'aws-lambda';
import { createHandler as createEnumerator } from '../../functions/handlers/enumerator.ts';
import type { Enumerated } from '../../functions/handlers/lib/enumerate.ts';
import type { HandlerConfig } from '../../functions/handlers/lib/config.ts';
import type { AwsClients } from '../../functions/reconciler/aws/clients.ts';
import { capturedObservability, lambdaContext, scheduledEvent } from './handlers-harness.ts';
import type { Captured } from './handlers-harness.ts';
import type { Pipeline } from './pipeline-harness.ts';

export interface Enumerator {
  obs: Captured;
  /** One scheduled run (a fresh schedule event unless one is given, e.g. to replay a tick). */
  run(event?: ScheduledEvent): Promise<Enumerated>;
}

/** The enumerator Lambda sending to the pipeline's queue, with its own clients and captured output. */
export function enumeratorFor(pipe: Pipeline, clients: AwsClients, config: HandlerConfig = pipe.config): Enumerator {
  const obs = capturedObservability();
  const handler = createEnumerator({ config, clients, sqs: pipe.sqs, queueUrl: pipe.queueUrl, ...obs });
  return { obs, run: (event = scheduledEvent()) => handler(event, lambdaContext(60_000)) };
}

/** Every event so far routed and reconciled; the captured output of both Lambdas cleared. */
export async function settle(pipe: Pipeline): Promise<void> {
  await pipe.routed();
  await pipe.drain();
  await pipe.routed(); // the worker's own writes, dropped by the router
  pipe.router.clear();
  pipe.worker.clear();
}
