// Fuzzing arbitraries for desired-state documents, shared by the in-process validation fuzz
// (test/unit/desired-validate-fuzz.test.ts) and the end-to-end one (test/integration/fuzz-no-writes.test.ts).
// `invalidMutation` makes near-valid documents that the contract (desired-state.md) says are
// invalid whatever the base: a wrong type, an unknown key, a string over every length limit,
// a control character in a banner, a malformed ARN, a duplicate in a set, a null.
import fc from 'fast-check';
import { DOCUMENT, SET_PATHS, nodeAt } from '../../functions/reconciler/desired/keys.ts';
import type { CatalogueNode } from '../../functions/reconciler/desired/catalogue-types.ts';

/** Number of fuzz runs: FUZZ_RUNS in the environment (the soak runs ≥ 10,000), else `fallback`. */
export function fuzzRuns(fallback: number): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function keysOf(node: CatalogueNode, out: Set<string>): Set<string> {
  if (node.type === 'object') {
    for (const [name, member] of Object.entries(node.members)) {
      out.add(name);
      keysOf(member, out);
    }
  } else if (node.type === 'list') keysOf(node.item, out);
  return out;
}

/** Every key the document knows, at any depth: a key outside this set is unknown wherever it goes. */
export const KNOWN_KEYS: ReadonlySet<string> = keysOf(DOCUMENT, new Set());

export type Segment = string | number;

