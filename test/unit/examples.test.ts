// The documents in examples/ are what newcomers copy: every valid one must pass the published JSON
// Schema (what their editor checks) and the reconciler's static validation (what push checks), and
// the invalid one must fail where examples/README.md says it does.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { formatOfPath, parseDocumentText } from '../../functions/reconciler/desired/parse.ts';
import { validateStatic } from '../../functions/reconciler/desired/validate-static.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLES = join(ROOT, 'examples');
const SCHEMA_FILE = join(ROOT, 'schema', 'desired-state.schema.json');

function documentsIn(folder: string): Array<{ path: string; serverId: string; value: Record<string, unknown> }> {
  return readdirSync(join(EXAMPLES, folder))
    .filter((n) => formatOfPath(n) !== undefined)
    .sort()
    .map((name) => {
      const path = join(EXAMPLES, folder, name);
      const parsed = parseDocumentText(readFileSync(path, 'utf8'), formatOfPath(name) ?? 'json');
      assert.ok(parsed.ok, `${name} does not parse`);
      return { path, serverId: basename(name).replace(/\.(json|ya?ml)$/, ''), value: parsed.value as Record<string, unknown> };
    });
}

const valid = [...documentsIn('servers'), ...documentsIn('features')];
const servers = documentsIn('servers');
const invalid = documentsIn('invalid');
const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
const check = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

describe('examples/', () => {
  test('holds the servers the demo uses: a, b, c, d and f valid, e invalid', () => {
    assert.deepEqual(
      servers.map((d) => d.serverId),
      ['s-0000000000000000a', 's-0000000000000000b', 's-0000000000000000c', 's-0000000000000000d', 's-0000000000000000f'],
    );
    assert.deepEqual(
      documentsIn('features').map((d) => d.serverId),
      ['s-0000000000000001a'],
    );
    assert.deepEqual(
      invalid.map((d) => d.serverId),
      ['s-0000000000000000e'],
    );
  });

  for (const doc of [...valid, ...invalid]) {
    test(`${basename(doc.path)}: "$schema" is a relative path to the committed schema, and ServerId matches the file name`, () => {
      assert.equal(typeof doc.value.$schema, 'string');
      const target = resolve(dirname(doc.path), doc.value.$schema as string);
      assert.equal(target, SCHEMA_FILE);
      assert.ok(existsSync(target));
      assert.equal(doc.value.ServerId, doc.serverId);
    });
  }

  for (const doc of valid) {
    test(`${basename(doc.path)} passes the JSON Schema`, () => {
      const ok = check(doc.value);
      assert.deepEqual(ok ? [] : check.errors, []);
    });

    test(`${basename(doc.path)} passes static validation`, () => {
      const r = validateStatic(doc.value, { source: doc.path, expectedServerId: doc.serverId });
      assert.deepEqual(r.ok ? [] : r.issues, []);
    });
  }

  // The deployed Lambdas may pass only roles under the passRolePrefix stage parameter
  // (infra/aws/roles.yml): an example naming another role would be refused by IAM as copied.
  test('every role ARN in the valid examples (and the demo) lies under the default pass-role prefix', () => {
    const config = parseYaml(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as { params: { default: { passRolePrefix: string } } };
    const prefix = config.params.default.passRolePrefix;
    assert.equal(prefix, 'transfer-reconciler/');
    const roles: string[] = [];
    const walk = (v: unknown, key: string): void => {
      if (Array.isArray(v)) v.forEach((x) => walk(x, key));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
      else if (typeof v === 'string' && (/Role$/.test(key) || v.includes(':role/'))) roles.push(v);
    };
    for (const doc of valid) walk(doc.value, '');
    assert.ok(roles.length >= 4, roles.join('\n'));
    const demo = readFileSync(join(EXAMPLES, 'demo', 'world.ts'), 'utf8').match(/arn:aws:iam::\d{12}:role\/[^'"\s]+/g) ?? [];
    const outside = [...roles, ...demo].filter((arn) => !arn.startsWith(`arn:aws:iam::000000000000:role/${prefix}`));
    assert.deepEqual(outside, []);
  });

  test('the invalid example fails static validation at each documented path', () => {
    const [doc] = invalid;
    assert.ok(doc);
    const r = validateStatic(doc.value, { source: doc.path, expectedServerId: doc.serverId });
    assert.equal(r.ok, false);
    const paths = r.ok ? [] : r.issues.map((i) => i.path).sort();
    assert.deepEqual(paths, ['$.EndpointType', '$.LoggingRole', '$.Protocol', '$.ProtocolDetails.PassiveIp', '$.Tags[0].Key']);
    const typo = r.ok ? undefined : r.issues.find((i) => i.path === '$.Protocol');
    assert.match(typo?.message ?? '', /did you mean "Protocols"/);
  });

  test('the invalid example also fails the JSON Schema (unknown key, malformed role ARN)', () => {
    const [doc] = invalid;
    assert.ok(doc);
    assert.equal(check(doc.value), false);
    const where = (check.errors ?? []).map((e) => `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`);
    assert.ok(
      where.some((w) => w.includes('additionalProperties') && w.includes('Protocol"')),
      where.join('\n'),
    );
    assert.ok(
      where.some((w) => w.startsWith('/LoggingRole|pattern')),
      where.join('\n'),
    );
  });
});
