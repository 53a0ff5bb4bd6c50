// Which error codes the emulator may answer an operation with: the operation's `errors` in its
// service model, plus the errors every AWS API can answer whatever the model lists (the AWS
// "Common errors" reference and the JSON protocol's own: a body that does not parse, an
// unknown target, a value outside the model's constraints, throttling, a 503). A refusal AWS
// does not document for an operation is answered with a code the model lists for it.
import { EC2_ERRORS } from './ec2/ec2-errors.ts';
import { serviceModels } from './service-models.ts';
import type { ServiceName } from './types.ts';

export const COMMON_ERRORS: readonly string[] = [
  'SerializationException',
  'UnknownOperationException',
  'ValidationException',
  'ThrottlingException',
  'ServiceUnavailableException',
  'InternalFailure',
  // AWS's common errors list it; SSM answers it for a SecureString read the caller may not decrypt (KMS's refusal).
  'AccessDeniedException',
  // AWS's common errors list it (HTTP 403): STS session credentials past their Expiration (sts/roles.ts).
  'ExpiredTokenException',
];

/** The error codes the model lists for `operation` (empty for an operation it does not have). */
export function modelErrors(service: ServiceName, operation: string): readonly string[] {
  const operations = serviceModels[service].operations;
  return Object.hasOwn(operations, operation) ? (operations[operation]?.errors ?? []) : [];
}

export function mayAnswer(service: ServiceName, operation: string, code: string): boolean {
  // EC2's model lists no errors per operation; its codes are the API reference's common list.
  if (service === 'ec2') return EC2_ERRORS.includes(code);
  return COMMON_ERRORS.includes(code) || modelErrors(service, operation).includes(code);
}

/** `preferred` where the model lists it for `operation`, else `fallback`, which it must list. */
export function listedOr(service: ServiceName, operation: string, preferred: string, fallback: string): string {
  if (mayAnswer(service, operation, preferred)) return preferred;
  if (!mayAnswer(service, operation, fallback))
    throw new Error(`the ${service} model lists neither ${preferred} nor ${fallback} for ${operation}`);
  return fallback;
}
