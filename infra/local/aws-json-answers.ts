// The awsJson side's wire helpers (aws-front.ts): error answers in wire form, each service's
// answer to an injected fault, content types, X-Amz-Target splitting and body parsing.
import { AwsError } from './aws-error.ts';
import type { InjectedFault } from './faults.ts';
import { AWS_JSON } from './http-io.ts';
import type { ServiceName } from './types.ts';

/** An error answer already in wire form (status, code, body, headers). */
export class FaultAnswer extends Error {
  readonly status: number;
  readonly code: string;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, body: Record<string, unknown>, headers: Record<string, string>) {
    super(code);
    this.status = status;
    this.code = code;
    this.body = body;
    this.headers = headers;
  }
}

/** Each service's own answer to the injected fault, as its model shapes it. */
export function faultAnswer(service: ServiceName, fault: Exclude<InjectedFault, 'drop' | 'error'>, retryAfterSeconds: number): FaultAnswer {
  if (service === 'sqs') {
    // SQS's own codes (the SDK retries RequestThrottled as throttling); the front words them (sqsWire).
    const [status, code] =
      fault === 'throttle' ? [403, 'RequestThrottled'] : fault === '500' ? [500, 'InternalFailure'] : [503, 'ServiceUnavailable'];
    return new FaultAnswer(status, code, { __type: code, message: `Injected ${code} (local emulator fault).` }, {});
  }
  if (fault === 'throttle') {
    if (service === 'transfer') {
      // Transfer models ThrottlingException as HTTP 429 with RetryAfterSeconds (a string) bound to Retry-After.
      return new FaultAnswer(
        429,
        'ThrottlingException',
        { __type: 'ThrottlingException', RetryAfterSeconds: String(retryAfterSeconds) },
        { 'Retry-After': String(retryAfterSeconds) },
      );
    }
    // QuotaCode is the emulator's own placeholder: the real code of SSM's rate quota is not verified here.
    return new FaultAnswer(
      400,
      'ThrottlingException',
      { __type: 'ThrottlingException', Message: 'Rate exceeded', QuotaCode: 'L-LOCAL-EMULATOR', ServiceCode: 'ssm' },
      {},
    );
  }
  if (fault === '500') {
    const code = service === 'ssm' ? 'InternalServerError' : 'InternalServiceError';
    return new FaultAnswer(500, code, { __type: code, Message: 'Injected internal error (local emulator fault).' }, {});
  }
  return new FaultAnswer(
    503,
    'ServiceUnavailableException',
    { __type: 'ServiceUnavailableException', Message: 'Injected service unavailable (local emulator fault).' },
    {},
  );
}

// SQS speaks awsJson 1.0; Transfer and SSM 1.1.
export function contentType(service: ServiceName | 'unknown'): string {
  return service === 'sqs' ? 'application/x-amz-json-1.0' : AWS_JSON;
}

export function splitTarget(target: string): [string, string] {
  const dot = target.indexOf('.');
  return dot === -1 ? [target, ''] : [target.slice(0, dot), target.slice(dot + 1)];
}

export function parseInput(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AwsError('SerializationException', 'The request body must be a JSON object.');
  return value as Record<string, unknown>;
}
