// Values the model's constraints let through but AWS refuses: a StructuredLogDestinations item
// that is not a log group ARN, a Certificate that is not an ACM certificate ARN, a protocol listed
// twice. The emulator answers InvalidRequestException naming the member (it used to accept
// them, so a reconcile showed `updated` where AWS would refuse the call), and the engine's static
// validation refuses the same documents before any write.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertValid, issuesOf } from './desired-helpers.ts';
import { harness, rejectsWith } from './transfer-fixtures.ts';

const LOG_GROUP = 'arn:aws:logs:us-east-1:123456789012:log-group:transfer:*';
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const invalid = 'InvalidRequestException';

interface Refused {
  member: string;
  request: Record<string, unknown>;
  message: RegExp;
}

const REFUSED: Refused[] = [
  ...[
    'arn:aws:s3:::my-bucket',
    'arn:aws:logs:us-east-1:123456789012:log-group:transfer',
    'arn:aws:logs:us-east-1:1111:log-group:transfer:*',
    'arn:aws:logs:us-east-1:123456789012:log-group::*',
    'arn:aws:iam::123456789012:role/logs',
  ].map((arn) => ({
    member: 'StructuredLogDestinations',
    request: { StructuredLogDestinations: [arn] },
    message: /^StructuredLogDestinations\.1 must be a CloudWatch Logs log group ARN \(arn:aws:logs:REGION:ACCOUNT:log-group:NAME:\*\)$/,
  })),
  ...[
    'not-an-arn',
    'arn:aws:iam::123456789012:server-certificate/ftps',
    'arn:aws:acm:us-east-1:123456789012:key/abc',
    'arn:aws:acm:us-east-1:1:certificate/abc',
    `${CERT} `,
  ].map((certificate) => ({
    member: 'Certificate',
    request: { Certificate: certificate },
    message: /^Certificate must be the ARN of an ACM certificate \(arn:aws:acm:REGION:ACCOUNT:certificate\/ID\), or "" to remove it$/,
  })),
  ...[
    ['SFTP', 'SFTP'],
    ['SFTP', 'FTPS', 'SFTP'],
  ].map((protocols) => ({
    member: 'Protocols',
    request: { Protocols: protocols },
    message: /^Protocols must not list a protocol more than once \(SFTP is listed twice or more\)$/,
  })),
];

describe('Transfer back end: members AWS refuses beyond the model', () => {
  test('UpdateServer refuses each with InvalidRequestException naming the member, and changes nothing', async () => {
    const h = harness();
    const id = await h.createOnline();
    const before = await h.describe(id);
    for (const { request, message } of REFUSED) {
      await rejectsWith(h.call('UpdateServer', { ServerId: id, ...request }), invalid, message);
    }
    assert.deepEqual(await h.describe(id), before);
  });

  test('CreateServer refuses each the same way', async () => {
    const h = harness();
    for (const { request, message } of REFUSED) await rejectsWith(h.call('CreateServer', request), invalid, message);
    assert.deepEqual((await h.call('ListServers', {})).Servers, []);
  });

  test('the values AWS takes are accepted: a log group ARN, [] (logging off), an ACM ARN, "" (no certificate), distinct protocols', async () => {
    const h = harness();
    const id = await h.createOnline({ StructuredLogDestinations: [LOG_GROUP], Certificate: CERT });
    assert.deepEqual((await h.describe(id)).StructuredLogDestinations, [LOG_GROUP]);
    await h.call('UpdateServer', { ServerId: id, StructuredLogDestinations: [], Certificate: '' });
    await h.call('UpdateServer', { ServerId: id, Certificate: 'arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/abc' });
    await h.call('UpdateServer', { ServerId: id, Protocols: ['SFTP'] });
  });

  test('a Certificate value is never echoed (a pasted key would land there)', async () => {
    const h = harness();
    const pasted = '-----BEGIN PRIVATE KEY----- MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7';
    const error = await rejectsWith(h.call('CreateServer', { Certificate: pasted }), invalid);
    assert.ok(!error.message.includes('MIIE') && !error.message.includes('BEGIN'), error.message);
  });
});

describe('validateStatic refuses the same values before any write', () => {
  test('each refused request, as a document, is invalid at its member', () => {
    for (const { member, request } of REFUSED) {
      const issues = issuesOf(request);
      assert.ok(
        issues.some((issue) => issue.path.startsWith(`$.${member}`)),
        `${JSON.stringify(request)}: ${JSON.stringify(issues)}`,
      );
    }
  });

  test('a Certificate that is not an ACM ARN is explained; "" and an ACM ARN are valid', () => {
    const [issue] = issuesOf({ Certificate: 'arn:aws:iam::123456789012:server-certificate/ftps' });
    assert.equal(issue?.path, '$.Certificate');
    assert.match(
      issue?.message ?? '',
      /^must be the ARN of an ACM certificate, arn:aws:acm:REGION:ACCOUNT:certificate\/ID, .*; found "arn:aws:iam::/,
    );
    assertValid({ Certificate: '' });
    assertValid({ Certificate: CERT });
  });

  test('a Certificate that does not look like an ARN is not quoted', () => {
    const [issue] = issuesOf({ Certificate: 'my FTPS certificate' });
    assert.equal(issue?.path, '$.Certificate');
    assert.match(issue?.message ?? '', /found a value that is not an ARN\.$/);
    assert.ok(!(issue?.message ?? '').includes('FTPS certificate'));
    const pasted = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n';
    for (const found of issuesOf({ Certificate: pasted })) assert.ok(!found.message.includes('MIIE'), found.message);
  });
});
