// The ec2 query protocol's request side: a form body (`Action=…&Version=2016-11-15&…`) decoded
// into the operation's input shape. Lists are always flattened, 1-based: `AddSecurityGroupId.1=sg-…`,
// structures in lists as `Filter.1.Name=…&Filter.1.Value.1=…`. Parameters the model does not know
// are reported (AWS ignores them, as the JSON front does). Values that do not parse as their
// type are EC2's InvalidParameterValue.
import type { AwsError } from '../aws-error.ts';
import { ec2Error } from './ec2-errors.ts';
import { queryName, wireShape } from './wire-model.ts';

export interface QueryRequest {
  action: string;
  version: string;
  params: Map<string, string>;
}

export interface DecodedInput {
  input: Record<string, unknown>;
  unknownParams: string[];
}

export function parseForm(body: string): QueryRequest {
  const params = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(body)) params.set(key, value);
  return { action: params.get('Action') ?? '', version: params.get('Version') ?? '', params };
}

function invalid(name: string, value: string, expected: string): AwsError {
  return ec2Error('InvalidParameterValue', `Invalid value '${value}' for ${name}: expected ${expected}`);
}

/** The 1-based indexes present under `prefix.` (`Filter.1.Name`, `Filter.2.Value.1` → 1, 2). */
function indexes(params: Map<string, string>, prefix: string): number[] {
  const found = new Set<number>();
  for (const key of params.keys()) {
    if (!key.startsWith(`${prefix}.`)) continue;
    const head = key.slice(prefix.length + 1).split('.')[0] ?? '';
    if (/^[1-9][0-9]{0,3}$/.test(head)) found.add(Number(head));
  }
  return [...found].sort((a, b) => a - b);
}

function decodeValue(shapeName: string, key: string, params: Map<string, string>, used: Set<string>): unknown {
  const shape = wireShape(shapeName);
  if (shape.type === 'structure') {
    const out: Record<string, unknown> = {};
    for (const [member, memberShape] of Object.entries(shape.members ?? {})) {
      const value = decodeValue(memberShape, `${key}${key === '' ? '' : '.'}${queryName(shape, member)}`, params, used);
      if (value !== undefined) out[member] = value;
    }
    return key !== '' && Object.keys(out).length === 0 ? undefined : out;
  }
  if (shape.type === 'list') {
    const member = shape.member ?? 'String';
    const items = indexes(params, key).map((i) => decodeValue(member, `${key}.${i}`, params, used));
    // An empty list goes on the wire as the bare name with an empty value.
    if (items.length === 0 && params.get(key) === '') {
      used.add(key);
      return [];
    }
    return items.length === 0 ? undefined : items.filter((item) => item !== undefined);
  }
  const raw = params.get(key);
  if (raw === undefined) return undefined;
  used.add(key);
  switch (shape.type) {
    case 'integer':
    case 'long':
      if (!/^-?[0-9]{1,15}$/.test(raw)) throw invalid(key, raw, 'an integer');
      return Number(raw);
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw invalid(key, raw, 'true or false');
      return raw === 'true';
    default:
      return raw;
  }
}

/** The operation's input, as the JSON services receive it (member names, typed values). */
export function decodeInput(inputShape: string | undefined, params: Map<string, string>): DecodedInput {
  const used = new Set<string>(['Action', 'Version']);
  const input = inputShape === undefined ? {} : (decodeValue(inputShape, '', params, used) as Record<string, unknown>);
  const unknownParams = [...params.keys()].filter((key) => !used.has(key));
  return { input, unknownParams };
}
