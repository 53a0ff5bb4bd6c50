// Waits for a server to leave STARTING/STOPPING, polling DescribeServer with a capped exponential
// backoff until a deadline. The AWS waiters poll every 30 s; a Lambda with minutes to live polls
// sooner and stops at its deadline instead, reporting "try again later" rather than failing.
import type { TransferClient } from '@aws-sdk/client-transfer';
import { ConcurrentChangeError, RetryLaterError, StateFailedError } from '../errors.ts';
import { observeServer } from '../aws/transfer-api.ts';
import type { ObservedServer, ServerState } from '../types.ts';
import type { Clock } from './clock.ts';

export const FIRST_POLL_MS = 200;
export const MAX_POLL_MS = 5_000;
export const TRANSITIONAL_STATES: ReadonlySet<ServerState> = new Set(['STARTING', 'STOPPING']);

export interface WaitOptions {
  transfer: TransferClient;
  serverId: string;
  deadline: number;
  clock: Clock;
}

/** Polls until the state is not transitional; returns the observed server. */
export async function waitForStable(opts: WaitOptions, first?: ObservedServer): Promise<ObservedServer> {
  let server = first ?? (await observeServer(opts.transfer, opts.serverId));
  let delay = FIRST_POLL_MS;
  while (TRANSITIONAL_STATES.has(server.State)) {
    const left = opts.deadline - opts.clock.now();
    if (left <= 0) throw new RetryLaterError(`server ${opts.serverId} is still ${server.State} at the deadline`);
    await opts.clock.sleep(Math.min(delay, left));
    delay = Math.min(delay * 1.6, MAX_POLL_MS);
    server = await observeServer(opts.transfer, opts.serverId);
  }
  return server;
}

/**
 * Polls until the server is in `target`. START_FAILED/STOP_FAILED end the wait with an error; the
 * opposite stable state is polled through too, because DescribeServer may lag a Start/Stop call.
 * A transition the other way (STARTING while we wait for OFFLINE) is another actor's: waiting on
 * would only run into the deadline, so the reconcile plans again instead.
 */
export async function waitForState(opts: WaitOptions, target: 'ONLINE' | 'OFFLINE'): Promise<ObservedServer> {
  let delay = FIRST_POLL_MS;
  for (;;) {
    const server = await observeServer(opts.transfer, opts.serverId);
    if (server.State === target) return server;
    if (server.State === 'START_FAILED' || server.State === 'STOP_FAILED') throw new StateFailedError(opts.serverId, server.State);
    if (server.State === (target === 'OFFLINE' ? 'STARTING' : 'STOPPING')) throw new ConcurrentChangeError(opts.serverId, server.State);
    const left = opts.deadline - opts.clock.now();
    if (left <= 0) throw new RetryLaterError(`server ${opts.serverId} is still ${server.State}, not ${target}, at the deadline`);
    await opts.clock.sleep(Math.min(delay, left));
    delay = Math.min(delay * 1.6, MAX_POLL_MS);
  }
}
