// Waits for a server to leave STARTING/STOPPING, polling DescribeServer with a capped exponential
// backoff until a deadline. The AWS waiters poll every 30 s; a Lambda with minutes to live polls
// sooner and stops at its deadline instead, reporting "try again later" rather than failing.
import { RetryLaterError, ReconcilerError } from '../errors.ts';
import { describeServer } from '../aws/transfer-api.ts';
import type { TransferClient } from '@aws-sdk/client-transfer';
import type { Clock } from './clock.ts';
import { ForeignTransitionError } from './concurrent-change.ts';

export const FIRST_POLL_MS = 200;
export const MAX_POLL_MS = 5_000;
export const TRANSITIONAL_STATES: ReadonlySet<string> = new Set(['STARTING', 'STOPPING']);

/** The server reached START_FAILED or STOP_FAILED. */
export class StateFailedError extends ReconcilerError {
  readonly state: string;
  constructor(serverId: string, state: string) {
    super('StateFailed', `server ${serverId} went to ${state}`);
    this.state = state;
  }
}

export interface WaitOptions {
  transfer: TransferClient;
  serverId: string;
  deadline: number;
  clock: Clock;
}

/** Polls until the state is not transitional; returns the described server. */
export async function waitForStable(opts: WaitOptions, first?: Record<string, unknown>): Promise<Record<string, unknown>> {
  let server = first ?? (await describeServer(opts.transfer, opts.serverId));
  let delay = FIRST_POLL_MS;
  while (TRANSITIONAL_STATES.has(String(server.State))) {
    const left = opts.deadline - opts.clock.now();
    if (left <= 0) {
      throw new RetryLaterError(`server ${opts.serverId} is still ${String(server.State)} at the deadline`, MAX_POLL_MS);
    }
    await opts.clock.sleep(Math.min(delay, left));
    delay = Math.min(delay * 1.6, MAX_POLL_MS);
    server = await describeServer(opts.transfer, opts.serverId);
  }
  return server;
}

/**
 * Polls until the server is in `target`. START_FAILED/STOP_FAILED end the wait with an error; the
 * opposite stable state is polled through too, because DescribeServer may lag a Start/Stop call.
 * A transition the other way (STARTING while we wait for OFFLINE) is another actor's: waiting on
 * would only run into the deadline.
 */
export async function waitForState(opts: WaitOptions, target: 'ONLINE' | 'OFFLINE'): Promise<Record<string, unknown>> {
  let delay = FIRST_POLL_MS;
  for (;;) {
    const server = await describeServer(opts.transfer, opts.serverId);
    const state = String(server.State);
    if (state === target) return server;
    if (state === 'START_FAILED' || state === 'STOP_FAILED') throw new StateFailedError(opts.serverId, state);
    if (state === (target === 'OFFLINE' ? 'STARTING' : 'STOPPING')) throw new ForeignTransitionError(opts.serverId, state);
    const left = opts.deadline - opts.clock.now();
    if (left <= 0) throw new RetryLaterError(`server ${opts.serverId} is still ${state}, not ${target}, at the deadline`, MAX_POLL_MS);
    await opts.clock.sleep(Math.min(delay, left));
    delay = Math.min(delay * 1.6, MAX_POLL_MS);
  }
}
