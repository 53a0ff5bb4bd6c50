// Carries out a Plan's steps in order. Writes that AWS refuses during STARTING/STOPPING
// (ConflictException) wait for a stable state and are tried again. If anything fails after this
// reconcile stopped the server, it starts the server again when the server was meant to end
// ONLINE, and the error says exactly what was done and where the server was left — a server is
// never left OFFLINE silently.
import type { TransferClient } from '@aws-sdk/client-transfer';
import { ReconcilerError, RetryLaterError } from '../errors.ts';
import { classifyError } from '../aws/classify.ts';
import { describeServer, startServer, stopServer, tagServer, untagServer, updateServer } from '../aws/transfer-api.ts';
import type { Plan, Step } from '../types.ts';
import type { Clock } from './clock.ts';
import { ConcurrentChangeError, ForeignTransitionError } from './concurrent-change.ts';
import { StateFailedError, TRANSITIONAL_STATES, waitForStable, waitForState } from './wait-for-state.ts';

export interface ApplyContext {
  transfer: TransferClient;
  serverId: string;
  arn: string;
  deadline: number;
  clock: Clock;
  /** A plan that stops the server is started only if at least this much time is left. */
  offlineWindowMs: number;
}

/** What an earlier, abandoned plan of the same reconcile left behind (see concurrent-change.ts). */
export interface Carried {
  done: string[];
  /** The server is stopped and this reconcile answers for starting it again. */
  stoppedByUs: boolean;
}

/** A step failed part-way; `done` lists what was carried out, `state` where the server was left. */
export class ApplyFailedError extends ReconcilerError {
  readonly done: string[];
  readonly state: string | undefined;
  readonly restored: boolean;
  constructor(
    message: string,
    details: { cause: unknown; done: string[]; state: string | undefined; restored: boolean; retryable: boolean; code: string },
  ) {
    super(details.code, message, { cause: details.cause, retryable: details.retryable });
    this.done = details.done;
    this.state = details.state;
    this.restored = details.restored;
  }
}

const MAX_CONFLICT_RETRIES = 3;
/** First pause before retrying a conflict on a stable server; doubles each time (1 s, 2 s, 4 s). */
export const CONFLICT_BACKOFF_MS = 1_000;

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
  }
}

/**
 * A write refused with ConflictException: while the server is STARTING/STOPPING, wait for it;
 * when it already reports a stable state (AWS: "VPC Endpoint state is not yet available" — a
 * server can be ONLINE before its endpoint is ready, Terraform retries this), back off first, so
 * the retries are not spent in the same instant. Past the deadline the conflict is reported.
 * Our own writes are sent only once our own Start/Stop has settled, so a transitional state here
 * is another actor's: with `foreign: 'replan'` the step is not tried again once the server
 * settles — the caller re-plans (ForeignTransitionError). Restarting a server we stopped retries.
 */
async function runWithConflictRetry(step: Step, ctx: ApplyContext, foreign: 'replan' | 'retry' = 'replan'): Promise<void> {
  const wait = { transfer: ctx.transfer, serverId: ctx.serverId, deadline: ctx.deadline, clock: ctx.clock };
  let backoff = CONFLICT_BACKOFF_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      await runStep(step, ctx);
      return;
    } catch (err) {
      if (classifyError(err).kind !== 'conflict' || attempt >= MAX_CONFLICT_RETRIES) throw err;
      const server = await describeServer(ctx.transfer, ctx.serverId);
      if (TRANSITIONAL_STATES.has(String(server.State))) {
        await waitForStable(wait, server);
        if (foreign === 'replan') throw new ForeignTransitionError(ctx.serverId, String(server.State), { cause: err });
      } else {
        const left = ctx.deadline - ctx.clock.now();
        if (left <= 0) throw err;
        await ctx.clock.sleep(Math.min(backoff, left));
        backoff *= 2;
      }
    }
  }
}

