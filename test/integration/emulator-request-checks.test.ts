// Values AWS refuses although the model's constraints let them through — a StructuredLogDestinations
// item that is not a log group ARN, a Certificate that is not an ACM ARN, a protocol listed twice:
// the emulator answers InvalidRequestException over the wire (it used to accept them, so a
// reconcile showed `updated`), and the engine reports `invalid` without writing anything.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidRequestException, UpdateServerCommand } from '@aws-sdk/client-transfer';
import type { UpdateServerCommandInput } from '@aws-sdk/client-transfer';
import { engineForTests } from '../helpers/engine.ts';

const engine = await engineForTests({ transitionDelayMs: 0 });

const REFUSED: { member: string; change: Omit<UpdateServerCommandInput, 'ServerId'> }[] = [
  { member: 'StructuredLogDestinations', change: { StructuredLogDestinations: ['arn:aws:s3:::my-bucket'] } },
  {
    member: 'StructuredLogDestinations',
    change: { StructuredLogDestinations: ['arn:aws:logs:us-east-1:000000000000:log-group:transfer'] },
  },
  { member: 'Certificate', change: { Certificate: 'arn:aws:iam::000000000000:server-certificate/ftps' } },
  { member: 'Protocols', change: { Protocols: ['SFTP', 'SFTP'] } },
];

describe('members AWS refuses beyond the model', () => {
  test('UpdateServer through the SDK: InvalidRequestException naming the member', async () => {
    const id = await engine.createServer();
    for (const { member, change } of REFUSED) {
      await assert.rejects(engine.transfer.send(new UpdateServerCommand({ ServerId: id, ...change })), (err: Error) => {
        assert.ok(err instanceof InvalidRequestException, `${member}: ${String(err)}`);
        assert.match(err.message, new RegExp(`^${member}`));
        return true;
      });
    }
  });

  test('a document holding one is invalid and nothing is written', async () => {
    for (const { member, change } of REFUSED) {
      const id = await engine.createServer();
      await engine.putDocument(id, change);
      engine.mark();
      const o = await engine.reconcile(id);
      assert.equal(o.result, 'invalid', `${member}: ${JSON.stringify(o)}`);
      assert.ok(
        (o.issues ?? []).some((issue) => issue.path.startsWith(`$.${member}`)),
        JSON.stringify(o.issues),
      );
      assert.deepEqual(engine.writes(), []);
    }
  });
});
