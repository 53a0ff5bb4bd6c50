// SSM Parameter Store operations of the emulator, through the real SDK client over HTTP.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteParameterCommand,
  DeleteParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  HierarchyLevelLimitExceededException,
  InvalidNextToken,
  ParameterAlreadyExists,
  ParameterNotFound,
  ParameterVersionNotFound,
  PutParameterCommand,
} from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { emulatorForTests, rawCall, ssmClient } from '../helpers/emulator.ts';
import type { Emulator } from '../../infra/local/emulator.ts';

const emu: Emulator = await emulatorForTests();
const ssm: SSMClient = ssmClient(emu, { maxAttempts: 1 });

async function rejectsWith(promise: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (err: Error) => {
    assert.equal(err.name, name);
    if (message) assert.match(err.message, message);
    return true;
  });
}

describe('PutParameter', () => {
  test('creates version 1, overwrites to version 2, answers {Version, Tier}', async () => {
    const first = await ssm.send(new PutParameterCommand({ Name: '/put/a', Value: 'one', Type: 'String' }));
    assert.equal(first.Version, 1);
    assert.equal(first.Tier, 'Standard');
    const second = await ssm.send(new PutParameterCommand({ Name: '/put/a', Value: 'two', Overwrite: true }));
    assert.equal(second.Version, 2);
    assert.equal(emu.ssm.peek('/put/a')?.value, 'two');
    assert.equal(emu.ssm.peek('/put/a')?.type, 'String', 'an overwrite without Type keeps the type');
  });

  test('an existing name without Overwrite is ParameterAlreadyExists (lowercase message member)', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/put/exists', Value: 'x', Type: 'String' }));
    await assert.rejects(ssm.send(new PutParameterCommand({ Name: '/put/exists', Value: 'y', Type: 'String' })), ParameterAlreadyExists);
    const raw = await rawCall(emu, 'AmazonSSM.PutParameter', JSON.stringify({ Name: '/put/exists', Value: 'y', Type: 'String' }));
    assert.equal(raw.status, 400);
    assert.equal(raw.json.__type, 'ParameterAlreadyExists');
    assert.equal(typeof raw.json.message, 'string');
    assert.equal(raw.json.Message, undefined);
  });

  test('a new parameter needs a Type', async () => {
    await rejectsWith(ssm.send(new PutParameterCommand({ Name: '/put/untyped', Value: 'x' })), 'ValidationException', /type is required/);
  });

  test('StringList and SecureString are stored with their type', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/put/list', Value: 'a,b,c', Type: 'StringList' }));
    const got = await ssm.send(new GetParameterCommand({ Name: '/put/list' }));
    assert.equal(got.Parameter?.Type, 'StringList');
    assert.equal(got.Parameter?.Value, 'a,b,c');
  });

  test('Standard holds 4096 bytes; one more is a ValidationException naming the limit', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/tier/std', Value: 'x'.repeat(4096), Type: 'String' }));
    await rejectsWith(
      ssm.send(new PutParameterCommand({ Name: '/tier/std2', Value: 'x'.repeat(4097), Type: 'String' })),
      'ValidationException',
      /4096/,
    );
    await rejectsWith(
      ssm.send(new PutParameterCommand({ Name: '/tier/std3', Value: 'é'.repeat(2049), Type: 'String' })),
      'ValidationException',
      /4096/,
    );
  });

  test('Advanced holds 8192 bytes and never goes back to Standard', async () => {
    const adv = await ssm.send(new PutParameterCommand({ Name: '/tier/adv', Value: 'x'.repeat(8192), Type: 'String', Tier: 'Advanced' }));
    assert.equal(adv.Tier, 'Advanced');
    await rejectsWith(
      ssm.send(new PutParameterCommand({ Name: '/tier/adv2', Value: 'x'.repeat(8193), Type: 'String', Tier: 'Advanced' })),
      'ValidationException',
      /8192/,
    );
    await rejectsWith(
      ssm.send(new PutParameterCommand({ Name: '/tier/adv', Value: 'small', Overwrite: true, Tier: 'Standard' })),
      'ValidationException',
      /downgrade/,
    );
    const kept = await ssm.send(new PutParameterCommand({ Name: '/tier/adv', Value: 'small', Overwrite: true }));
    assert.equal(kept.Tier, 'Advanced');
  });

  test('Intelligent-Tiering picks the tier by size', async () => {
    const small = await ssm.send(
      new PutParameterCommand({ Name: '/tier/it-small', Value: 'x', Type: 'String', Tier: 'Intelligent-Tiering' }),
    );
    assert.equal(small.Tier, 'Standard');
    const big = await ssm.send(
      new PutParameterCommand({ Name: '/tier/it-big', Value: 'x'.repeat(5000), Type: 'String', Tier: 'Intelligent-Tiering' }),
    );
    assert.equal(big.Tier, 'Advanced');
  });

  test('names: bad characters, aws/ssm prefixes and relative paths are ValidationException', async () => {
    for (const Name of ['/bad name', '/aws/mine', 'ssm-thing', 'a/b', '/trailing/', '/dou//ble']) {
      await rejectsWith(ssm.send(new PutParameterCommand({ Name, Value: 'x', Type: 'String' })), 'ValidationException');
    }
  });

  test('names: 15 levels are fine, 16 are HierarchyLevelLimitExceededException', async () => {
    const fifteen = `/${Array.from({ length: 15 }, (_, i) => `l${i}`).join('/')}`;
    await ssm.send(new PutParameterCommand({ Name: fifteen, Value: 'x', Type: 'String' }));
    await assert.rejects(
      ssm.send(new PutParameterCommand({ Name: `${fifteen}/l15`, Value: 'x', Type: 'String' })),
      HierarchyLevelLimitExceededException,
    );
  });

  test('names: at most 1011 characters counting the ARN before the name', async () => {
    const arnPrefix = 'arn:aws:ssm:us-east-1:000000000000:parameter/'.length;
    const fits = `/${'n'.repeat(1011 - arnPrefix)}`;
    await ssm.send(new PutParameterCommand({ Name: fits, Value: 'x', Type: 'String' }));
    await rejectsWith(ssm.send(new PutParameterCommand({ Name: `${fits}n`, Value: 'x', Type: 'String' })), 'ValidationException', /1011/);
  });

  test('AllowedPattern is enforced', async () => {
    await rejectsWith(
      ssm.send(new PutParameterCommand({ Name: '/put/pattern', Value: 'abc', Type: 'String', AllowedPattern: '^[0-9]+$' })),
      'ParameterPatternMismatchException',
    );
  });
});

