// The published JSON Schema: current on disk, a valid draft 2020-12 schema, and in agreement
// with validateStatic on the fixtures and on the rules a schema can state.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { SCHEMA_ID, documentSchema, documentSchemaText } from '../../functions/reconciler/desired/json-schema.ts';
import { SCHEMA_FILE } from '../../scripts/gen-schema.ts';
import { fixtureDocuments } from './desired-helpers.ts';

function compile(): ReturnType<Ajv2020['compile']> {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  return ajv.compile(documentSchema());
}

describe('documentSchema', () => {
  test('the committed schema/desired-state.schema.json is current (regenerate: node scripts/gen-schema.ts)', () => {
    // Not assert.equal: its diff of two 20 KB texts would bury the instruction.
    assert.ok(
      readFileSync(SCHEMA_FILE, 'utf8') === documentSchemaText(),
      'schema/desired-state.schema.json is stale: run `node scripts/gen-schema.ts` (Node 24)',
    );
  });

  test("is a draft 2020-12 schema with the project's $id, closed at every level", () => {
    const schema = documentSchema();
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(schema.$id, SCHEMA_ID);
    assert.equal(SCHEMA_ID, 'https://transfer-reconciler.dev/schema/desired-state.json');
    const open: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, unknown>;
      if (n.type === 'object' && n.additionalProperties !== false) open.push(path);
      for (const [k, v] of Object.entries(n.properties ?? {})) walk(v, `${path}.${k}`);
      if (n.items) walk(n.items, `${path}[]`);
    };
    walk(schema, '$');
    assert.deepEqual(open, []);
  });

  test('compiles in strict mode (ajv 2020)', () => {
    assert.equal(typeof compile(), 'function');
  });

  test('every valid fixture passes the schema', () => {
    const validate = compile();
    for (const { name, value } of fixtureDocuments('valid')) {
      assert.equal(validate(value), true, `${name}: ${JSON.stringify(validate.errors)}`);
    }
  });

  test('model lengths, anchored patterns, enums, sets and unknown keys are in the schema', () => {
    const validate = compile();
    const rejected = [
      { Protocol: ['SFTP'] },
      { Protocols: ['SFTP', 'SFTP'] },
      { Protocols: ['SFTPX'] },
      { Protocols: [] },
      { ServerId: 'xs-0123456789abcdef0' },
      { PreAuthenticationLoginBanner: 'caf\u00e9' },
      { PreAuthenticationLoginBanner: 'a'.repeat(4097) },
      { ProtocolDetails: { PassiveIp: '1.2.3' } },
      { StructuredLogDestinations: ['arn:aws:logs:us-east-1:111122223333:log-group:x'] },
      { HostKey: 'inline' },
      { HostKey: { SecureStringParameter: 'a/b' } },
      { HostKey: {} },
      { Tags: [{ Key: 'a' }] },
      { Reconciler: { Mode: 'Enforce' } },
      { State: 'RUNNING' },
      { LoggingRole: null },
      { WorkflowDetails: { OnUpload: [{ WorkflowId: 'w-0123456789abcdefg' }] } },
      { EndpointDetails: { SubnetIds: ['a'], Extra: 1 } },
    ];
    for (const doc of rejected) assert.equal(validate(doc), false, JSON.stringify(doc).slice(0, 100));
  });

  test('the Secrets Manager reference and ordinary parameter names pass', () => {
    const validate = compile();
    for (const name of ['/aws/reference/secretsmanager/prod/key', '/transfer-reconciler/host-keys/s-0123456789abcdef0', 'plain-name']) {
      assert.equal(validate({ HostKey: { SecureStringParameter: name } }), true, name);
    }
    assert.equal(validate({ HostKey: { SecureStringParameter: '/aws/other' } }), false);
  });
});
