// Two reconciles of one server can run at once (the event Lambda and the sweep Lambda are
// different processes; two events may invoke two instances). When a write meets a STARTING or
// STOPPING server that this reconcile did not start or stop, another actor is changing it and the
// rest of this plan was made for a server that no longer exists: it is abandoned, and the
// reconciler acts on the state the server settles in (level-triggered), instead of carrying on
// with a stale plan — which could start a server in the middle of the other's offline update.
import { ReconcilerError } from '../errors.ts';

export class ConcurrentChangeError extends ReconcilerError {
  /** Writes this reconcile carried out before it noticed. */
  readonly done: string[];
  /** This reconcile had stopped the server and not started it again. */
  readonly stoppedByUs: boolean;
  constructor(serverId: string, state: string, details: { done: string[]; stoppedByUs: boolean; cause?: unknown }) {
    super(
      'ConcurrentChange',
      `server ${serverId} went ${state} by another actor's StartServer/StopServer while this reconcile was applying its plan; another change is in progress`,
      { cause: details.cause, retryable: true },
    );
    this.done = details.done;
    this.stoppedByUs = details.stoppedByUs;
  }
}

/** Raised below applyPlan, before it knows `done`; applyPlan rethrows it as ConcurrentChangeError. */
export class ForeignTransitionError extends ReconcilerError {
  readonly state: string;
  constructor(serverId: string, state: string, options: { cause?: unknown } = {}) {
    super('ConcurrentChange', `server ${serverId} is ${state} by another actor`, { ...options, retryable: true });
    this.state = state;
  }
}
