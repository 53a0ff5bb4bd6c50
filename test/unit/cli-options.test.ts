// Global flags and their environment-variable equivalents; server selection.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError, globalSettings } from '../../functions/cli/options.ts';
import { selectionFrom, serverIdsFrom } from '../../functions/cli/selection.ts';

describe('globalSettings', () => {
  test('defaults without flags or environment', () => {
    const s = globalSettings({}, {});
    assert.equal(s.prefix, '/transfer-reconciler/servers/');
    assert.equal(s.concurrency, 4);
    assert.equal(s.timeoutMs, 900_000);
    assert.equal(s.aws.endpointUrl, undefined);
  });

  test('TRANSFER_RECONCILER_* variables stand in for the flags, and a flag wins over its variable', () => {
    const env = {
      TRANSFER_RECONCILER_ENDPOINT_URL: 'http://127.0.0.1:4566',
      TRANSFER_RECONCILER_PREFIX: '/env/',
      TRANSFER_RECONCILER_CONCURRENCY: '8',
      TRANSFER_RECONCILER_TIMEOUT: '60',
    };
    const fromEnv = globalSettings({}, env);
    assert.deepEqual(
      [fromEnv.aws.endpointUrl, fromEnv.prefix, fromEnv.concurrency, fromEnv.timeoutMs],
      ['http://127.0.0.1:4566', '/env/', 8, 60_000],
    );
    const flags = globalSettings(
      { 'endpoint-url': 'http://127.0.0.1:1', prefix: '/flag/', concurrency: '2', timeout: '5', region: 'eu-west-1', profile: 'ops' },
      env,
    );
    assert.deepEqual(
      [flags.aws.endpointUrl, flags.prefix, flags.concurrency, flags.timeoutMs, flags.aws.region, flags.aws.profile],
      ['http://127.0.0.1:1', '/flag/', 2, 5_000, 'eu-west-1', 'ops'],
    );
  });

  test('bad values are usage errors', () => {
    assert.throws(() => globalSettings({ prefix: 'no-slashes' }, {}), UsageError);
    assert.throws(() => globalSettings({}, { TRANSFER_RECONCILER_CONCURRENCY: '0' }), UsageError);
    assert.throws(() => globalSettings({ timeout: 'soon' }, {}), UsageError);
  });
});

describe('selection', () => {
  test('--server IDs or --all, not both, not neither', () => {
    assert.deepEqual(selectionFrom({ all: true }), { all: true });
    assert.deepEqual(selectionFrom({ server: ['s-0000000000000000a'] }), { serverIds: ['s-0000000000000000a'] });
    assert.throws(() => selectionFrom({}), UsageError);
    assert.throws(() => selectionFrom({ all: true, server: ['s-0000000000000000a'] }), UsageError);
    assert.throws(() => selectionFrom({ server: ['s-123'] }), /not a server ID/);
  });

  test('the --dir filter is optional and checks IDs too', () => {
    assert.equal(serverIdsFrom({}), undefined);
    assert.deepEqual(serverIdsFrom({ server: ['s-0000000000000000a'] }), new Set(['s-0000000000000000a']));
    assert.throws(() => serverIdsFrom({ server: ['S-0000000000000000A'] }), UsageError);
  });
});
