// Event → keys for every trigger kind, the dropped ones included: Parameter Store changes under
// either prefix, CloudTrail Transfer and EC2 calls, failed calls, the reconciler's own role, and
// events that cannot change a server.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EC2_EVENT_NAMES, TRANSFER_EVENT_NAMES, keyOfEvent } from '../../functions/reconciler/queue/event-keys.ts';

const S = 's-0123456789abcdef0';
const WORKER = 'arn:aws:iam::123456789012:role/transfer-reconciler-dev-worker';
const PERSON = 'arn:aws:iam::123456789012:role/Admin';
const opts = { prefix: '/docs/', hostKeyPrefix: '/keys/', ignoredRoleArns: [WORKER] };

function ssm(name: string, operation = 'Update') {
  return { id: 'e1', source: 'aws.ssm', 'detail-type': 'Parameter Store Change', detail: { name, operation, type: 'String' } };
}

function apiCall(
  source: string,
  eventName: string,
  requestParameters: Record<string, unknown> | null,
  extra: Record<string, unknown> = {},
  issuer = PERSON,
) {
  return {
    id: 'e2',
    source,
    'detail-type': 'AWS API Call via CloudTrail',
    detail: {
      eventName,
      eventSource: `${source.slice(4)}.amazonaws.com`,
      userIdentity: { type: 'AssumedRole', sessionContext: { sessionIssuer: { arn: issuer } } },
      requestParameters,
      ...extra,
    },
  };
}

describe('keyOfEvent', () => {
  test('a document change keys its server, a deletion too (the worker reports it unmanaged)', () => {
    assert.deepEqual(keyOfEvent(ssm(`/docs/${S}`), opts), {
      kind: 'server',
      serverId: S,
      reason: 'document',
      document: { name: `/docs/${S}` },
    });
    assert.deepEqual(keyOfEvent(ssm(`/docs/${S}`, 'Delete'), opts), {
      kind: 'server',
      serverId: S,
      reason: 'document',
      document: { name: `/docs/${S}` },
    });
  });

  test('a host-key change keys the host key; names outside both prefixes or not a server id key nothing', () => {
    assert.deepEqual(keyOfEvent(ssm('/keys/sftp-a'), opts), { kind: 'host-key', name: '/keys/sftp-a' });
    assert.equal(keyOfEvent(ssm('/elsewhere/x'), opts).kind, 'none');
    assert.equal(keyOfEvent(ssm('/docs/not-a-server'), opts).kind, 'none');
  });

  test('every Transfer write that changes a server keys it, by serverId or by the server ARN', () => {
    for (const name of TRANSFER_EVENT_NAMES) {
      const params =
        name === 'TagResource' || name === 'UntagResource'
          ? { arn: `arn:aws:transfer:us-east-1:123456789012:server/${S}` }
          : { serverId: S };
      assert.deepEqual(keyOfEvent(apiCall('aws.transfer', name, params), opts), { kind: 'server', serverId: S, reason: 'api-call' }, name);
    }
  });

  test('Tag/UntagResource of a user or another resource, and Transfer calls that change no server, key nothing', () => {
    const user = { arn: `arn:aws:transfer:us-east-1:123456789012:user/${S}/alice` };
    assert.equal(keyOfEvent(apiCall('aws.transfer', 'TagResource', user), opts).kind, 'none');
    assert.equal(keyOfEvent(apiCall('aws.transfer', 'CreateUser', { serverId: S }), opts).kind, 'none');
    assert.equal(keyOfEvent(apiCall('aws.transfer', 'UpdateServer', null), opts).kind, 'none');
  });

  test('ModifyVpcEndpoint keys the endpoint (EC2 nests the request)', () => {
    for (const name of EC2_EVENT_NAMES) {
      const params = { ModifyVpcEndpointRequest: { VpcEndpointId: 'vpce-0a1b2c3d4e5f60718', AddSecurityGroupId: 'sg-1' } };
      assert.deepEqual(keyOfEvent(apiCall('aws.ec2', name, params), opts), { kind: 'endpoint', endpointId: 'vpce-0a1b2c3d4e5f60718' });
    }
    assert.equal(keyOfEvent(apiCall('aws.ec2', 'ModifyVpcEndpoint', { ModifyVpcEndpointRequest: {} }), opts).kind, 'none');
    assert.equal(keyOfEvent(apiCall('aws.ec2', 'RunInstances', {}), opts).kind, 'none');
  });

  test('a failed call changed nothing: dropped', () => {
    const key = keyOfEvent(apiCall('aws.transfer', 'UpdateServer', { serverId: S }, { errorCode: 'AccessDenied' }), opts);
    assert.equal(key.kind, 'none');
    if (key.kind === 'none') assert.match(key.reason, /failed \(AccessDenied\)/);
  });

  test("the reconciler's own writes are dropped; anybody else's are not", () => {
    const own = keyOfEvent(apiCall('aws.transfer', 'UpdateServer', { serverId: S }, {}, WORKER), opts);
    assert.equal(own.kind, 'none');
    if (own.kind === 'none') assert.match(own.reason, /own role/);
    const ec2Own = keyOfEvent(
      apiCall('aws.ec2', 'ModifyVpcEndpoint', { ModifyVpcEndpointRequest: { VpcEndpointId: 'vpce-0a1b2c3d' } }, {}, WORKER),
      opts,
    );
    assert.equal(ec2Own.kind, 'none');
    assert.equal(keyOfEvent(apiCall('aws.transfer', 'UpdateServer', { serverId: S }, {}, PERSON), opts).kind, 'server');
  });

  test('anything else (a schedule, garbage) keys nothing', () => {
    assert.equal(keyOfEvent({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }, opts).kind, 'none');
    assert.equal(keyOfEvent(null, opts).kind, 'none');
    assert.equal(keyOfEvent({ 'detail-type': 'AWS API Call via CloudTrail' }, opts).kind, 'none');
  });
});
