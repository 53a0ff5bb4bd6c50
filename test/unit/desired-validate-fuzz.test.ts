// validateStatic never throws, whatever it is given: only {ok: true} or {ok: false, issues}.
// Near-valid documents that the contract calls invalid are always invalid, and text that is not
// a document never gets past parsing with anything but the validator's own error.
// FUZZ_RUNS=10000 scales every property (the soak); the end-to-end fuzz is fuzz-no-writes.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { InvalidDesiredStateError } from '../../functions/reconciler/errors.ts';
import { desiredFromText } from '../../functions/reconciler/desired/load-desired.ts';
import { parseDocumentText } from '../../functions/reconciler/desired/parse.ts';
import type { ParseResult } from '../../functions/reconciler/desired/parse.ts';
import { validateStatic } from '../../functions/reconciler/desired/validate-static.ts';
import type { StaticResult } from '../../functions/reconciler/desired/validate-static.ts';
import { applyInvalidMutation, applyTextMutation, fuzzRuns, invalidMutation, textMutation } from '../helpers/document-mutations.ts';
import { SERVER_ID, fixtureDocuments } from './desired-helpers.ts';

const RUNS = fuzzRuns(300);

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
  const parent = path.slice(0, -1).reduce<unknown>((node, seg) => (node as Record<string | number, unknown>)[seg], copy) as Record<
    string | number,
    unknown
  >;
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
      fc.property(
        fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true, withSparseArray: true, maxDepth: 4 }),
        (value) => {
          assertWellFormed(validateStatic(value, { source: 'fuzz', expectedServerId: SERVER_ID }));
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('on objects with document keys and random values', () => {
    const keys = fc.constantFrom(
      'Protocols',
      'ProtocolDetails',
      'EndpointDetails',
      'Tags',
      'HostKey',
      'Reconciler',
      'WorkflowDetails',
      'State',
      'ServerId',
      'StructuredLogDestinations',
      'PreAuthenticationLoginBanner',
      '__proto__',
      'constructor',
    );
    fc.assert(
      fc.property(
        fc.dictionary(keys, fc.anything({ maxDepth: 3 })),
        fc.constantFrom<'Standard' | 'Advanced' | undefined>('Standard', 'Advanced', undefined),
        (doc, tier) => {
          assertWellFormed(validateStatic(doc, { source: 'fuzz', expectedServerId: SERVER_ID, ...(tier ? { tier } : {}) }));
        },
      ),
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
    for (const key of [
      'Certificate',
      'LoggingRole',
      'SecurityPolicyName',
      'PreAuthenticationLoginBanner',
      'ServerId',
      'State',
      'IpAddressType',
    ]) {
      for (const value of [huge, control, `arn:${'role/'.repeat(10_000)} x`])
        assertWellFormed(validateStatic({ [key]: value }, { source: 'fuzz' }));
    }
    assertWellFormed(validateStatic({ [huge]: 1, [control]: 2 }, { source: 'fuzz' }));
    assertWellFormed(
      validateStatic({ Tags: Array.from({ length: 5000 }, (_, i) => ({ Key: `k${i % 7}`, Value: control })) }, { source: 'fuzz' }),
    );
  });

  test('an inline host key never appears in any issue or warning', () => {
    fc.assert(
      fc.property(
        fc.string({
          minLength: 12,
          maxLength: 300,
          unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n-'.split('')),
        }),
        (key) => {
          const text = `-----BEGIN OPENSSH PRIVATE KEY-----\n${key}\n-----END OPENSSH PRIVATE KEY-----\n`;
          const result = validateStatic({ ...validDocument, HostKey: text }, { source: 'fuzz', expectedServerId: SERVER_ID });
          assert.equal(result.ok, false);
          const said = [...(result.ok ? [] : result.issues.map((i) => i.message)), ...result.warnings].join('\n');
          assert.ok(!said.includes(key), 'the key text leaked into a message');
          assert.ok(!said.includes('-----BEGIN'));
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('near-valid mutations (wrong type, unknown key, huge string, control character, bad ARN, duplicate, null) are always invalid', () => {
    const bases = fixtureDocuments('valid').map((f) => f.value as Record<string, unknown>);
    for (const base of bases) assert.equal(validateStatic(base, { source: 'fuzz', expectedServerId: SERVER_ID }).ok, true);
    fc.assert(
      fc.property(fc.nat(), fc.array(invalidMutation, { minLength: 1, maxLength: 3 }), (which, mutations) => {
        const base = bases[which % bases.length] as Record<string, unknown>;
        // Each mutation applies to the previous result while it is still an object.
        const doc = mutations.reduce<unknown>(
          (d, m) => (typeof d === 'object' && d !== null && !Array.isArray(d) ? applyInvalidMutation(d as Record<string, unknown>, m) : d),
          base,
        );
        const result = validateStatic(doc, { source: 'fuzz', expectedServerId: SERVER_ID });
        assert.equal(result.ok, false, `accepted: ${JSON.stringify(mutations).slice(0, 300)}`);
        assertWellFormed(result);
      }),
      { numRuns: RUNS * 3 },
    );
  });
});

function assertParsed(result: ParseResult, text: string): void {
  if (result.ok) return;
  assert.ok(result.issues.length > 0);
  for (const issue of result.issues) {
    assert.equal(issue.path, '$');
    assert.equal(typeof issue.message, 'string');
    // Malformed text is located (line, column), never quoted: it may be a pasted key.
    if (text.includes('QUOTEMEQUOTEME')) assert.ok(!issue.message.includes('QUOTEMEQUOTEME'), issue.message);
  }
}

describe('text that is not a document', () => {
  const validTexts = fixtureDocuments('valid').map((f) => JSON.stringify(f.value, null, 2));
  const anyText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 400 }),
    fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
    fc
      .tuple(fc.nat(), fc.array(textMutation, { minLength: 1, maxLength: 3 }))
      .map(([i, ms]) => ms.reduce((t, m) => applyTextMutation(t, m), validTexts[i % validTexts.length] ?? '{}')),
    fc.string({ maxLength: 40 }).map((s) => `{"Protocols": ["SFTP"], "QUOTEMEQUOTEME${s}`),
  );

  test('parseDocumentText (JSON and YAML) never throws and reports problems at $', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom<'json' | 'yaml'>('json', 'yaml'), (text, format) => {
        assertParsed(parseDocumentText(text, format), text);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  test('desiredFromText (offline) resolves or rejects with InvalidDesiredStateError only', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, async (text) => {
        try {
          await desiredFromText(text, { kind: 'parameter', name: `/fuzz/${SERVER_ID}`, version: 1 }, SERVER_ID);
        } catch (err) {
          assert.ok(err instanceof InvalidDesiredStateError, `threw ${err instanceof Error ? err.name : typeof err}`);
          assert.ok(!err.message.includes('the validator failed'), err.message);
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });
});
