// Opaque NextToken paging over an ordered list: the token names the position after the last
// item returned, so deleting an earlier item does not skip anything.
import { AwsError } from '../aws-error.ts';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

function encode(scope: string, position: number): string {
  return Buffer.from(JSON.stringify({ s: scope, p: position })).toString('base64url');
}

function decode(scope: string, token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { s?: unknown; p?: unknown };
    if (parsed.s === scope && typeof parsed.p === 'number' && Number.isInteger(parsed.p) && parsed.p >= 0) return parsed.p;
  } catch {
    // falls through to the error below
  }
  throw new AwsError('InvalidNextTokenException', 'The NextToken is not valid', { status: 400 });
}

/**
 * One page of `items` (sorted by `positionOf`, ascending). `scope` ties a token to the list it
 * came from; `maxResults` defaults to `defaultMax`.
 */
export function paginate<T>(
  items: readonly T[],
  positionOf: (item: T) => number,
  scope: string,
  input: { MaxResults?: unknown; NextToken?: unknown },
  defaultMax: number,
): Page<T> {
  const max = typeof input.MaxResults === 'number' ? input.MaxResults : defaultMax;
  const after = typeof input.NextToken === 'string' ? decode(scope, input.NextToken) : -1;
  const rest = items.filter((item) => positionOf(item) > after);
  const pageItems = rest.slice(0, max);
  const last = pageItems.at(-1);
  if (rest.length > pageItems.length && last !== undefined) return { items: pageItems, nextToken: encode(scope, positionOf(last)) };
  return { items: pageItems };
}
