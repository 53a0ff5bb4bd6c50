// Validates a JSON value against a shape of an AWS service model (the extracted data in
// ./aws-models): types, required members, lengths, ranges, patterns and enums. It returns
// violations as data; callers format them (the emulator as AWS does, the reconciler for users).
// Model patterns are Java regular expressions matched against the whole value, as AWS's Java
// validators do; java-pattern.ts turns them into Unicode JavaScript ones (`\p{L}` in SSM's tags).
import { translateJavaPattern } from './java-pattern.ts';

export interface ShapeDef {
  type: string;
  members?: Record<string, string>;
  required?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  member?: string;
  key?: string;
  value?: string;
  sensitive?: boolean;
  exception?: boolean;
}

export interface ModelData {
  metadata: { apiVersion: string; targetPrefix: string };
  operations: Record<string, { input?: string; output?: string; errors: string[] }>;
  shapes: Record<string, ShapeDef>;
}

export type PathSegment = string | number;

interface Base {
  path: PathSegment[];
  shape: string;
  sensitive: boolean;
}
export type Violation =
  | (Base & { kind: 'type'; expected: string; value: unknown })
  | (Base & { kind: 'required'; member: string })
  | (Base & { kind: 'length'; min?: number; max?: number; actual: number; value: unknown })
  | (Base & { kind: 'range'; min?: number; max?: number; value: number })
  | (Base & { kind: 'pattern'; pattern: string; value: string })
  | (Base & { kind: 'enum'; allowed: string[]; value: string })
  | (Base & { kind: 'unknown-member'; member: string; known: string[] });

const regexCache = new Map<string, RegExp>();
export function modelPattern(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    const { source, flags } = translateJavaPattern(pattern);
    re = new RegExp(`^(?:${source})$`, flags);
    regexCache.set(pattern, re);
  }
  return re;
}

export function shape(model: ModelData, name: string): ShapeDef {
  // Own properties only: a key such as "__proto__" must never resolve to Object.prototype.
  const def = Object.hasOwn(model.shapes, name) ? model.shapes[name] : undefined;
  if (!def) throw new Error(`unknown shape ${name}`);
  return def;
}

/** Length as AWS counts it: characters (code points) for strings, items for lists. */
const SURROGATE = /[\uD800-\uDFFF]/;

/** Characters (code points) of a string, as AWS counts them; UTF-16 units when there is no surrogate. */
function lengthOf(value: string | unknown[]): number {
  if (typeof value !== 'string') return value.length;
  return SURROGATE.test(value) ? [...value].length : value.length;
}

export function validateShape(model: ModelData, shapeName: string, value: unknown, path: PathSegment[] = []): Violation[] {
  const out: Violation[] = [];
  walk(model, shapeName, value, path, out, false);
  return out;
}

function walk(
  model: ModelData,
  shapeName: string,
  value: unknown,
  path: PathSegment[],
  out: Violation[],
  inheritedSensitive: boolean,
): void {
  const def = shape(model, shapeName);
  const sensitive = inheritedSensitive || def.sensitive === true;
  const base = { path, shape: shapeName, sensitive };
  switch (def.type) {
    case 'structure': {
      if (!isPlainObject(value)) {
        out.push({ ...base, kind: 'type', expected: 'object', value });
        return;
      }
      const members = def.members ?? {};
      for (const req of def.required ?? []) {
        if (value[req] === undefined || value[req] === null) out.push({ ...base, kind: 'required', member: req });
      }
      for (const [key, v] of Object.entries(value)) {
        const memberShape = Object.hasOwn(members, key) ? members[key] : undefined;
        if (!memberShape) {
          out.push({ ...base, kind: 'unknown-member', member: key, known: Object.keys(members) });
          continue;
        }
        if (v === undefined || v === null) continue;
        walk(model, memberShape, v, [...path, key], out, sensitive);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) {
        out.push({ ...base, kind: 'type', expected: 'array', value });
        return;
      }
      checkLength(def, value, base, out);
      value.forEach((item, i) => walk(model, def.member as string, item, [...path, i], out, sensitive));
      return;
    }
    case 'map': {
      if (!isPlainObject(value)) {
        out.push({ ...base, kind: 'type', expected: 'object', value });
        return;
      }
      checkLength(def, Object.keys(value), base, out);
      for (const [k, v] of Object.entries(value)) {
        walk(model, def.key as string, k, [...path, k], out, sensitive);
        walk(model, def.value as string, v, [...path, k], out, sensitive);
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') {
        out.push({ ...base, kind: 'type', expected: 'string', value });
        return;
      }
      checkLength(def, value, base, out);
      if (def.enum && !def.enum.includes(value)) out.push({ ...base, kind: 'enum', allowed: def.enum, value });
      if (def.pattern !== undefined && !modelPattern(def.pattern).test(value))
        out.push({ ...base, kind: 'pattern', pattern: def.pattern, value });
      return;
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        out.push({ ...base, kind: 'type', expected: 'integer', value });
        return;
      }
      if ((def.min !== undefined && value < def.min) || (def.max !== undefined && value > def.max)) {
        out.push({ ...base, kind: 'range', min: def.min, max: def.max, value });
      }
      return;
    }
    case 'double':
    case 'float':
      if (typeof value !== 'number') out.push({ ...base, kind: 'type', expected: 'number', value });
      return;
    case 'boolean':
      if (typeof value !== 'boolean') out.push({ ...base, kind: 'type', expected: 'boolean', value });
      return;
    case 'timestamp':
      if (typeof value !== 'number' && typeof value !== 'string') out.push({ ...base, kind: 'type', expected: 'timestamp', value });
      return;
    case 'blob':
      if (typeof value !== 'string') out.push({ ...base, kind: 'type', expected: 'base64 string', value });
      return;
    default:
      throw new Error(`shape ${shapeName} has unsupported type ${def.type}`);
  }
}

function checkLength(def: ShapeDef, value: string | unknown[], base: Base, out: Violation[]): void {
  const actual = lengthOf(value);
  if ((def.min !== undefined && actual < def.min) || (def.max !== undefined && actual > def.max)) {
    out.push({ ...base, kind: 'length', min: def.min, max: def.max, actual, value });
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
