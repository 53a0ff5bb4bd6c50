// validateStatic never throws, whatever it is given: only {ok: true} or {ok: false, issues}.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { validateStatic } from '../../functions/reconciler/desired/validate-static.ts';
import type { StaticResult } from '../../functions/reconciler/desired/validate-static.ts';
import { SERVER_ID, fixtureDocuments } from './desired-helpers.ts';

const RUNS = 300;

function assertWellFormed(result: StaticResult): void {
  assert.ok(Array.isArray(result.warnings));
  if (result.ok) {
    assert.equal(typeof result.document, 'object');
    return;
  }
  assert.ok(result.issues.length > 0);
  for (const issue of result.issues) {
    assert.match(issue.path, /^\$/);
    assert.equal(typeof issue.message, 'string');
    assert.ok(issue.message.length > 0);
    // The catch-all in validateStatic must never be reached.
    assert.ok(!issue.message.includes('the validator failed'), issue.message);
  }
}

const validDocument = fixtureDocuments('valid').find((f) => f.name === 'ftps-vpc-lambda.json')?.value as Record<string, unknown>;

/** Every path (as segments) inside a value, the root included. */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...pathsOf(item, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

type Mutation = { at: number; kind: 'replace' | 'delete' | 'add-key'; value: unknown; key: string };

function mutate(doc: unknown, m: Mutation): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const paths = pathsOf(copy);
  const path = paths[m.at % paths.length] ?? [];
  if (path.length === 0) return m.kind === 'replace' ? m.value : copy;
  const parent = path.slice(0, -1).reduce<unknown>((node, seg) => (node as Record<string | number, unknown>)[seg], copy) as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (m.kind === 'replace') parent[last] = m.value;
  else if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    const target = parent[last];
    if (typeof target === 'object' && target !== null && !Array.isArray(target)) (target as Record<string, unknown>)[m.key] = m.value;
  }
  return copy;
}

describe('validateStatic never throws', () => {
  test('on anything', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true, withSparseArray: true, maxDepth: 4 }), (value) => {
        assertWellFormed(validateStatic(value, { source: 'fuzz', expectedServerId: SERVER_ID }));
      }),
      { numRuns: RUNS },
    );
  });

  test('on objects with document keys and random values', () => {
    const keys = fc.constantFrom('Protocols', 'ProtocolDetails', 'EndpointDetails', 'Tags', 'HostKey', 'Reconciler', 'WorkflowDetails', 'State', 'ServerId', 'StructuredLogDestinations', 'PreAuthenticationLoginBanner', '__proto__', 'constructor');
    fc.assert(
      fc.property(fc.dictionary(keys, fc.anything({ maxDepth: 3 })), fc.constantFrom<'Standard' | 'Advanced' | undefined>('Standard', 'Advanced', undefined), (doc, tier) => {
        assertWellFormed(validateStatic(doc, { source: 'fuzz', expectedServerId: SERVER_ID, ...(tier ? { tier } : {}) }));
      }),
      { numRuns: RUNS },
    );
  });

  test('on mutations of a valid document', () => {
    assert.equal(validateStatic(validDocument, { source: 'fuzz', expectedServerId: SERVER_ID }).ok, true);
    const mutation = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom<Mutation['kind']>('replace', 'delete', 'add-key'),
      value: fc.oneof(fc.anything({ maxDepth: 2 }), fc.string({ unit: 'binary', maxLength: 5000 }), fc.constant(null)),
      key: fc.oneof(fc.string(), fc.constantFrom('PassiveIp', 'SubnetIds', 'Key', 'Value')),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const doc = mutations.reduce<unknown>((d, m) => mutate(d, m), validDocument);
        assertWellFormed(validateStatic(doc, { source: 'fuzz', expectedServerId: SERVER_ID }));
      }),
      { numRuns: RUNS },
    );
  });

  test('on huge strings and control characters', () => {
    const huge = 'x'.repeat(200_000);
    const control = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('');
    for (const key of ['Certificate', 'LoggingRole', 'SecurityPolicyName', 'PreAuthenticationLoginBanner', 'ServerId', 'State', 'IpAddressType']) {
      for (const value of [huge, control, `arn:${'role/'.repeat(10_000)} x`]) assertWellFormed(validateStatic({ [key]: value }, { source: 'fuzz' }));
    }
    assertWellFormed(validateStatic({ [huge]: 1, [control]: 2 }, { source: 'fuzz' }));
    assertWellFormed(validateStatic({ Tags: Array.from({ length: 5000 }, (_, i) => ({ Key: `k${i % 7}`, Value: control })) }, { source: 'fuzz' }));
  });

  test('an inline host key never appears in any issue or warning', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 12, maxLength: 300, unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n-'.split('')) }), (key) => {
        const text = `-----BEGIN OPENSSH PRIVATE KEY-----\n${key}\n-----END OPENSSH PRIVATE KEY-----\n`;
        const result = validateStatic({ ...validDocument, HostKey: text }, { source: 'fuzz', expectedServerId: SERVER_ID });
        assert.equal(result.ok, false);
        const said = [...(result.ok ? [] : result.issues.map((i) => i.message)), ...result.warnings].join('\n');
        assert.ok(!said.includes(key), 'the key text leaked into a message');
        assert.ok(!said.includes('-----BEGIN'));
      }),
      { numRuns: RUNS },
    );
  });
});
