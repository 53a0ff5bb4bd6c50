// EventBridge (Parameter Store changes, CloudTrail API calls) → reconcile messages on the FIFO
// queue, one message group per server (docs/pipeline.md). Thin: reads only what maps an event to
// servers, writes only SendMessage. A send that fails throws, so EventBridge's asynchronous
// retries send again (same deduplication ids: no double reconcile from a retried event).
import type { Context } from 'aws-lambda';
import { withObservability } from './lib/observability.ts';
import { queueDepsFromEnvironment } from './lib/queue-deps.ts';
import type { QueueDeps } from './lib/queue-deps.ts';
import { addQueueMetrics, logSend } from './lib/queue-report.ts';
import { routeEvent } from './lib/route-event.ts';
import type { Routed } from './lib/route-event.ts';

export class EnqueueFailedError extends Error {
  constructor(routed: Routed) {
    super(`could not enqueue ${routed.send?.failed.length ?? 0} message(s): ${JSON.stringify(routed.send?.failed ?? [])}`);
    this.name = 'EnqueueFailedError';
  }
}

export function createHandler(deps: QueueDeps) {
  const run = async (event: { id?: string }, _context: Context): Promise<Routed> => {
    const routed = await routeEvent(event, deps);
    const context = {
      key: routed.key,
      serverIds: routed.serverIds,
      ...(routed.described !== undefined ? { described: routed.described } : {}),
    };
    if (routed.dropped !== undefined) deps.logger.info('dropped', { ...context, reason: routed.dropped });
    logSend(deps.logger, routed.send, context);
    addQueueMetrics(deps.metrics, {
      Enqueued: routed.send?.sent ?? 0,
      Ignored: routed.dropped !== undefined ? 1 : 0,
      EnqueueFailed: routed.send?.failed.length ?? 0,
    });
    if ((routed.send?.failed.length ?? 0) > 0) throw new EnqueueFailedError(routed);
    return routed;
  };
  return withObservability(run, deps, 'event');
}

// Built at the first invocation, not at import: tests import createHandler without a queue, and a
// missing RECONCILE_QUEUE_URL still fails the first event with a message naming it.
let built: ReturnType<typeof createHandler> | undefined;
function build(): ReturnType<typeof createHandler> {
  return createHandler(queueDepsFromEnvironment());
}
export const handler = (event: { id?: string }, context: Context): Promise<Routed> => (built ??= build())(event, context);
