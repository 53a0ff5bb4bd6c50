// The accounts file's rules (accounts-rules.ts): each one with its JSON path and message, the
// ExternalId limits as in the STS model, and the JSON Schema as the committed file.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { EXTERNAL_ID, validateAccounts } from '../../functions/reconciler/desired/accounts-rules.ts';
import { accountsSchemaText } from '../../functions/reconciler/desired/accounts-schema.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const entry = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: '111111111111',
  role: 'arn:aws:iam::111111111111:role/transfer-reconciler-spoke',
  externalId: 'transfer-reconciler-1',
  regions: ['eu-west-1'],
  ...extra,
});
const issuesOf = (raw: unknown): string[] => {
  const r = validateAccounts(raw);
  assert.ok(!r.ok, 'expected invalid');
  return r.issues.map((i) => `${i.path}: ${i.message}`);
};
const one = (raw: unknown, path: string, pattern: RegExp): void => {
  const lines = issuesOf(raw);
  assert.ok(
    lines.some((l) => l.startsWith(`${path}: `) && pattern.test(l)),
    `no ${path} ${pattern} in:\n${lines.join('\n')}`,
  );
};

describe('accounts file rules', () => {
  test('the example file is valid; $schema is allowed and not kept', () => {
    const raw = parseYaml(readFileSync(`${ROOT}examples/org/accounts.yaml`, 'utf8')) as Record<string, unknown>;
    const r = validateAccounts(raw);
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(
      r.accounts.accounts.map((a) => a.id),
      ['111111111111', '222222222222'],
    );
    assert.equal('$schema' in r.accounts, false);
  });

  test('shape: a mapping with accounts, a list of mappings; unknown keys name the closest', () => {
    one([], '$', /must be a mapping with "accounts:", not a list/);
    one({}, '$.accounts', /accounts is required/);
    one({ accounts: {} }, '$.accounts', /must be a list of accounts, not object/);
    one({ acounts: [] }, '$.acounts', /did you mean "accounts"\?/);
    one({ accounts: ['x'] }, '$.accounts[0]', /an account must be a mapping/);
    one({ accounts: [entry({ externalID: 'x' })] }, '$.accounts[0].externalID', /did you mean "externalId"\?/);
    for (const key of ['id', 'role', 'externalId', 'regions']) {
      const e = entry();
      delete e[key];
      one({ accounts: [e] }, '$.accounts[0]', new RegExp(`${key} is required`));
    }
  });

  test('ids: 12 digits, a string (a YAML number is named), unique', () => {
    one({ accounts: [entry({ id: '11111111111' })] }, '$.accounts[0].id', /not an AWS account id: 12 digits \(it has 11 digits\)/);
    one({ accounts: [entry({ id: 111111111111 })] }, '$.accounts[0].id', /must be a string: quote it/);
    one({ accounts: [entry(), entry()] }, '$.accounts[1].id', /account 111111111111 is listed twice \(also \$\.accounts\[0\]\)/);
  });

  test("role: an IAM role ARN, in that account, in the regions' partition", () => {
    one(
      { accounts: [entry({ role: 'transfer-reconciler-spoke' })] },
      '$.accounts[0].role',
      /is not an IAM role ARN: expected arn:<partition>:iam::<AccountId>:role\/<name>/,
    );
    one({ accounts: [entry({ role: 'arn:aws:iam::111111111111:user/x' })] }, '$.accounts[0].role', /is not an IAM role ARN/);
    one(
      { accounts: [entry({ role: 'arn:aws:iam::222222222222:role/x' })] },
      '$.accounts[0].role',
      /the role is in account 222222222222, not 111111111111/,
    );
    one({ accounts: [entry({ regions: ['cn-north-1'] })] }, '$.accounts[0].role', /partition aws, but cn-north-1 is in aws-cn/);
    assert.ok(
      validateAccounts({
        accounts: [entry({ role: 'arn:aws-cn:iam::111111111111:role/a/b/c', regions: ['cn-north-1', 'cn-northwest-1'] })],
      }).ok,
    );
    one({ accounts: [entry({ role: 42 })] }, '$.accounts[0].role', /must be an IAM role ARN string, not number/);
  });

  test('readRole: optional, the same checks as role (an IAM role ARN, in that account, in the partition)', () => {
    const read = 'arn:aws:iam::111111111111:role/transfer-reconciler-spoke-read';
    const r = validateAccounts({ accounts: [entry({ readRole: read })] });
    assert.ok(r.ok);
    assert.equal(r.accounts.accounts[0]?.readRole, read);
    assert.ok(validateAccounts({ accounts: [entry()] }).ok, 'absent is fine');
    one({ accounts: [entry({ readRole: 'transfer-reconciler-spoke-read' })] }, '$.accounts[0].readRole', /is not an IAM role ARN/);
    one({ accounts: [entry({ readRole: 'arn:aws:iam::111111111111:user/x' })] }, '$.accounts[0].readRole', /is not an IAM role ARN/);
    one(
      { accounts: [entry({ readRole: 'arn:aws:iam::222222222222:role/x' })] },
      '$.accounts[0].readRole',
      /the role is in account 222222222222, not 111111111111/,
    );
    one(
      { accounts: [entry({ role: 'arn:aws-cn:iam::111111111111:role/r', readRole: read, regions: ['cn-north-1'] })] },
      '$.accounts[0].readRole',
      /partition aws, but cn-north-1 is in aws-cn/,
    );
    one({ accounts: [entry({ readRole: 42 })] }, '$.accounts[0].readRole', /must be an IAM role ARN string, not number/);
    one({ accounts: [entry({ readrole: read })] }, '$.accounts[0].readrole', /did you mean "readRole"\?/);
  });

  test("externalId: 2 to 1224 characters of STS's set; the value is never echoed", () => {
    const secret = 'a'.repeat(1225);
    const lines = issuesOf({ accounts: [entry({ externalId: secret })] });
    assert.ok(lines.some((l) => l === '$.accounts[0].externalId: the external id has 1225 characters; STS allows 2 to 1224'));
    one({ accounts: [entry({ externalId: 'a' })] }, '$.accounts[0].externalId', /has 1 characters; STS allows 2 to 1224/);
    const bad = issuesOf({ accounts: [entry({ externalId: 'abc def-secret' })] });
    assert.ok(
      bad.some((l) => /a character STS does not allow at position 4/.test(l)),
      bad.join('\n'),
    );
    assert.ok(!bad.some((l) => l.includes('def-secret')));
    assert.ok(validateAccounts({ accounts: [entry({ externalId: 'A_b+=,.@:/-9' })] }).ok);
  });

  test("the ExternalId limits are the STS model's (the committed extract, read as data)", () => {
    const model = JSON.parse(readFileSync(`${ROOT}functions/shared/aws-models/sts.json`, 'utf8')) as {
      shapes: Record<string, { min?: number; max?: number; pattern?: string }>;
    };
    const shape = model.shapes.externalIdType;
    assert.deepEqual({ min: shape?.min, max: shape?.max, pattern: shape?.pattern }, { ...EXTERNAL_ID });
  });

  test('regions: a non-empty list of known-format regions, each once', () => {
    one({ accounts: [entry({ regions: [] })] }, '$.accounts[0].regions', /non-empty list of regions/);
    one({ accounts: [entry({ regions: 'eu-west-1' })] }, '$.accounts[0].regions', /not string/);
    one({ accounts: [entry({ regions: ['eu-wst-1'] })] }, '$.accounts[0].regions[0]', /"eu-wst-1" is not an AWS region/);
    one(
      { accounts: [entry({ regions: ['eu-west-1', 'eu-west-1'] })] },
      '$.accounts[0].regions[1]',
      /listed twice \(also \$\.accounts\[0\]\.regions\[0\]\)/,
    );
    one({ accounts: [entry({ regions: [7] })] }, '$.accounts[0].regions[0]', /a region must be a string, not number/);
  });

  test('rates greater than 0; name a short label', () => {
    for (const key of ['transferCallsPerSecond', 'ssmCallsPerSecond'])
      for (const v of [0, -1, '5', Number.POSITIVE_INFINITY])
        one({ accounts: [entry({ [key]: v })] }, `$.accounts[0].${key}`, /greater than 0/);
    assert.ok(validateAccounts({ accounts: [entry({ transferCallsPerSecond: 0.5, ssmCallsPerSecond: 40, name: 'prod' })] }).ok);
    one({ accounts: [entry({ name: '' })] }, '$.accounts[0].name', /1 to 64 characters/);
  });

  test('the canonical JSON must fit an Advanced parameter', () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      entry({ id: String(100000000000 + i), role: `arn:aws:iam::${100000000000 + i}:role/r`, externalId: 'x'.repeat(100) }),
    );
    one({ accounts: many }, '$', /over the 8192-byte limit of an Advanced-tier SSM parameter/);
  });

  test('the JSON Schema is the committed schema/accounts.schema.json and agrees with the example', () => {
    // Compared as JSON: prettier formats the committed file (it is not in .prettierignore).
    assert.deepEqual(JSON.parse(readFileSync(`${ROOT}schema/accounts.schema.json`, 'utf8')), JSON.parse(accountsSchemaText()));
    const check = new Ajv2020({ strict: true, allErrors: true }).compile(JSON.parse(accountsSchemaText()) as Record<string, unknown>);
    assert.ok(check(parseYaml(readFileSync(`${ROOT}examples/org/accounts.yaml`, 'utf8'))), JSON.stringify(check.errors));
    for (const bad of [
      { accounts: [entry({ id: 1 })] },
      { accounts: [entry({ extra: 1 })] },
      { accounts: [entry({ regions: ['eu-wst-1'] })] },
      { accounts: [entry({ externalId: 'a b' })] },
      { accounts: [entry({ readRole: 'not-an-arn' })] },
    ])
      assert.equal(check(bad), false, JSON.stringify(bad));
  });
});
