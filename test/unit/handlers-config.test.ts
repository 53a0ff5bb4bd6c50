// The Lambdas' settings: defaults, overrides, and a refusal naming the variable for bad values.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_HOST_KEY_PREFIX, readConfig } from '../../functions/handlers/lib/config.ts';
import { DEFAULT_ACCOUNTS_PARAMETER } from '../../functions/reconciler/desired/accounts-rules.ts';
import { DEFAULT_OFFLINE_WINDOW_MS, DEFAULT_PREFIX } from '../../functions/reconciler/reconcile.ts';

describe('readConfig', () => {
  test('defaults', () => {
    assert.deepEqual(readConfig({}), {
      prefix: DEFAULT_PREFIX,
      hostKeyPrefix: DEFAULT_HOST_KEY_PREFIX,
      mode: 'enforce',
      concurrency: 4,
      transferCallsPerSecond: 10,
      ssmCallsPerSecond: 20,
      flushReserveMs: 3_000,
      offlineWindowMs: DEFAULT_OFFLINE_WINDOW_MS,
      reconcilerRoleArns: [],
      workerMaxConcurrency: 2,
      endpointLookupLimit: 200,
      retryBaseDelaySeconds: 30,
      accountsParameter: DEFAULT_ACCOUNTS_PARAMETER,
    });
  });

  test('the accounts parameter and the hub account and region', () => {
    const c = readConfig({
      TRANSFER_RECONCILER_ACCOUNTS_PARAMETER: '/a/accounts',
      HUB_ACCOUNT_ID: '000000000000',
      AWS_REGION: 'eu-west-1',
    });
    assert.deepEqual([c.accountsParameter, c.hubAccountId, c.hubRegion], ['/a/accounts', '000000000000', 'eu-west-1']);
    assert.throws(() => readConfig({ HUB_ACCOUNT_ID: '123' }), /HUB_ACCOUNT_ID/);
    assert.throws(
      () => readConfig({ TRANSFER_RECONCILER_ACCOUNTS_PARAMETER: `${DEFAULT_PREFIX}accounts` }),
      /TRANSFER_RECONCILER_ACCOUNTS_PARAMETER/,
    );
  });

  test('every setting comes from its variable', () => {
    const c = readConfig({
      DESIRED_STATE_PREFIX: '/a/docs/',
      HOST_KEY_PREFIX: '/a/keys/',
      DEFAULT_MODE: 'detect',
      RECONCILE_CONCURRENCY: '8',
      TRANSFER_CALLS_PER_SECOND: '2.5',
      SSM_CALLS_PER_SECOND: '40',
      FLUSH_RESERVE_MS: '1000',
      OFFLINE_WINDOW_MS: '1000',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
    });
    assert.deepEqual(c, {
      prefix: '/a/docs/',
      hostKeyPrefix: '/a/keys/',
      mode: 'detect',
      concurrency: 8,
      transferCallsPerSecond: 2.5,
      ssmCallsPerSecond: 40,
      flushReserveMs: 1_000,
      offlineWindowMs: 1_000,
      endpointUrl: 'http://127.0.0.1:4566',
      reconcilerRoleArns: [],
      workerMaxConcurrency: 2,
      endpointLookupLimit: 200,
      retryBaseDelaySeconds: 30,
      accountsParameter: DEFAULT_ACCOUNTS_PARAMETER,
    });
  });

  test('bad values stop the cold start with the variable named', () => {
    assert.throws(() => readConfig({ DEFAULT_MODE: 'fix' }), /DEFAULT_MODE/);
    assert.throws(() => readConfig({ RECONCILE_CONCURRENCY: '0' }), /RECONCILE_CONCURRENCY/);
    assert.throws(() => readConfig({ RECONCILE_CONCURRENCY: '2.5' }), /RECONCILE_CONCURRENCY/);
    assert.throws(() => readConfig({ TRANSFER_CALLS_PER_SECOND: 'fast' }), /TRANSFER_CALLS_PER_SECOND/);
    assert.throws(() => readConfig({ DESIRED_STATE_PREFIX: '/no/slash' }), /DESIRED_STATE_PREFIX/);
    assert.throws(() => readConfig({ HOST_KEY_PREFIX: 'keys/' }), /HOST_KEY_PREFIX/);
  });

  test('the two prefixes may not overlap (a host key would look like a document)', () => {
    assert.throws(() => readConfig({ DESIRED_STATE_PREFIX: '/a/', HOST_KEY_PREFIX: '/a/keys/' }), /must not contain each other/);
  });
});