describe('GetParameter', () => {
  test('answers Name, Type, Value, Version, LastModifiedDate, ARN, DataType', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/get/one', Value: 'v', Type: 'String' }));
    const raw = await rawCall(emu, 'AmazonSSM.GetParameter', JSON.stringify({ Name: '/get/one' }));
    const p = raw.json.Parameter as Record<string, unknown>;
    assert.deepEqual(Object.keys(p).sort(), ['ARN', 'DataType', 'LastModifiedDate', 'Name', 'Type', 'Value', 'Version']);
    assert.equal(p.ARN, 'arn:aws:ssm:us-east-1:000000000000:parameter/get/one');
    assert.equal(typeof p.LastModifiedDate, 'number', 'epoch seconds on the wire');
    assert.equal(p.DataType, 'text');
    assert.equal(p.Version, 1);
  });

  test('SecureString: opaque without WithDecryption, plain with it', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/get/secret', Value: 'hunter2-private-key', Type: 'SecureString' }));
    const hidden = await ssm.send(new GetParameterCommand({ Name: '/get/secret' }));
    assert.notEqual(hidden.Parameter?.Value, 'hunter2-private-key');
    assert.ok(
      !Buffer.from(hidden.Parameter?.Value ?? '', 'base64')
        .toString('latin1')
        .includes('hunter2'),
    );
    assert.match(hidden.Parameter?.Value ?? '', /^[A-Za-z0-9+/]+=*$/);
    const shown = await ssm.send(new GetParameterCommand({ Name: '/get/secret', WithDecryption: true }));
    assert.equal(shown.Parameter?.Value, 'hunter2-private-key');
  });

  test('a :version selector reads that version and is echoed as Selector', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/get/versions', Value: 'v1', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/get/versions', Value: 'v2', Type: 'String', Overwrite: true }));
    const v1 = await ssm.send(new GetParameterCommand({ Name: '/get/versions:1' }));
    assert.equal(v1.Parameter?.Value, 'v1');
    assert.equal(v1.Parameter?.Selector, ':1');
    assert.equal(v1.Parameter?.Name, '/get/versions');
    await assert.rejects(ssm.send(new GetParameterCommand({ Name: '/get/versions:9' })), ParameterVersionNotFound);
  });

  test('unknown name is ParameterNotFound', async () => {
    await assert.rejects(ssm.send(new GetParameterCommand({ Name: '/get/missing' })), ParameterNotFound);
  });

  test('/aws/reference/secretsmanager/ serves secrets only WithDecryption', async () => {
    emu.ssm.putSecret('hostkeys/sftp-1', '-----BEGIN OPENSSH PRIVATE KEY-----');
    const got = await ssm.send(new GetParameterCommand({ Name: '/aws/reference/secretsmanager/hostkeys/sftp-1', WithDecryption: true }));
    assert.equal(got.Parameter?.Value, '-----BEGIN OPENSSH PRIVATE KEY-----');
    assert.equal(got.Parameter?.Type, 'SecureString');
    await rejectsWith(
      ssm.send(new GetParameterCommand({ Name: '/aws/reference/secretsmanager/hostkeys/sftp-1' })),
      'ValidationException',
      /WithDecryption flag must be True/,
    );
    await assert.rejects(
      ssm.send(new GetParameterCommand({ Name: '/aws/reference/secretsmanager/nope', WithDecryption: true })),
      ParameterNotFound,
    );
  });
});

