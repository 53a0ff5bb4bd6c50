// The emulator's awsJson 1.1 front: targets, bodies, request ids, model validation and its
// AWS-worded ValidationException, unknown members recorded in the call log.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { UpdateServerCommand } from '@aws-sdk/client-transfer';
import { emulatorForTests, rawCall, ssmClient, transferClient } from '../helpers/emulator.ts';

const emu = await emulatorForTests();

describe('wire protocol', () => {
  test('a missing X-Amz-Target is 400 UnknownOperationException, with request id and error type headers', async () => {
    const res = await rawCall(emu, undefined, '{}');
    assert.equal(res.status, 400);
    assert.equal(res.json.__type, 'UnknownOperationException');
    assert.equal(res.headers.get('x-amzn-errortype'), 'UnknownOperationException');
    assert.match(res.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
  });

  test('an unknown service or operation is 400 UnknownOperationException', async () => {
    for (const target of ['AmazonSSM.RebootTheCloud', 'Nope.GetParameter', 'AmazonSSM']) {
      const res = await rawCall(emu, target, '{}');
      assert.equal(res.status, 400, target);
      assert.equal(res.json.__type, 'UnknownOperationException', target);
    }
    const last = emu.calls.list().at(-1);
    assert.equal(last?.service, 'unknown');
    assert.equal(last?.errorCode, 'UnknownOperationException');
  });

  test('a malformed body is 400 SerializationException', async () => {
    for (const body of ['{"Name":', '[1,2]', '"text"']) {
      const res = await rawCall(emu, 'AmazonSSM.GetParameter', body);
      assert.equal(res.status, 400, body);
      assert.equal(res.json.__type, 'SerializationException', body);
    }
  });

  test('a member of the wrong type is 400 SerializationException', async () => {
    const res = await rawCall(emu, 'AmazonSSM.GetParameter', JSON.stringify({ Name: 42 }));
    assert.equal(res.status, 400);
    assert.equal(res.json.__type, 'SerializationException');
  });

  test('every success carries a request id and the awsJson content type', async () => {
    const res = await fetch(emu.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TransferService.ListSecurityPolicies' },
      body: '{}',
    });
    await res.text();
    assert.match(res.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(res.headers.get('content-type'), 'application/x-amz-json-1.1');
  });
});

describe('model validation', () => {
  test('one violation: AWS wording, lowerCamelCase dotted path', async () => {
    const transfer = transferClient(emu, { maxAttempts: 1 });
    await assert.rejects(
      transfer.send(new UpdateServerCommand({ ServerId: 's-0123456789abcdef0', ProtocolDetails: { PassiveIp: '1234567890123456' } })),
      (err: Error) => {
        assert.equal(err.name, 'ValidationException');
        assert.equal(
          err.message,
          "1 validation error detected: Value '1234567890123456' at 'protocolDetails.passiveIp' failed to satisfy constraint: Member must have length less than or equal to 15",
        );
        return true;
      },
    );
  });

  test('each violation is counted and they are joined with "; "; list items are name.N.member', async () => {
    const res = await rawCall(emu, 'TransferService.UpdateServer', JSON.stringify({ ServerId: 'bad', Protocols: ['SFTP', 'GOPHER'] }));
    assert.equal(res.status, 400);
    assert.equal(res.json.__type, 'ValidationException');
    // AWS reports each broken constraint, so the short ServerId counts twice (length and pattern).
    assert.equal(
      res.json.Message,
      "3 validation errors detected: Value 'bad' at 'serverId' failed to satisfy constraint: Member must have length greater than or equal to 19; " +
        "Value 'bad' at 'serverId' failed to satisfy constraint: Member must satisfy regular expression pattern: s-([0-9a-f]{17}); " +
        "Value 'GOPHER' at 'protocols.2.member' failed to satisfy constraint: Member must satisfy enum value set: [SFTP, FTP, FTPS, AS2]",
    );
  });

  test('a missing required member is "Value null ... Member must not be null"', async () => {
    const res = await rawCall(emu, 'TransferService.DescribeServer', '{}');
    assert.equal(res.json.__type, 'ValidationException');
    assert.equal(
      res.json.Message,
      "1 validation error detected: Value null at 'serverId' failed to satisfy constraint: Member must not be null",
    );
  });

  test('sensitive values (HostKey) are never echoed', async () => {
    const secret = `-----BEGIN OPENSSH PRIVATE KEY-----${'A'.repeat(5000)}`;
    const res = await rawCall(emu, 'TransferService.UpdateServer', JSON.stringify({ ServerId: 's-0123456789abcdef0', HostKey: secret }));
    assert.equal(res.json.__type, 'ValidationException');
    assert.equal(
      res.json.Message,
      "1 validation error detected: Value at 'hostKey' failed to satisfy constraint: Member must have length less than or equal to 4096",
    );
    assert.ok(!JSON.stringify(emu.calls.list()).includes('OPENSSH'));
  });

  test('unknown request members are ignored but recorded in the call log', async () => {
    const ssm = ssmClient(emu, { maxAttempts: 1 });
    emu.ssm.putSecret('unused', 'x');
    await assert.rejects(ssm.send(new GetParameterCommand({ Name: '/nothing/here' })));
    const res = await rawCall(emu, 'AmazonSSM.GetParameter', JSON.stringify({ Name: '/nothing/here', Bogus: 1 }));
    assert.equal(res.json.__type, 'ParameterNotFound', 'the unknown member did not stop the call');
    assert.deepEqual(emu.calls.list().at(-1)?.unknownMembers, ['Bogus']);
    assert.equal(emu.calls.list().at(-2)?.unknownMembers, undefined);
  });
});
