// Linear validation (defect 4): the size verdict is the first issue, one document reports at most
// MAX_ISSUES problems plus one that counts the rest, and the work grows linearly with the
// document: counted, not timed, as the number of times validation touches the document (a Proxy
// counts every property read, key listing and descriptor look-up).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { validateShape } from '../../functions/shared/model-validate.ts';
import type { PathSegment } from '../../functions/shared/model-validate.ts';
import { canonicalJson, canonicalSize } from '../../functions/reconciler/desired/canonical-json.ts';
import { MAX_ISSUES } from '../../functions/reconciler/desired/issue-path.ts';
import { DOCUMENT, transferModel } from '../../functions/reconciler/desired/keys.ts';
import type { CatalogueNode } from '../../functions/reconciler/desired/catalogue-types.ts';
import { nodeViolations } from '../../functions/reconciler/desired/rules/model-node.ts';
import { validateStatic } from '../../functions/reconciler/desired/validate-static.ts';
import { issuesOf } from './desired-helpers.ts';

function unknownKeys(n: number): Record<string, unknown> {
  const doc: Record<string, unknown> = { Protocols: ['SFTP'] };
  for (let i = 0; i < n; i += 1) doc[`UnknownKey${i}`] = i;
  return doc;
}

/** A deep Proxy of `value` that counts every trap validation triggers (one proxy per object, as a document has one object per place). */
function counted(value: unknown, counter: { n: number; proxies?: WeakMap<object, unknown> }): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const target = value as Record<PropertyKey, unknown>;
  counter.proxies ??= new WeakMap();
  const known = counter.proxies.get(target);
  if (known !== undefined) return known;
  const proxy = new Proxy(target, {
    get(t, key, receiver) {
      counter.n += 1;
      return counted(Reflect.get(t, key, receiver), counter);
    },
    ownKeys(t) {
      counter.n += 1;
      return Reflect.ownKeys(t);
    },
    getOwnPropertyDescriptor(t, key) {
      counter.n += 1;
      return Reflect.getOwnPropertyDescriptor(t, key);
    },
    has(t, key) {
      counter.n += 1;
      return Reflect.has(t, key);
    },
  });
  counter.proxies.set(target, proxy);
  return proxy;
}

function touches(doc: unknown): number {
  const counter = { n: 0 };
  const result = validateStatic(counted(doc, counter), { source: 'test' });
  assert.equal(result.ok, false);
  return counter.n;
}

describe('validation is linear and bounded', () => {
  test('20,000 unknown keys: the size verdict first, then the first 99 keys in order, then a count of the rest', () => {
    const doc = unknownKeys(20_000);
    const issues = issuesOf(doc);
    assert.equal(issues.length, MAX_ISSUES + 1);
    assert.equal(issues[0]?.path, '$');
    assert.match(issues[0]?.message ?? '', /^the document is \d+ bytes as canonical JSON, over the 8192-byte limit/);
    assert.deepEqual(
      issues.slice(1, MAX_ISSUES).map((i) => i.path),
      Array.from({ length: MAX_ISSUES - 1 }, (_, i) => `$.UnknownKey${i}`),
    );
    assert.deepEqual(issues.at(-1), {
      path: '$',
      message: `… and ${20_001 - MAX_ISSUES} more problems, not listed: a document reports at most ${MAX_ISSUES}. Fix these and validate again.`,
    });
  });

  test('the size verdict is first even when other problems sort before it in the document', () => {
    const doc = { Aaa: 1, ...unknownKeys(3) };
    const issues = issuesOf(doc, { tier: 'Standard', sizeBytes: 5000 });
    assert.match(issues[0]?.message ?? '', /over the 4096-byte limit of a Standard-tier/);
    assert.deepEqual(
      issues.slice(1).map((i) => i.path),
      ['$.Aaa', '$.UnknownKey0', '$.UnknownKey1', '$.UnknownKey2'],
    );
  });

  test('problems beyond the cap are counted, never listed; a document at the cap lists them all', () => {
    assert.equal(issuesOf(unknownKeys(MAX_ISSUES), { sizeBytes: 1 }).length, MAX_ISSUES);
    const over = issuesOf(unknownKeys(MAX_ISSUES + 1), { sizeBytes: 1 });
    assert.equal(over.length, MAX_ISSUES + 1);
    assert.match(over.at(-1)?.message ?? '', /^… and 1 more problem, not listed/);
  });

  test('with the cap full, a problem found late but placed early still takes its place in document order', () => {
    // The seed rule (FTP needs EndpointType VPC) is checked after the walk found 150 unknown keys further down.
    const doc: Record<string, unknown> = { Protocols: ['FTP'], EndpointType: 'PUBLIC' };
    for (let i = 0; i < 150; i += 1) doc[`UnknownKey${i}`] = i;
    const paths = issuesOf(doc, { sizeBytes: 1 }).map((i) => i.path);
    assert.deepEqual(paths.slice(0, 3), ['$.EndpointType', '$.UnknownKey0', '$.UnknownKey1']);
    assert.equal(paths.length, MAX_ISSUES + 1);
    assert.equal(paths[MAX_ISSUES - 1], `$.UnknownKey${MAX_ISSUES - 2}`);
  });

  test('document touches grow linearly: unknown keys, a long list, nested objects', () => {
    const shapes: Array<(n: number) => unknown> = [
      unknownKeys,
      (n) => ({ Protocols: Array.from({ length: n }, () => 'SFTP') }),
      (n) => ({ Tags: Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: 'v', Extra: i })) }),
      (n) => ({ ProtocolDetails: Object.fromEntries(Array.from({ length: n }, (_, i) => [`Member${i}`, i])) }),
    ];
    for (const make of shapes) {
      const small = touches(make(2_000));
      const large = touches(make(4_000));
      // Twice the document, about twice the work (a quadratic step would make it four times).
      assert.ok(large / small < 2.3, `touches ${small} → ${large} (×${(large / small).toFixed(2)})`);
    }
  });

  test('canonicalSize counts exactly the bytes of canonicalJson', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => canonicalSize(value) === Buffer.byteLength(canonicalJson(value), 'utf8')),
      { numRuns: 500, seed: 11 },
    );
  });

  test("nodeViolations is validateShape's verdict on the node itself", () => {
    const nodes: Array<{ shape: string; path: PathSegment[] }> = [];
    const collect = (node: CatalogueNode, path: PathSegment[]): void => {
      if (node.shape !== undefined) nodes.push({ shape: node.shape, path });
      if (node.type === 'object') for (const [k, child] of Object.entries(node.members)) collect(child, [...path, k]);
      else if (node.type === 'list') collect(node.item, [...path, 0]);
    };
    collect(DOCUMENT, []);
    assert.ok(nodes.length > 30);
    const here = (path: PathSegment[]) => (v: { path: PathSegment[]; kind: string }) =>
      v.kind !== 'unknown-member' && v.path.length === path.length && v.path.every((s, i) => s === path[i]);
    const values = fc.oneof(fc.jsonValue(), fc.constantFrom('SFTP', 'AUTO', 'vpce-0123456789abcdef0', 's-0123456789abcdef0', ''));
    fc.assert(
      fc.property(fc.constantFrom(...nodes), values, ({ shape, path }, value) => {
        const ours = nodeViolations(transferModel, shape, value, path);
        const reference = validateShape(transferModel, shape, value, path).filter(here(path));
        assert.deepEqual(ours, reference);
      }),
      { numRuns: 3000, seed: 5 },
    );
  });
});
