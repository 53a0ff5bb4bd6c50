// The Lambdas' accounts-file cache (handlers/lib/accounts-cache.ts), with a stand-in SSM client:
// one read per TTL, concurrent callers share it, no parameter = no accounts, an invalid file or a
// failed read keeps the last good one and says why.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ParameterNotFound } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { accountsCache } from '../../functions/handlers/lib/accounts-cache.ts';
import { accountsParameterText } from '../../functions/reconciler/desired/accounts-rules.ts';

const FILE = {
  accounts: [
    {
      id: '111111111111',
      role: 'arn:aws:iam::111111111111:role/transfer-reconciler-spoke',
      externalId: 'x'.repeat(32),
      regions: ['eu-west-1'],
    },
  ],
};

function fakeSsm(answers: Array<() => unknown>): { ssm: SSMClient; calls: () => number } {
  let calls = 0;
  const ssm = {
    send: async () => {
      const next = answers[Math.min(calls, answers.length - 1)];
      calls += 1;
      return next?.();
    },
  } as unknown as SSMClient;
  return { ssm, calls: () => calls };
}

const found = (text: string) => () => ({ Parameter: { Name: '/a', Value: text, Version: 1, Type: 'String' } });

describe('accounts cache', () => {
  test('one read per TTL, shared by concurrent callers; read again after it', async () => {
    let now = 0;
    const { ssm, calls } = fakeSsm([found(accountsParameterText(FILE))]);
    const cache = accountsCache(ssm, '/a', { ttlMs: 1000, now: () => now });
    const [a, b] = await Promise.all([cache.get(), cache.get()]);
    assert.deepEqual(a.accounts, FILE);
    assert.equal(a, b);
    assert.equal(calls(), 1);
    now = 999;
    await cache.get();
    assert.equal(calls(), 1);
    now = 1000;
    await cache.get();
    assert.equal(calls(), 2);
  });

  test('no parameter: no accounts; an invalid file or a failed read keeps the last good one, with the problem', async () => {
    let now = 0;
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const { ssm } = fakeSsm([
      () => {
        throw new ParameterNotFound({ message: 'no', $metadata: {} });
      },
      found(accountsParameterText(FILE)),
      found('{"accounts": [{"id": 1}]}'),
      () => {
        throw throttled;
      },
    ]);
    const cache = accountsCache(ssm, '/a', { ttlMs: 10, now: () => now });
    assert.deepEqual(await cache.get(), { accounts: undefined });
    now = 10;
    assert.deepEqual(await cache.get(), { accounts: FILE });
    now = 20;
    const invalid = await cache.get();
    assert.deepEqual(invalid.accounts, FILE);
    assert.match(invalid.problem ?? '', /\/a is invalid: \$\.accounts\[0\]/);
    now = 30;
    const failed = await cache.get();
    assert.deepEqual(failed.accounts, FILE);
    assert.match(failed.problem ?? '', /could not read the accounts parameter \/a: ThrottlingException/);
  });
});
