// Validates an incoming request against its operation's input shape, and words the errors the
// way AWS's JSON services do: type mismatches are SerializationException; length, pattern, enum,
// range and required violations are one ValidationException listing them all as
// "N validation error(s) detected: Value 'x' at 'a.b' failed to satisfy constraint: ...".
// Members the model does not know are ignored, as AWS ignores them, and reported to the caller.
import { validateShape } from '../../functions/shared/model-validate.ts';
import type { ModelData, PathSegment, Violation } from '../../functions/shared/model-validate.ts';
import { AwsError } from './aws-error.ts';

export interface RequestCheck {
  /** Dotted member paths, in the request's own spelling, that the model does not know. */
  unknownMembers: string[];
}

/** Throws AwsError (SerializationException or ValidationException) when `input` breaks the model. */
export function validateRequest(model: ModelData, operation: string, input: Record<string, unknown>): RequestCheck {
  const op = model.operations[operation];
  if (!op) throw new AwsError('UnknownOperationException', `Unknown operation ${operation}`);
  if (!op.input) return { unknownMembers: Object.keys(input) };
  const violations = validateShape(model, op.input, input);
  const unknownMembers: string[] = [];
  const typeErrors: Violation[] = [];
  const constraintErrors: Violation[] = [];
  for (const v of violations) {
    if (v.kind === 'unknown-member') unknownMembers.push([...v.path, v.member].join('.'));
    else if (v.kind === 'type') typeErrors.push(v);
    else constraintErrors.push(v);
  }
  const firstType = typeErrors[0];
  if (firstType && firstType.kind === 'type') {
    throw new AwsError('SerializationException', `Expected ${firstType.expected} at '${wirePath(firstType.path)}'`);
  }
  if (constraintErrors.length > 0) throw validationError(constraintErrors);
  return { unknownMembers };
}

/** One ValidationException for a list of constraint violations, worded as AWS words them. */
export function validationError(violations: Violation[]): AwsError {
  const n = violations.length;
  const head = `${n} validation error${n === 1 ? '' : 's'} detected: `;
  return new AwsError('ValidationException', head + violations.map(formatViolation).join('; '));
}

export function formatViolation(v: Violation): string {
  if (v.kind === 'required')
    return `Value null at '${wirePath([...v.path, v.member])}' failed to satisfy constraint: Member must not be null`;
  const where = `at '${wirePath(v.path)}'`;
  const value = 'value' in v ? v.value : undefined;
  const subject = v.sensitive ? `Value ${where}` : `Value '${javaString(value)}' ${where}`;
  return `${subject} failed to satisfy constraint: ${constraint(v)}`;
}

function constraint(v: Violation): string {
  switch (v.kind) {
    case 'length':
      if (v.max !== undefined && v.actual > v.max) return `Member must have length less than or equal to ${v.max}`;
      return `Member must have length greater than or equal to ${v.min ?? 0}`;
    case 'range':
      if (v.max !== undefined && v.value > v.max) return `Member must have value less than or equal to ${v.max}`;
      return `Member must have value greater than or equal to ${v.min ?? 0}`;
    case 'pattern':
      return `Member must satisfy regular expression pattern: ${v.pattern}`;
    case 'enum':
      return `Member must satisfy enum value set: [${v.allowed.join(', ')}]`;
    case 'type':
      return `Member must be of type ${v.expected}`;
    case 'required':
      return 'Member must not be null';
    case 'unknown-member':
      return 'Member is not known';
  }
}

/** AWS's member path: lowerCamelCase names joined by '.', list items as `name.N.member` (1-based). */
export function wirePath(path: PathSegment[]): string {
  const parts: string[] = [];
  for (const seg of path) {
    if (typeof seg === 'number') parts.push(String(seg + 1), 'member');
    else parts.push(seg.charAt(0).toLowerCase() + seg.slice(1));
  }
  return parts.join('.');
}

/** How Java's toString prints a value inside AWS's messages (lists as `[a, b]`). */
function javaString(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(javaString).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}