/** Every path inside a value, the root ([]) included, in document order. */
export function pathsOf(value: unknown, prefix: Segment[] = []): Segment[][] {
  const out = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...pathsOf(item, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

function get(root: unknown, path: Segment[]): unknown {
  return path.reduce<unknown>(
    (node, seg) => (typeof node === 'object' && node !== null ? (node as Record<Segment, unknown>)[seg] : undefined),
    root,
  );
}

/** Sets a member as an own, enumerable property (so "__proto__" is a key, not the prototype). */
function put(target: Record<string, unknown> | unknown[], key: Segment, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Returns a copy of `root` with the value at `path` replaced (the root itself when path is []). */
function replaceAt(root: unknown, path: Segment[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root);
  put(get(copy, path.slice(0, -1)) as Record<string, unknown>, path[path.length - 1] as Segment, value);
  return copy;
}

/**
 * Whether a string at this path has a limit a huge value breaks. Not so: $schema (ignored) and
 * the EC2 IDs VpcId, SubnetIds and AddressAllocationIds, which the Transfer model leaves
 * unconstrained (AWS would refuse a bad one in UpdateServer).
 */
function isLimited(path: Segment[]): boolean {
  const node = catalogueNode(path);
  return (
    node?.type === 'string' &&
    (node.max !== undefined || node.enum !== undefined || node.pattern !== undefined || node.format !== undefined)
  );
}

function catalogueNode(path: Segment[]): CatalogueNode | undefined {
  if (path.length === 0) return DOCUMENT;
  return nodeAt(
    path
      .map((seg) => (typeof seg === 'number' ? '[]' : `.${seg}`))
      .join('')
      .slice(1),
  );
}

const NODE_JSON_TYPES: Record<CatalogueNode['type'], string> = { object: 'object', list: 'array', string: 'string', boolean: 'boolean' };

function jsonType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

const TYPE_POOL: unknown[] = [0, 1.5, -7, true, false, 'text', '', [], ['x'], {}, { a: 1 }];

/** Control characters and non-ASCII: outside the banners' [\x09-\x0D\x20-\x7E]. */
const BANNER_BREAKERS = [
  ...Array.from({ length: 9 }, (_, i) => String.fromCharCode(i)),
  ...Array.from({ length: 18 }, (_, i) => String.fromCharCode(0x0e + i)),
  '\x7f',
  'é',
  '\u2028',
  '\u{1F600}',
];

/** ARNs that each field's pattern or format refuses. */
const BAD_ARNS: Record<string, string[]> = {
  role: [
    'arn:aws:iam::111122223333:user/logging',
    'iam::111122223333:role/logging',
    'arn:aws:iam::111122223333:role/',
    'arn:aws:iam::111122223333:role/with space',
    'arm:aws:iam::111122223333:role/logging',
  ],
  logGroup: [
    'arn:aws:logs:us-east-1:111122223333:log-group:transfer',
    'arn:aws:logs:us-east-1:1111:log-group:transfer:*',
    'arn:aws:s3:::bucket',
    'arn:aws:logs:us-east-1:111122223333:log-group::*',
    'log-group:transfer:*',
  ],
  lambda: [
    'arn:aws:lambd:us-east-1:111122223333:function:idp',
    'arn:AWS:lambda:us-east-1:111122223333:function:idp',
    'lambda:us-east-1:111122223333:function:idp',
    'arn::lambda:us-east-1:1:function:x',
  ],
};

export type InvalidMutation =
  | { kind: 'wrong-type'; at: number; pick: number }
  | { kind: 'unknown-key'; at: number; key: string; value: unknown }
  | { kind: 'huge-string'; at: number; length: number; char: string }
  | {
      kind: 'banner-control';
      banner: 'PreAuthenticationLoginBanner' | 'PostAuthenticationLoginBanner';
      text: string;
      breaker: string;
      pos: number;
    }
  | { kind: 'bad-arn'; field: 'LoggingRole' | 'StructuredLogDestinations' | 'Function' | 'ExecutionRole'; pick: number }
  | { kind: 'duplicate'; pick: number }
  | { kind: 'null'; at: number };

const printable = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz ABC0123456789.,!-\t\n'.split('')), maxLength: 60 });

export const invalidMutation: fc.Arbitrary<InvalidMutation> = fc.oneof(
  fc.record({ kind: fc.constant('wrong-type' as const), at: fc.nat(), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('unknown-key' as const),
    at: fc.nat(),
    key: fc.oneof(
      fc.string({ minLength: 1, maxLength: 20 }),
      fc.constantFrom(
        'Protocol',
        'protocols',
        'PassiveIP',
        'Tag',
        'key',
        'value',
        'EndpointDetail',
        '__proto__',
        'constructor',
        'Mode ',
        'hostKey',
      ),
    ),
    value: fc.jsonValue({ maxDepth: 1 }),
  }),
  fc.record({
    kind: fc.constant('huge-string' as const),
    at: fc.nat(),
    length: fc.integer({ min: 4097, max: 9000 }),
    char: fc.constantFrom('a', 'Z', '7', ' ', '-'),
  }),
  fc.record({
    kind: fc.constant('banner-control' as const),
    banner: fc.constantFrom('PreAuthenticationLoginBanner' as const, 'PostAuthenticationLoginBanner' as const),
    text: printable,
    breaker: fc.constantFrom(...BANNER_BREAKERS),
    pos: fc.nat(),
  }),
  fc.record({
    kind: fc.constant('bad-arn' as const),
    field: fc.constantFrom('LoggingRole' as const, 'StructuredLogDestinations' as const, 'Function' as const, 'ExecutionRole' as const),
    pick: fc.nat(),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('null' as const), at: fc.nat() }),
);

function pickFrom<T>(items: readonly T[], n: number): T {
  const item = items[n % items.length];
  if (item === undefined) throw new Error('pickFrom: empty list');
  return item;
}

/** Applies one mutation to a copy of `doc` (an object). The result is invalid by the contract. */
export function applyInvalidMutation(doc: Record<string, unknown>, m: InvalidMutation): unknown {
  const paths = pathsOf(doc);
  switch (m.kind) {
    case 'wrong-type': {
      const path = pickFrom(paths, m.at);
      // Wrong for the catalogue, not merely different: an earlier mutation may have put a wrong type there already.
      const node = catalogueNode(path);
      const avoid = node ? NODE_JSON_TYPES[node.type] : jsonType(get(doc, path));
      const value = [...TYPE_POOL.slice(m.pick % TYPE_POOL.length), ...TYPE_POOL].find((v) => jsonType(v) !== avoid);
      return replaceAt(doc, path, value);
    }
    case 'unknown-key': {
      const objects = paths.filter((p) => jsonType(get(doc, p)) === 'object');
      const path = pickFrom(objects, m.at);
      let key = m.key;
      while (KNOWN_KEYS.has(key)) key = `${key}x`;
      const copy = structuredClone(doc);
      put(get(copy, path) as Record<string, unknown>, key, m.value);
      return copy;
    }
    case 'huge-string': {
      const strings = paths.filter((p) => typeof get(doc, p) === 'string' && isLimited(p));
      const path = strings.length > 0 ? pickFrom(strings, m.at) : ['PreAuthenticationLoginBanner'];
      return replaceAt(doc, path, m.char.repeat(m.length));
    }
    case 'banner-control': {
      const pos = m.pos % (m.text.length + 1);
      return { ...doc, [m.banner]: `${m.text.slice(0, pos)}${m.breaker}${m.text.slice(pos)}` };
    }
    case 'bad-arn': {
      const copy = structuredClone(doc);
      if (m.field === 'LoggingRole') copy.LoggingRole = pickFrom(BAD_ARNS.role ?? [], m.pick);
      else if (m.field === 'StructuredLogDestinations') copy.StructuredLogDestinations = [pickFrom(BAD_ARNS.logGroup ?? [], m.pick)];
      else if (m.field === 'Function') {
        const details =
          jsonType(copy.IdentityProviderDetails) === 'object' ? (copy.IdentityProviderDetails as Record<string, unknown>) : {};
        copy.IdentityProviderDetails = { ...details, Function: pickFrom(BAD_ARNS.lambda ?? [], m.pick) };
      } else {
        copy.WorkflowDetails = {
          OnUpload: [{ WorkflowId: 'w-0123456789abcdefg', ExecutionRole: pickFrom(BAD_ARNS.role ?? [], m.pick) }],
          OnPartialUpload: [],
        };
      }
      return copy;
    }
    case 'duplicate': {
      const present = SET_PATHS.map((p) => p.split('.')).filter((p) => Array.isArray(get(doc, p)) && (get(doc, p) as unknown[]).length > 0);
      if (present.length === 0) return { ...doc, Protocols: ['SFTP', 'SFTP'] };
      const path = pickFrom(present, m.pick);
      const list = get(doc, path) as unknown[];
      return replaceAt(doc, path, [...list, pickFrom(list, m.pick)]);
    }
    case 'null':
      return replaceAt(doc, pickFrom(paths, m.at), null);
  }
}

/** Text-level damage to a document's JSON text: cut it, drop, insert or swap one character. */
export type TextMutation = { kind: 'truncate' | 'delete' | 'insert' | 'replace'; pos: number; char: string };

export const textMutation: fc.Arbitrary<TextMutation> = fc.record({
  kind: fc.constantFrom<TextMutation['kind']>('truncate', 'delete', 'insert', 'replace'),
  pos: fc.nat(),
  char: fc.oneof(
    fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', '\u0000', '\n', 'n', '0', '-', 'e'),
    fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
  ),
});

export function applyTextMutation(text: string, m: TextMutation): string {
  const pos = m.pos % (text.length + 1);
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, pos);
    case 'delete':
      return text.slice(0, pos) + text.slice(pos + 1);
    case 'insert':
      return text.slice(0, pos) + m.char + text.slice(pos);
    case 'replace':
      return text.slice(0, pos) + m.char + text.slice(pos + 1);
  }
}
