// Carries out a Plan's steps in order, once each, and says what it did: every completed write is
// appended to `done` as it completes, so a failure part-way still reports exactly what happened.
// A failed step is not retried here: the reconcile's retry loop (converge.ts) observes the server
// again and plans afresh, and the run-state policy (restore-run-state.ts) puts back a server the
// reconcile stopped. One retry policy, one restore, both in this folder.
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { TransferClient } from '@aws-sdk/client-transfer';
import type { ReconcilerError } from '../errors.ts';
import { ConcurrentChangeError, RetryLaterError, ServerNotFoundError, StepFailedError } from '../errors.ts';
import { classifyError } from '../error-outcome.ts';
import { modifyEndpointGroups } from '../aws/ec2-api.ts';
import {
  deleteHostKey,
  importHostKey,
  observeServer,
  startServer,
  stopServer,
  tagServer,
  untagServer,
  updateHostKey,
  updateServer,
} from '../aws/transfer-api.ts';
import type { Plan, ServerState, Step } from '../types.ts';
import type { Clock } from './clock.ts';
import { TRANSITIONAL_STATES, waitForState } from './wait-for-state.ts';

export interface ApplyContext {
  transfer: TransferClient;
  ec2: EC2Client;
  serverId: string;
  arn: string;
  deadline: number;
  clock: Clock;
  /** A plan that stops the server is begun only if at least this much time is left. */
  offlineWindowMs: number;
}

export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'stop':
      return 'StopServer';
    case 'start':
      return 'StartServer';
    case 'update': {
      const fields = Object.keys(step.request).sort().join(', ');
      return step.purpose === 'main' ? `UpdateServer(${fields})` : `UpdateServer(${fields}; ${step.purpose})`;
    }
    case 'tag':
      return `TagResource(${step.tags.map((t) => t.Key).join(', ')})`;
    case 'untag':
      return `UntagResource(${step.keys.join(', ')})`;
    case 'modify-endpoint': {
      const parts = [
        ...(step.add.length ? [`add ${step.add.join(', ')}`] : []),
        ...(step.remove.length ? [`remove ${step.remove.join(', ')}`] : []),
      ];
      return `ModifyVpcEndpoint(${parts.join('; ')})`;
    }
    case 'import-host-key':
      return `ImportHostKey(${step.secret.fingerprint})`;
    case 'update-host-key':
      return `UpdateHostKey(${step.fingerprint})`;
    case 'delete-host-key':
      return `DeleteHostKey(${step.fingerprint})`;
  }
}

async function runStep(step: Step, ctx: ApplyContext): Promise<void> {
  const wait = { transfer: ctx.transfer, serverId: ctx.serverId, deadline: ctx.deadline, clock: ctx.clock };
  switch (step.kind) {
    case 'stop':
      await stopServer(ctx.transfer, ctx.serverId);
      await waitForState(wait, 'OFFLINE');
      return;
    case 'start':
      await startServer(ctx.transfer, ctx.serverId);
      await waitForState(wait, 'ONLINE');
      return;
    case 'update':
      await updateServer(ctx.transfer, ctx.serverId, step.request);
      return;
    case 'tag':
      await tagServer(ctx.transfer, ctx.arn, step.tags);
      return;
    case 'untag':
      await untagServer(ctx.transfer, ctx.arn, step.keys);
      return;
    case 'modify-endpoint':
      await modifyEndpointGroups(ctx.ec2, step.vpcEndpointId, step.add, step.remove);
      return;
    case 'import-host-key':
      await importHostKey(ctx.transfer, ctx.serverId, step.secret, step.description);
      return;
    case 'update-host-key':
      await updateHostKey(ctx.transfer, ctx.serverId, step.hostKeyId, step.description);
      return;
    case 'delete-host-key':
      await deleteHostKey(ctx.transfer, ctx.serverId, step.hostKeyId);
      return;
  }
}

/** States in which a refused StopServer / StartServer means another actor has moved the server. */
const MOVED_BY_ANOTHER: Partial<Record<Step['kind'], ReadonlySet<ServerState>>> = {
  stop: new Set(['STOPPING', 'STARTING', 'OFFLINE']),
  start: new Set(['STARTING', 'STOPPING', 'ONLINE']),
};

/**
 * A write refused because another actor is moving the server: our own Start/Stop has always
 * settled before the next step is sent, so a transition is another actor's and the rest of this
 * plan is stale. The server's state decides, not the error's code or text: AWS answers UpdateServer
 * with ConflictException there, but documents no error for StartServer/StopServer mid-transition
 * (the emulator answers InvalidRequestException). On a stable server a conflict (AWS: "VPC Endpoint
 * state is not yet available") stays a step failure that the retry loop backs off from.
 */
async function asStepError(err: unknown, step: Step, ctx: ApplyContext): Promise<ReconcilerError> {
  if (err instanceof ConcurrentChangeError || err instanceof ServerNotFoundError) return err;
  const c = classifyError(err);
  if (c.kind === 'conflict' || c.kind === 'terminal') {
    const server = await observeServer(ctx.transfer, ctx.serverId).catch(() => undefined);
    const moved = MOVED_BY_ANOTHER[step.kind] ?? TRANSITIONAL_STATES;
    if (server !== undefined && moved.has(server.State)) return new ConcurrentChangeError(ctx.serverId, server.State, { cause: err });
  }
  return new StepFailedError(step, describeStep(step), err, c);
}

/** One step, with its failure translated (concurrent change, or a StepFailedError naming the step). */
export async function runCheckedStep(step: Step, ctx: ApplyContext): Promise<void> {
  try {
    await runStep(step, ctx);
  } catch (err) {
    throw await asStepError(err, step, ctx);
  }
}

/** Runs the steps; each completed write is appended to `done`. Throws a ReconcilerError on the first failure. */
export async function applyPlan(plan: Plan, ctx: ApplyContext, done: string[]): Promise<void> {
  const left = ctx.deadline - ctx.clock.now();
  if (plan.offline && left < ctx.offlineWindowMs) {
    throw new RetryLaterError(
      `not enough time left to stop, change and start server ${ctx.serverId} safely (${left} ms left, ${ctx.offlineWindowMs} ms needed); the offline change was not begun and nothing was written for it`,
    );
  }
  for (const step of plan.steps) {
    await runCheckedStep(step, ctx);
    done.push(describeStep(step));
  }
}
