// The queue's side of other accounts (pure): a spoke's message group is its address's key and its
// deduplication id stays unique per trigger and address; the worker parses the group id back (a
// malformed one names no server); events carry their account and region into the key, unless they
// are the hub's; the reconciler's own roles match by ARN, ARN pattern or role name.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { groupRecords } from '../../functions/reconciler/queue/coalesce.ts';
import { isOwnRole, keyOfEvent } from '../../functions/reconciler/queue/event-keys.ts';
import { buildMessage, deduplicationIdOf, parseMessage } from '../../functions/reconciler/queue/message.ts';

const S = 's-0123456789abcdef0';
const A = '111111111111';
const sentAt = '2026-01-01T00:00:00.000Z';
const hub = { accountId: '000000000000', region: 'us-east-1' };

describe('messages and groups of other accounts', () => {
  test('group id = the address key; the body carries account and region; the same ServerId in two places is two groups', () => {
    const spoke = buildMessage({
      serverId: S,
      accountId: A,
      region: 'eu-west-1',
      trigger: 'event',
      reason: 'api-call',
      sentAt,
      source: 'ev-1',
    });
    assert.equal(spoke.groupId, `${A}/eu-west-1/${S}`);
    assert.deepEqual(JSON.parse(spoke.body), {
      serverId: S,
      accountId: A,
      region: 'eu-west-1',
      trigger: 'event',
      reason: 'api-call',
      sentAt,
      source: 'ev-1',
    });
    const own = buildMessage({ serverId: S, trigger: 'event', reason: 'api-call', sentAt, source: 'ev-1' });
    assert.equal(own.groupId, S);
    assert.notEqual(own.deduplicationId, spoke.deduplicationId);
    assert.equal(spoke.deduplicationId, `ev-1:${A}/eu-west-1/${S}`);
  });

  test('a long event id with a spoke key still gives a deduplication id within 128 characters, stable per trigger and address', () => {
    const source = 'e'.repeat(100);
    const id = deduplicationIdOf({ serverId: S, accountId: A, region: 'ap-southeast-4', source });
    assert.ok(id.length <= 128);
    assert.equal(id, deduplicationIdOf({ serverId: S, accountId: A, region: 'ap-southeast-4', source }));
    assert.notEqual(id, deduplicationIdOf({ serverId: S, accountId: A, region: 'eu-west-1', source }));
  });

  test('account and region come together, each well-formed', () => {
    assert.equal(parseMessage(JSON.stringify({ serverId: S, accountId: A, trigger: 'event', reason: 'document', sentAt })).ok, false);
    assert.equal(
      parseMessage(JSON.stringify({ serverId: S, accountId: '1111', region: 'eu-west-1', trigger: 'event', reason: 'document', sentAt }))
        .ok,
      false,
    );
    assert.equal(
      parseMessage(JSON.stringify({ serverId: S, accountId: A, region: 'eu-wst-1', trigger: 'event', reason: 'document', sentAt })).ok,
      false,
    );
  });

  test('the worker parses the group id into the address; a malformed group id names no server', () => {
    const m = buildMessage({ serverId: S, accountId: A, region: 'eu-west-1', trigger: 'schedule', reason: 'schedule', sentAt });
    const [spoke, bad, hubGroup] = groupRecords([
      { messageId: '1', groupId: m.groupId, body: m.body },
      { messageId: '2', groupId: `${A}/${S}`, body: m.body },
      { messageId: '3', groupId: S, body: buildMessage({ serverId: S, trigger: 'event', reason: 'document', sentAt }).body },
    ]);
    assert.deepEqual(spoke?.address, { accountId: A, region: 'eu-west-1', serverId: S });
    assert.equal(spoke?.serverId, S);
    assert.equal(bad?.serverId, undefined);
    assert.match(bad?.badGroupId ?? '', /has no region/);
    assert.deepEqual(hubGroup?.address, { serverId: S });
  });
});

describe('events of other accounts', () => {
  const opts = { prefix: '/docs/', hostKeyPrefix: '/keys/', ignoredRoleArns: ['transfer-reconciler-spoke'], hub };
  const call = (account: string, region: string, issuer = `arn:aws:iam::${account}:role/Admin`) => ({
    id: 'e',
    account,
    region,
    source: 'aws.transfer',
    'detail-type': 'AWS API Call via CloudTrail',
    detail: {
      eventName: 'UpdateServer',
      userIdentity: { sessionContext: { sessionIssuer: { arn: issuer } } },
      requestParameters: { serverId: S },
    },
  });

  test("a CloudTrail event's account and region go into the key, the hub's stay out", () => {
    assert.deepEqual(keyOfEvent(call(A, 'eu-west-1'), opts), {
      kind: 'server',
      serverId: S,
      reason: 'api-call',
      accountId: A,
      region: 'eu-west-1',
    });
    assert.deepEqual(keyOfEvent(call(hub.accountId, hub.region), opts), { kind: 'server', serverId: S, reason: 'api-call' });
    // The hub's account in another region is another place.
    assert.deepEqual(keyOfEvent(call(hub.accountId, 'eu-west-1'), opts), {
      kind: 'server',
      serverId: S,
      reason: 'api-call',
      accountId: hub.accountId,
      region: 'eu-west-1',
    });
  });

  test("the spoke role's writes in any account are the reconciler's own; a nested document name keys its address; a spoke's parameters are not", () => {
    assert.equal(keyOfEvent(call(A, 'eu-west-1', `arn:aws:iam::${A}:role/transfer-reconciler-spoke`), opts).kind, 'none');
    const nested = {
      id: 'p',
      account: hub.accountId,
      region: hub.region,
      source: 'aws.ssm',
      'detail-type': 'Parameter Store Change',
      detail: { name: `/docs/${A}/eu-west-1/${S}`, operation: 'Update' },
    };
    assert.deepEqual(keyOfEvent(nested, opts), {
      kind: 'server',
      serverId: S,
      reason: 'document',
      document: { name: `/docs/${A}/eu-west-1/${S}` },
      accountId: A,
      region: 'eu-west-1',
    });
    assert.equal(keyOfEvent({ ...nested, detail: { name: `/docs/${A}/eu-wst-1/${S}`, operation: 'Update' } }, opts).kind, 'none');
    assert.equal(keyOfEvent({ ...nested, account: A }, opts).kind, 'none');
  });

  test('own-role patterns: exact ARN, ARN with *, bare role name (any path, account, partition); nothing broader', () => {
    const spoke = `arn:aws:iam::${A}:role/transfer-reconciler-spoke`;
    assert.equal(isOwnRole(spoke, [spoke]), true);
    assert.equal(isOwnRole(spoke, ['arn:aws:iam::*:role/transfer-reconciler-spoke']), true);
    assert.equal(isOwnRole(spoke, ['transfer-reconciler-spoke']), true);
    assert.equal(isOwnRole(`arn:aws-us-gov:iam::${A}:role/team/transfer-reconciler-spoke`, ['transfer-reconciler-spoke']), true);
    assert.equal(isOwnRole(`arn:aws:iam::${A}:role/transfer-reconciler-spoke-evil`, ['transfer-reconciler-spoke']), false);
    assert.equal(isOwnRole(`arn:aws:iam::${A}:role/evil-transfer-reconciler-spoke`, ['transfer-reconciler-spoke']), false);
    assert.equal(isOwnRole(`arn:aws:iam::${A}:role/x:y`, ['arn:aws:iam::*:role/x']), false);
    assert.equal(isOwnRole(`arn:aws:iam::${A}:role/Admin`, ['transfer-reconciler-spoke']), false);
  });
});
