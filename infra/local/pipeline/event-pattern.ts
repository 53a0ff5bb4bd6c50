// EventBridge event-pattern matching, as the default bus applies a rule's pattern to an event:
// every pattern key must match (AND); a leaf is an array of alternatives (OR) — literal strings,
// numbers, booleans and null (exact, null ≠ ""), `{prefix}`, `{suffix}`, `{equals-ignore-case}`,
// `{anything-but: value | [values] | {prefix} | {suffix}}` and `{exists: true|false}`; `$or` is a
// list of sub-patterns of which one must match; an event field that is an array matches when any
// element does. A missing field matches only `{exists: false}`. An operator this file does not
// know throws (a rule the local pipeline cannot play must not silently match nothing).
export type Pattern = { [key: string]: unknown };

type Scalar = string | number | boolean | null;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function scalarOf(v: unknown): v is Scalar {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function textTest(op: Record<string, unknown>, value: Scalar): boolean | undefined {
  if (typeof op.prefix === 'string') return typeof value === 'string' && value.startsWith(op.prefix);
  if (typeof op.suffix === 'string') return typeof value === 'string' && value.endsWith(op.suffix);
  if (typeof op['equals-ignore-case'] === 'string')
    return typeof value === 'string' && value.toLowerCase() === op['equals-ignore-case'].toLowerCase();
  return undefined;
}

function anythingBut(spec: unknown, value: Scalar): boolean {
  if (Array.isArray(spec)) return spec.every((s) => anythingBut(s, value));
  if (isObject(spec)) {
    const hit = textTest(spec, value);
    if (hit === undefined) throw new Error(`unsupported anything-but operand: ${JSON.stringify(spec)}`);
    return !hit;
  }
  if (!scalarOf(spec)) throw new Error(`unsupported anything-but operand: ${JSON.stringify(spec)}`);
  return spec !== value;
}

/** One alternative of a leaf against one present scalar value. */
function alternative(alt: unknown, value: Scalar): boolean {
  if (scalarOf(alt)) return alt === value;
  if (!isObject(alt)) throw new Error(`unsupported pattern value: ${JSON.stringify(alt)}`);
  if ('exists' in alt) return alt.exists === true;
  if ('anything-but' in alt) return anythingBut(alt['anything-but'], value);
  const hit = textTest(alt, value);
  if (hit === undefined) throw new Error(`unsupported pattern operator: ${JSON.stringify(alt)}`);
  return hit;
}

function leaf(alternatives: unknown[], value: unknown): boolean {
  if (value === undefined) return alternatives.some((a) => isObject(a) && a.exists === false);
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => scalarOf(v) && alternatives.some((a) => alternative(a, v)));
}

/** Whether `event` matches `pattern` (EventBridge semantics, see the header). */
export function matchesPattern(pattern: Pattern, event: unknown): boolean {
  for (const [key, spec] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(spec)) throw new Error('$or must be an array of patterns');
      if (!spec.some((p) => matchesPattern(p as Pattern, event))) return false;
      continue;
    }
    const value = isObject(event) ? event[key] : undefined;
    if (Array.isArray(spec)) {
      if (!leaf(spec, value)) return false;
    } else if (isObject(spec)) {
      // A nested pattern: the event's object (or an array of objects, any of which may match).
      const objects = Array.isArray(value) ? value : [value];
      if (!objects.some((o) => matchesPattern(spec, isObject(o) ? o : undefined))) return false;
    } else {
      throw new Error(`pattern field "${key}" must be an array or an object, got ${JSON.stringify(spec)}`);
    }
  }
  return true;
}