export async function applyPlan(plan: Plan, ctx: ApplyContext, carried: Carried = { done: [], stoppedByUs: false }): Promise<string[]> {
  if (plan.offline && carried.done.length === 0 && ctx.deadline - ctx.clock.now() < ctx.offlineWindowMs) {
    throw new RetryLaterError(
      `not enough time left to stop, change and start server ${ctx.serverId} safely (${ctx.deadline - ctx.clock.now()} ms left, ${ctx.offlineWindowMs} ms needed); nothing was written`,
      0,
    );
  }
  const done: string[] = [...carried.done];
  let stoppedByUs = carried.stoppedByUs;
  const endsOnline = plan.steps.some((s) => s.kind === 'start');
  for (const step of plan.steps) {
    // Counted from the moment StopServer is sent: a stop whose wait fails (deadline, a dropped
    // connection) may still take the server OFFLINE, and StartServer does nothing to an ONLINE one.
    // A stop that ended in STOP_FAILED is not followed by a start: a failed transition is left for a
    // human (plan/run-state.ts), and the outcome reports the state.
    if (step.kind === 'stop') stoppedByUs = true;
    try {
      await runWithConflictRetry(step, ctx);
    } catch (err) {
      // Not a failure: the caller re-plans from the state the server settled in (and answers for
      // starting it again when this reconcile had stopped it).
      if (err instanceof ForeignTransitionError)
        throw new ConcurrentChangeError(ctx.serverId, err.state, { done: [...done], stoppedByUs, cause: err });
      // Restore unless the server went to a failed state (left for a human) or the start itself was
      // accepted and the server is still STARTING at the deadline (it comes ONLINE on its own). A
      // StartServer refused outright (throttled past the SDK's retries) is retried by the restore:
      // a later reconcile would take the OFFLINE server for a deliberately stopped one.
      const startAccepted = step.kind === 'start' && err instanceof RetryLaterError;
      throw await failed(err, step, done, stoppedByUs && endsOnline && !startAccepted && !(err instanceof StateFailedError), ctx);
    }
    done.push(describeStep(step));
    if (step.kind === 'start') stoppedByUs = false;
  }
  return done;
}

async function failed(err: unknown, step: Step, done: string[], restore: boolean, ctx: ApplyContext): Promise<ApplyFailedError> {
  const cls = classifyError(err);
  let restored = false;
  let restoreNote = '';
  if (restore) {
    // Give the restart its own time: leaving the server OFFLINE is worse than overrunning a little.
    const restartCtx = { ...ctx, deadline: Math.max(ctx.deadline, ctx.clock.now() + ctx.offlineWindowMs) };
    // Throttling and 5xx are retried here past the SDK's own attempts (whose retry budget a storm
    // can drain): once a later reconcile sees this server OFFLINE it cannot tell it from a
    // deliberately stopped one, so this start is the one chance to put it back.
    let backoff = CONFLICT_BACKOFF_MS;
    for (;;) {
      try {
        await runWithConflictRetry({ kind: 'start' }, restartCtx, 'retry');
        done.push('StartServer (restore)');
        restored = true;
        restoreNote = '; the server was started again';
        break;
      } catch (restartErr) {
        const left = restartCtx.deadline - ctx.clock.now();
        const kind = classifyError(restartErr).kind;
        if ((kind === 'throttled' || kind === 'transient') && !(restartErr instanceof StateFailedError) && left > backoff) {
          await ctx.clock.sleep(backoff);
          backoff = Math.min(backoff * 2, 10_000);
          continue;
        }
        restoreNote = `; starting it again failed too (${classifyError(restartErr).code}): THE SERVER IS LEFT STOPPED`;
        break;
      }
    }
  }
  let state: string | undefined;
  try {
    state = String((await describeServer(ctx.transfer, ctx.serverId)).State);
  } catch {
    state = undefined;
  }
  const where = state ? `; server is ${state}` : '';
  const message = `${describeStep(step)} failed: ${cls.code}: ${cls.message}${restoreNote}${where}; done before: ${done.length ? done.join(', ') : 'nothing'}`;
  return new ApplyFailedError(message, { cause: err, done: [...done], state, restored, retryable: cls.retryable, code: cls.code });
}
