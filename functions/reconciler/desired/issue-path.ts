// JSON paths for issues (`$`, `$.ProtocolDetails.PassiveIp`, `$.Tags[0].Key`) and the document
// order they are reported in.
import type { PathSegment } from '../../shared/model-validate.ts';
import type { Issue } from '../types.ts';
import { isPlainObject } from '../../shared/model-validate.ts';

/** An issue while its path is still segments (sorted into document order before it is reported). */
export interface Finding {
  path: PathSegment[];
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function jsonPath(path: readonly PathSegment[]): string {
  let out = '$';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(segment.length > 80 ? `${segment.slice(0, 80)}…` : segment)}]`;
  }
  return out;
}

/** Positions of a path's segments inside the document (keys in their written order). */
function positions(document: unknown, path: readonly PathSegment[]): number[] {
  const out: number[] = [];
  let current: unknown = document;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') {
      out.push(segment);
      current = current[segment];
    } else if (isPlainObject(current) && typeof segment === 'string') {
      const keys = Object.keys(current);
      const index = keys.indexOf(segment);
      // A member that is missing (a required one) sorts after the members that are there.
      out.push(index === -1 ? keys.length : index);
      current = index === -1 ? undefined : current[segment];
    } else {
      out.push(Number.MAX_SAFE_INTEGER);
      current = undefined;
    }
  }
  return out;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Issues in document order; findings on the same path keep the order they were found in. */
export function toIssues(document: unknown, findings: readonly Finding[]): Issue[] {
  return findings
    .map((finding, index) => ({ finding, index, at: positions(document, finding.path) }))
    .sort((x, y) => compare(x.at, y.at) || x.index - y.index)
    .map(({ finding }) => ({ path: jsonPath(finding.path), message: finding.message }));
}
