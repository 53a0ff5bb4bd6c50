import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../infra/local/aws-error.ts';
import { DELAY, harness } from './transfer-fixtures.ts';

test('createServerWithId seeds a server under a chosen ID, applying the same rules as CreateServer', async () => {
  const h = harness();
  const { ServerId } = h.backend.createServerWithId('s-0000000000000000a', { Protocols: ['SFTP'], Tags: [{ Key: 'team', Value: 'a' }] });
  assert.equal(ServerId, 's-0000000000000000a');
  h.advance(DELAY);
  const d = await h.describe('s-0000000000000000a');
  assert.equal(d.State, 'ONLINE');
  assert.equal(d.Arn, 'arn:aws:transfer:us-east-1:123456789012:server/s-0000000000000000a');
  assert.throws(
    () => h.backend.createServerWithId('s-0000000000000000a', {}),
    (e: unknown) => e instanceof AwsError && e.code === 'ResourceExistsException',
  );
  assert.throws(
    () => h.backend.createServerWithId('s-0000000000000000b', { Protocols: ['FTPS'] }),
    (e: unknown) => e instanceof AwsError && e.code === 'InvalidRequestException',
  );
});
