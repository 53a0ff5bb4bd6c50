// User-facing messages for the violations functions/shared/model-validate.ts returns: the rule,
// and what to write instead. Hints name the model's patterns in words.
import type { Violation } from '../../../shared/model-validate.ts';
import { closestKey } from '../closest-key.ts';
import { showText } from '../user-text.ts';
import { kindOf, showValue } from './show-value.ts';

/** What a model pattern asks for, by shape name. */
const PATTERN_HINTS: Record<string, string> = {
  Role: 'an IAM role ARN such as arn:aws:iam::111122223333:role/transfer-role',
  NullableRole: 'an IAM role ARN such as arn:aws:iam::111122223333:role/transfer-logging, or "" to remove it',
  ServerId: 's- followed by 17 lowercase hexadecimal digits, such as s-0123456789abcdef0',
  VpcEndpointId: 'vpce- followed by 17 lowercase hexadecimal digits',
  SecurityGroupId: 'sg- followed by 8 to 17 lowercase hexadecimal digits',
  DirectoryId: 'd- followed by 10 lowercase hexadecimal digits',
  Function: 'a Lambda function ARN such as arn:aws:lambda:us-east-1:111122223333:function:idp',
  SecurityPolicyName: 'a Transfer security policy name such as TransferSecurityPolicy-2024-01',
  WorkflowId: 'w- followed by 17 lowercase letters or digits',
  Arn: 'an ARN (arn:…, without spaces)',
  HostKeyDescription: 'printable ASCII characters only (\\x20-\\x7E: no tabs, line breaks or other characters)',
};

const EXPECTED: Record<string, string> = {
  object: 'an object ({…})',
  array: 'a list ([…])',
  string: 'a string (in quotes)',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
};

const BANNER_SHAPES = new Set(['PostAuthenticationLoginBanner', 'PreAuthenticationLoginBanner']);
const BANNER_CHARS = /[^\t-\r -~]/u;

function bannerMessage(value: string): string {
  const match = BANNER_CHARS.exec(value);
  const where = match
    ? ` It contains U+${(match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')} at character ${[...value.slice(0, match.index)].length + 1}.`
    : '';
  return `a banner may hold only printable ASCII characters, tabs and line breaks (\\x09-\\x0D, \\x20-\\x7E).${where} Replace or remove the other characters.`;
}

function lengthMessage(v: Extract<Violation, { kind: 'length' }>): string {
  const unit = Array.isArray(v.value) ? 'item' : 'character';
  const plural = (n: number | undefined): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  const has = `it has ${plural(v.actual)}`;
  if (v.min !== undefined && v.min === v.max) return `must have exactly ${plural(v.min)}; ${has}.`;
  if (v.max !== undefined && v.actual > v.max) {
    return Array.isArray(v.value)
      ? `may list at most ${plural(v.max)}; ${has}. Remove some.`
      : `may be at most ${plural(v.max)} long; ${has}. Shorten it.`;
  }
  return Array.isArray(v.value)
    ? `must list at least ${plural(v.min)}; ${has}. Remove the key to leave it unmanaged.`
    : `must be at least ${plural(v.min)} long; ${has}.`;
}

/** `"Enforce" is not allowed; use one of enforce, detect. Did you mean "enforce"?` */
export function enumMessage(value: string | undefined, allowed: readonly string[]): string {
  const near = value === undefined ? undefined : closestKey(value, allowed);
  const suggestion = near !== undefined && near.distance <= 2 ? ` Did you mean ${JSON.stringify(near.key)}?` : '';
  return `${value === undefined ? 'the value' : showValue(value)} is not allowed; use one of ${allowed.join(', ')}.${suggestion}`;
}

export function violationMessage(v: Violation): string {
  switch (v.kind) {
    case 'type':
      return `must be ${EXPECTED[v.expected] ?? v.expected}, not ${kindOf(v.value)}.`;
    case 'required':
      return `${JSON.stringify(v.member)} is required here; add it.`;
    case 'length':
      return lengthMessage(v);
    case 'range':
      return `must be between ${v.min ?? '-∞'} and ${v.max ?? '∞'}; it is ${v.value}.`;
    case 'pattern': {
      if (BANNER_SHAPES.has(v.shape)) return bannerMessage(v.value);
      const hint = PATTERN_HINTS[v.shape] ?? `a value matching ${v.pattern}`;
      return v.sensitive ? `must be ${hint}.` : `must be ${hint}; found ${showValue(v.value)}.`;
    }
    case 'enum':
      return enumMessage(v.sensitive ? undefined : v.value, v.allowed);
    case 'unknown-member':
      return `${showText(v.member)} is not a known key.`;
  }
}
