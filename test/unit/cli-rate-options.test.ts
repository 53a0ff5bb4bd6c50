// The CLI paces its API calls like the Lambdas do: --transfer-rate / --ssm-rate (or their
// environment variables) become a token bucket on each client, with the Lambdas' defaults.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CALLS_PER_SECOND, UsageError, globalSettings } from '../../functions/cli/options.ts';
import { createClients } from '../../functions/reconciler/aws/clients.ts';

const paced = (client: { middlewareStack: { identify(): string[] } }): boolean =>
  client.middlewareStack.identify().some((m) => m.startsWith('transferReconcilerPacing'));

describe('CLI pacing', () => {
  test("defaults are the Lambdas' rates; flags win over TRANSFER_RECONCILER_*_RATE", () => {
    assert.deepEqual(globalSettings({}, {}).aws.callsPerSecond, DEFAULT_CALLS_PER_SECOND);
    const env = { TRANSFER_RECONCILER_TRANSFER_RATE: '20', TRANSFER_RECONCILER_SSM_RATE: '40' };
    assert.deepEqual(globalSettings({}, env).aws.callsPerSecond, { transfer: 20, ssm: 40 });
    assert.deepEqual(globalSettings({ 'transfer-rate': '2.5', 'ssm-rate': '5' }, env).aws.callsPerSecond, { transfer: 2.5, ssm: 5 });
  });

  test('a rate that is not a positive number is a usage error', () => {
    for (const bad of ['0', '-1', 'fast', '']) assert.throws(() => globalSettings({ 'transfer-rate': bad }, {}), UsageError, bad);
    assert.throws(() => globalSettings({}, { TRANSFER_RECONCILER_SSM_RATE: 'NaN' }), /--ssm-rate must be a positive number/);
  });

  test('createClients paces both clients when given rates, and neither without', () => {
    const withRates = createClients({ endpointUrl: 'http://127.0.0.1:1', callsPerSecond: { transfer: 10, ssm: 20 } });
    const without = createClients({ endpointUrl: 'http://127.0.0.1:1' });
    assert.deepEqual(
      [paced(withRates.transfer), paced(withRates.ssm), paced(without.transfer), paced(without.ssm)],
      [true, true, false, false],
    );
    for (const c of [withRates, without]) {
      c.transfer.destroy();
      c.ssm.destroy();
    }
  });
});
