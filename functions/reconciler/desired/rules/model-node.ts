// The service model's verdict on ONE node of the document: its type, the required members of an
// object, the length of a list or string, a string's enum and pattern — not its members' or
// items', which the walk visits itself. validateShape (shared/model-validate.ts) checks a whole
// subtree; calling it at every node of the walk re-checked each subtree once per ancestor. Same
// Violation data, same rules (model-validate.ts is the reference; a test compares the two).
import { modelPattern, shape } from '../../../shared/model-validate.ts';
import type { ModelData, PathSegment, ShapeDef, Violation } from '../../../shared/model-validate.ts';
import { isPlainObject } from '../../../shared/model-validate.ts';

/** Code points, without building an array of them (a banner can be megabytes before it is refused). */
export function codePointLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length - 1; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n -= 1;
        i += 1;
      }
    }
  }
  return n;
}

interface Base {
  path: PathSegment[];
  shape: string;
  sensitive: boolean;
}

function length(def: ShapeDef, actual: number, value: unknown, base: Base, out: Violation[]): void {
  if ((def.min !== undefined && actual < def.min) || (def.max !== undefined && actual > def.max))
    out.push({ ...base, kind: 'length', min: def.min, max: def.max, actual, value });
}

/**
 * Violations of `value` itself against `shapeName`. `inheritedSensitive`: an ancestor's shape is
 * sensitive (its values are never quoted), as validateShape passes it down.
 */
export function nodeViolations(
  model: ModelData,
  shapeName: string,
  value: unknown,
  path: PathSegment[],
  inheritedSensitive = false,
): Violation[] {
  const def = shape(model, shapeName);
  const base: Base = { path, shape: shapeName, sensitive: inheritedSensitive || def.sensitive === true };
  const out: Violation[] = [];
  switch (def.type) {
    case 'structure':
      if (!isPlainObject(value)) out.push({ ...base, kind: 'type', expected: 'object', value });
      else
        for (const req of def.required ?? []) {
          if (value[req] === undefined || value[req] === null) out.push({ ...base, kind: 'required', member: req });
        }
      return out;
    case 'list':
      if (!Array.isArray(value)) out.push({ ...base, kind: 'type', expected: 'array', value });
      else length(def, value.length, value, base, out);
      return out;
    case 'string':
      if (typeof value !== 'string') {
        out.push({ ...base, kind: 'type', expected: 'string', value });
        return out;
      }
      length(def, codePointLength(value), value, base, out);
      if (def.enum && !def.enum.includes(value)) out.push({ ...base, kind: 'enum', allowed: def.enum, value });
      if (def.pattern !== undefined && !modelPattern(def.pattern).test(value))
        out.push({ ...base, kind: 'pattern', pattern: def.pattern, value });
      return out;
    case 'boolean':
      if (typeof value !== 'boolean') out.push({ ...base, kind: 'type', expected: 'boolean', value });
      return out;
    default:
      // The catalogue builds nodes for these four types only (keys.ts refuses any other).
      throw new Error(`shape ${shapeName} has type ${def.type}, which a document cannot hold`);
  }
}