describe('GetParameters', () => {
  test('returns the found ones and lists unknown names in InvalidParameters', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/many/a', Value: 'a', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/many/b', Value: 'b', Type: 'SecureString' }));
    emu.ssm.putSecret('many-secret', 's');
    const got = await ssm.send(
      new GetParametersCommand({
        Names: ['/many/a', '/many/b', '/many/zzz', '/aws/reference/secretsmanager/many-secret'],
        WithDecryption: true,
      }),
    );
    assert.deepEqual(got.Parameters?.map((p) => [p.Name, p.Value]).sort(), [
      ['/aws/reference/secretsmanager/many-secret', 's'],
      ['/many/a', 'a'],
      ['/many/b', 'b'],
    ]);
    assert.deepEqual(got.InvalidParameters, ['/many/zzz']);
  });

  test('more than 10 names is a ValidationException', async () => {
    const Names = Array.from({ length: 11 }, (_, i) => `/many/n${i}`);
    await rejectsWith(
      ssm.send(new GetParametersCommand({ Names })),
      'ValidationException',
      /^1 validation error detected: Value '\[.*\]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10$/,
    );
  });

  test('a secret reference without WithDecryption is a ValidationException', async () => {
    await rejectsWith(
      ssm.send(new GetParametersCommand({ Names: ['/aws/reference/secretsmanager/many-secret'] })),
      'ValidationException',
      /WithDecryption/,
    );
  });
});

