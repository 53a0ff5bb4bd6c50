// EC2's Filter.N.Name / Filter.N.Value.M: every filter must match, any of its values (exact
// match; EC2's `*`/`?` wildcards are not emulated). A filter name the operation does not support is
// InvalidParameterValue, as EC2 answers it; MaxResults/NextToken page over a sorted list.
import { ec2Error } from './ec2-errors.ts';

export interface Filter {
  Name?: string;
  Values?: string[];
}

/** `fields` maps each supported filter name to the values an item has for it. */
export function matchesFilters<T>(item: T, filters: Filter[] | undefined, fields: Record<string, (item: T) => string[]>): boolean {
  for (const filter of filters ?? []) {
    const name = filter.Name ?? '';
    const field = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (field === undefined) throw ec2Error('InvalidParameterValue', `The filter '${name}' is invalid`);
    const have = field(item);
    if (!(filter.Values ?? []).some((value) => have.includes(value))) return false;
  }
  return true;
}

export interface Ec2Page<T> {
  items: T[];
  NextToken?: string;
}

function encode(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ s: scope, o: offset })).toString('base64url');
}

function decode(scope: string, token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { s?: unknown; o?: unknown };
    if (parsed.s === scope && typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // falls through
  }
  throw ec2Error('InvalidPaginationToken', `Invalid pagination token: ${token.slice(0, 64)}`);
}

export function page<T>(items: T[], scope: string, input: { MaxResults?: unknown; NextToken?: unknown }): Ec2Page<T> {
  const max = typeof input.MaxResults === 'number' ? input.MaxResults : 1000;
  if (max < 1) throw ec2Error('InvalidParameterValue', `MaxResults must be at least 1 (got ${max})`);
  const start = typeof input.NextToken === 'string' ? decode(scope, input.NextToken) : 0;
  const slice = items.slice(start, start + max);
  return start + max < items.length ? { items: slice, NextToken: encode(scope, start + max) } : { items: slice };
}
