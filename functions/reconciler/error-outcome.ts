// The one place that turns an error into what happens next: the outcome's result and error
// record, whether the reconcile itself tries again (a fresh observe → plan, until its deadline),
// and whether a later trigger should. SDK errors are matched by their modelled exception name (the
// wire `__type`), the reconciler's own by class; nowhere else matches error codes or messages.
import {
  AccountNotListedError,
  AccountRoleUnavailableError,
  ConcurrentChangeError,
  DidNotConvergeError,
  DocumentNotFoundError,
  InvalidDesiredStateError,
  ReconcilerError,
  RetryLaterError,
  ServerNotFoundError,
  ServerStateFailedError,
  StepFailedError,
} from './errors.ts';
import type { Issue, Outcome, Result } from './types.ts';

/**
 * throttled, transient (5xx, connection reset, timeout), conflict (ConflictException: a transition
 * or an endpoint not yet available) and concurrent (another actor's Start/Stop) are retried within
 * the run; out-of-time and not-converged are left to the next trigger; terminal is never retried.
 */
export type ErrorKind = 'throttled' | 'transient' | 'conflict' | 'concurrent' | 'out-of-time' | 'not-converged' | 'terminal';

export interface Classified {
  kind: ErrorKind;
  code: string;
  message: string;
  /** A later trigger (Lambda retry, next sweep) may succeed. */
  retryable: boolean;
}

const TERMINAL = new Set([
  'InvalidRequestException',
  'AccessDeniedException',
  'ResourceNotFoundException',
  'ValidationException',
  'ParameterNotFound',
  'ResourceExistsException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SerializationException',
  'ParameterVersionNotFound',
  'InvalidKeyId',
  'UnauthorizedOperation',
  'AccessDenied',
]);
const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'TooManyUpdates']);

function kindOfReconcilerError(err: ReconcilerError): ErrorKind {
  if (err instanceof ConcurrentChangeError) return 'concurrent';
  if (err instanceof RetryLaterError) return 'out-of-time';
  if (err instanceof DidNotConvergeError) return 'not-converged';
  if (err instanceof StepFailedError) return classifyError(err.cause).kind;
  // A broken role is not fixed by asking again within the run; a later trigger may (STS throttled).
  if (err instanceof AccountRoleUnavailableError || err instanceof AccountNotListedError) return 'terminal';
  return err.retryable ? 'transient' : 'terminal';
}

export function classifyError(err: unknown): Classified {
  if (err instanceof ReconcilerError)
    return { kind: kindOfReconcilerError(err), code: err.code, message: err.message, retryable: err.retryable };
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; code?: string } | undefined;
  const code = e?.name && e.name !== 'Error' ? e.name : (e?.code ?? 'UnknownError');
  const message = e?.message ?? String(err);
  if (THROTTLING.has(code) || e?.$metadata?.httpStatusCode === 429) return { kind: 'throttled', code, message, retryable: true };
  if (code === 'ConflictException') return { kind: 'conflict', code, message, retryable: true };
  if (TERMINAL.has(code)) return { kind: 'terminal', code, message, retryable: false };
  return { kind: 'transient', code, message, retryable: true };
}

/** The reconcile plans again after this error, if its deadline leaves time. */
export function retriedWithinRun(c: Classified): boolean {
  return c.kind === 'throttled' || c.kind === 'transient' || c.kind === 'conflict' || c.kind === 'concurrent';
}

export interface ErrorOutcome {
  result: Result;
  error: NonNullable<Outcome['error']>;
  issues?: Issue[];
  serverState?: string;
}

export function outcomeOfError(err: unknown): ErrorOutcome {
  const c = classifyError(err);
  const error = { code: c.code, message: c.message, retryable: c.retryable };
  if (err instanceof InvalidDesiredStateError) return { result: 'invalid', error, issues: err.issues };
  if (err instanceof DocumentNotFoundError) return { result: 'unmanaged', error };
  if (err instanceof ServerNotFoundError) return { result: 'not-found', error };
  if (err instanceof ServerStateFailedError) return { result: 'failed', error, serverState: err.state };
  return { result: 'failed', error };
}

/** An outcome that ran out of time (a wait reached the deadline, an offline change not begun): the next run takes it. */
export function ranOutOfTime(o: Outcome): boolean {
  return o.result === 'failed' && o.error?.code === 'RetryLater';
}