describe('GetParametersByPath', () => {
  before(async () => {
    for (const Name of ['/tree/a', '/tree/b', '/tree/sub/c', '/tree/sub/deep/d', '/treetop', '/other/x']) {
      await ssm.send(new PutParameterCommand({ Name, Value: Name, Type: Name.endsWith('b') ? 'SecureString' : 'String' }));
    }
    emu.ssm.putSecret('tree', 'never listed');
  });

  async function all(input: {
    Path: string;
    Recursive?: boolean;
    MaxResults?: number;
    WithDecryption?: boolean;
  }): Promise<Array<{ Name?: string; Value?: string }>> {
    const out: Array<{ Name?: string; Value?: string }> = [];
    let NextToken: string | undefined;
    do {
      const page = await ssm.send(new GetParametersByPathCommand({ ...input, NextToken }));
      assert.ok((page.Parameters?.length ?? 0) <= (input.MaxResults ?? 10));
      out.push(...(page.Parameters ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return out;
  }

  test('non-recursive returns only direct children', async () => {
    assert.deepEqual(
      (await all({ Path: '/tree' })).map((p) => p.Name),
      ['/tree/a', '/tree/b'],
    );
    assert.deepEqual(
      (await all({ Path: '/tree/' })).map((p) => p.Name),
      ['/tree/a', '/tree/b'],
    );
  });

  test('recursive returns the whole subtree and pages by MaxResults', async () => {
    assert.deepEqual(
      (await all({ Path: '/tree', Recursive: true, MaxResults: 1 })).map((p) => p.Name),
      ['/tree/a', '/tree/b', '/tree/sub/c', '/tree/sub/deep/d'],
    );
  });

  test('SecureString values are hidden unless WithDecryption', async () => {
    const hidden = (await all({ Path: '/tree' })).find((p) => p.Name === '/tree/b');
    assert.notEqual(hidden?.Value, '/tree/b');
    const shown = (await all({ Path: '/tree', WithDecryption: true })).find((p) => p.Name === '/tree/b');
    assert.equal(shown?.Value, '/tree/b');
  });

  test('never returns secret references', async () => {
    const names = (await all({ Path: '/', Recursive: true })).map((p) => p.Name ?? '');
    assert.ok(names.length >= 6);
    assert.ok(names.every((n) => !n.startsWith('/aws/')));
  });

  test('path must start with /; MaxResults 1-10; a bad NextToken is InvalidNextToken', async () => {
    await rejectsWith(ssm.send(new GetParametersByPathCommand({ Path: 'tree' })), 'ValidationException', /forward slash/);
    await rejectsWith(
      ssm.send(new GetParametersByPathCommand({ Path: '/tree', MaxResults: 11 })),
      'ValidationException',
      /at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10/,
    );
    await assert.rejects(ssm.send(new GetParametersByPathCommand({ Path: '/tree', NextToken: 'garbage' })), InvalidNextToken);
  });
});

describe('DeleteParameter(s)', () => {
  test('DeleteParameter removes; unknown is ParameterNotFound', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/del/one', Value: 'x', Type: 'String' }));
    await ssm.send(new DeleteParameterCommand({ Name: '/del/one' }));
    await assert.rejects(ssm.send(new GetParameterCommand({ Name: '/del/one' })), ParameterNotFound);
    await assert.rejects(ssm.send(new DeleteParameterCommand({ Name: '/del/one' })), ParameterNotFound);
  });

  test('DeleteParameters reports DeletedParameters and InvalidParameters; at most 10 names', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/del/a', Value: 'x', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/del/b', Value: 'x', Type: 'String' }));
    const out = await ssm.send(new DeleteParametersCommand({ Names: ['/del/a', '/del/b', '/del/c'] }));
    assert.deepEqual(out.DeletedParameters, ['/del/a', '/del/b']);
    assert.deepEqual(out.InvalidParameters, ['/del/c']);
    await rejectsWith(
      ssm.send(new DeleteParametersCommand({ Names: Array.from({ length: 11 }, (_, i) => `/del/${i}`) })),
      'ValidationException',
      /less than or equal to 10/,
    );
  });
});
