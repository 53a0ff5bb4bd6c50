// One place that turns an error into what the reconciler does next. SDK errors are matched by
// their modelled exception name (the wire `__type`), never by message text.
import { ReconcilerError } from '../errors.ts';

export type ErrorKind = 'throttled' | 'transient' | 'conflict' | 'terminal';

export interface Classified {
  kind: ErrorKind;
  code: string;
  message: string;
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
]);
const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'TooManyUpdates']);

export function classifyError(err: unknown): Classified {
  if (err instanceof ReconcilerError) {
    return { kind: err.retryable ? 'transient' : 'terminal', code: err.code, message: err.message, retryable: err.retryable };
  }
  const e = err as { name?: string; message?: string; $fault?: string; $metadata?: { httpStatusCode?: number }; code?: string } | undefined;
  const code = e?.name && e.name !== 'Error' ? e.name : (e?.code ?? 'UnknownError');
  const message = e?.message ?? String(err);
  if (THROTTLING.has(code) || e?.$metadata?.httpStatusCode === 429) return { kind: 'throttled', code, message, retryable: true };
  if (code === 'ConflictException') return { kind: 'conflict', code, message, retryable: true };
  if (TERMINAL.has(code)) return { kind: 'terminal', code, message, retryable: false };
  return { kind: 'transient', code, message, retryable: true };
}
