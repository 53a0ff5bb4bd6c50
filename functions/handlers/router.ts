// EventBridge (Parameter Store changes, CloudTrail API calls) → reconcile messages on the FIFO
// queue, one message group per server (docs/pipeline.md). Thin: reads only what maps an event to
// servers, writes only SendMessage. A send that fails throws, so EventBridge's asynchronous
// retries send again (same deduplication ids: no double reconcile from a retried event).
import type { Context } from 'aws-lambda';
import { withObservability } from './lib/observability.ts';
import { queueDepsFromEnvironment } from './lib/queue-deps.ts';
import type { QueueDeps } from './lib/queue-deps.ts';
import { addQueueMetrics, logSend } from './lib/queue-report.ts';
import { accountsDeps } from './lib/accounts-deps.ts';
import { hubPlace } from './lib/hub-place.ts';
import { UNLISTED_ACCOUNT, routeEvent } from './lib/route-event.ts';
import type { Routed } from './lib/route-event.ts';

export class EnqueueFailedError extends Error {
  constructor(routed: Routed) {
    super(`could not enqueue ${routed.send?.failed.length ?? 0} message(s): ${JSON.stringify(routed.send?.failed ?? [])}`);
    this.name = 'EnqueueFailedError';
  }
}

export const ROUTER_SESSION_NAME = 'transfer-reconciler-router';

export function createHandler(deps: QueueDeps) {
  // The router only reads in a spoke (DescribeServer, to map a ModifyVpcEndpoint to its server):
  // the account's read-only role when the accounts file names one.
  const accounts = accountsDeps(deps, ROUTER_SESSION_NAME, { divideByWorkers: false, access: 'read' });
  const run = async (event: { id?: string }, lambda: Context): Promise<Routed> => {
    const readAccounts = async (): Promise<void> => {
      const view = await accounts.refresh();
      if (view.problem !== undefined) deps.logger.error('accounts file', { problem: view.problem });
    };
    const hub = hubPlace(deps.config, lambda);
    const routed = await routeEvent(event, {
      ...deps,
      ...(hub ? { hub } : {}),
      accountClients: accounts.accountClients,
      readAccounts,
    });
    const context = {
      key: routed.key,
      serverIds: routed.serverIds,
      ...(routed.described !== undefined ? { described: routed.described } : {}),
      ...(routed.unlisted !== undefined ? { unlisted: routed.unlisted, unlistedReason: UNLISTED_ACCOUNT } : {}),
    };
    if (routed.dropped !== undefined) {
      const unlisted = routed.dropped.startsWith(UNLISTED_ACCOUNT);
      deps.logger.info('dropped', {
        ...context,
        reason: unlisted ? UNLISTED_ACCOUNT : routed.dropped,
        ...(unlisted ? { detail: routed.dropped } : {}),
      });
    }
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
