// JSON paths for issues (`$`, `$.ProtocolDetails.PassiveIp`, `$.Tags[0].Key`), the document
// order they are reported in, and the cap on how many one document reports.
import type { PathSegment } from '../../shared/model-validate.ts';
import type { Issue } from '../types.ts';
import { isPlainObject } from '../../shared/model-validate.ts';
import { looksLikeKeyMaterial } from '../../shared/key-material.ts';
import { MAX_SHOWN, cutText, showText } from './user-text.ts';

/**
 * An issue while its path is still segments (sorted into document order before it is reported).
 * A message may be given as a function: it is built only if the issue is among those reported
 * (an unknown key's "did you mean" costs an edit distance per valid key).
 */
export interface Finding {
  path: PathSegment[];
  message: string | (() => string);
}

/**
 * Issues one document reports at most, plus one that counts the rest. A hostile document (tens of
 * thousands of unknown keys) must not flood a CI log or an outcome record; the first hundred say
 * what is wrong as well as all of them would.
 */
export const MAX_ISSUES = 100;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Key segments go through showText like any user text: cut, escaped, withheld if they look like a key. */
export function jsonPath(path: readonly PathSegment[]): string {
  let out = '$';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const shown = showText(segment);
      // A short identifier reads better bare; anything cut, withheld or odd is bracketed.
      out += segment.length <= MAX_SHOWN && IDENTIFIER.test(segment) && shown === JSON.stringify(segment) ? `.${segment}` : `[${shown}]`;
    }
  }
  return out;
}

/**
 * Positions of paths' segments inside the document (keys in their written order). Each object's
 * key index is built once, so ordering n findings costs O(n × depth), not O(n × keys).
 */
class Positions {
  private readonly indexes = new WeakMap<object, Map<string, number>>();
  private readonly document: unknown;

  constructor(document: unknown) {
    this.document = document;
  }

  private indexOf(object: Record<string, unknown>): Map<string, number> {
    let index = this.indexes.get(object);
    if (index === undefined) {
      index = new Map();
      const keys = Object.keys(object);
      for (let i = 0; i < keys.length; i += 1) index.set(keys[i] as string, i);
      this.indexes.set(object, index);
    }
    return index;
  }

  /** Positions of `path`, or (with `against`) its order relative to those positions, built no further than the first difference. */
  walk(path: readonly PathSegment[], against?: readonly number[]): number[] | number {
    const out: number[] = [];
    let current: unknown = this.document;
    for (let i = 0; i < path.length; i += 1) {
      const segment = path[i] as PathSegment;
      let position: number;
      if (Array.isArray(current) && typeof segment === 'number') {
        position = segment;
        current = current[segment];
      } else if (isPlainObject(current) && typeof segment === 'string') {
        const index = this.indexOf(current);
        const at = index.get(segment);
        // A member that is missing (a required one) sorts after the members that are there.
        position = at === undefined ? index.size : at;
        current = at === undefined ? undefined : current[segment];
      } else {
        position = Number.MAX_SAFE_INTEGER;
        current = undefined;
      }
      if (against === undefined) out.push(position);
      else if (i >= against.length) return 1;
      else if (position !== against[i]) return position - (against[i] as number);
    }
    return against === undefined ? out : path.length - against.length;
  }

  of(path: readonly PathSegment[]): number[] {
    return this.walk(path) as number[];
  }

  /** < 0 when `path` comes before the positions `at`, 0 when it is at them, > 0 after. */
  compare(path: readonly PathSegment[], at: readonly number[]): number {
    return this.walk(path, at) as number;
  }
}

interface Ranked {
  finding: Finding;
  index: number;
  at: number[];
}

function compare(x: Ranked, y: Ranked): number {
  const a = x.at;
  const b = y.at;
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length || x.index - y.index;
}

/**
 * The first `k` findings in document order, without sorting them all: findings mostly arrive in
 * document order (the walk's), so most are rejected after one comparison with the last kept.
 */
function firstInOrder(findings: readonly Finding[], positions: Positions, k: number): Finding[] {
  const kept: Ranked[] = [];
  findings.forEach((finding, index) => {
    if (k === 0) return;
    // A later finding at the same place sorts after, so "not before the last kept" is ">= 0".
    const last = kept.at(-1);
    if (kept.length === k && last !== undefined && positions.compare(finding.path, last.at) >= 0) return;
    const item = { finding, index, at: positions.of(finding.path) };
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(kept[mid] as Ranked, item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    kept.splice(lo, 0, item);
    if (kept.length > k) kept.pop();
  });
  return kept.map((r) => r.finding);
}

/** Said instead of a message that would repeat key material (see messageOf). */
export const WITHHELD_MESSAGE =
  'this problem is not described: its message would have repeated text that looks like private-key material. Check the value at this path.';

/** Longer messages are cut (the longest the rules write is under 1,000 characters). */
const MAX_MESSAGE = 2000;

/**
 * The last line of defence, whatever rule wrote the message: one that would repeat text that looks
 * like key material is replaced (rules echo user text through showText, but a rule that forgot
 * must not leak), and none is longer than MAX_MESSAGE.
 */
export function messageOf(finding: Finding): string {
  const message = typeof finding.message === 'string' ? finding.message : finding.message();
  if (looksLikeKeyMaterial(message)) return WITHHELD_MESSAGE;
  return cutText(message, MAX_MESSAGE);
}

/**
 * Issues in document order (findings on the same path keep the order they were found in), after
 * `first` (reported before everything, e.g. the size verdict); at most MAX_ISSUES, then one issue
 * at `$` that counts the others.
 */
export function toIssues(document: unknown, findings: readonly Finding[], first: readonly Finding[] = []): Issue[] {
  const head = first.slice(0, MAX_ISSUES);
  const ordered = [...head, ...firstInOrder(findings, new Positions(document), MAX_ISSUES - head.length)];
  const shown = ordered.map((f) => ({ path: jsonPath(f.path), message: messageOf(f) }));
  const more = first.length + findings.length - shown.length;
  if (more > 0)
    shown.push({
      path: '$',
      message: `… and ${more} more problem${more === 1 ? '' : 's'}, not listed: a document reports at most ${MAX_ISSUES}. Fix these and validate again.`,
    });
  return shown;
}
