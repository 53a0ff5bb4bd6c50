// A spoke's forwarding rule as the local pipeline plays it (infra/local/pipeline/rules.ts
// spokeForwarding: the router's serverApiCalls with the spoke role of the event's account in place
// of the hub's WorkerRole, as infra/aws/spoke/template.yml deploys it): a person's write in a spoke
// is forwarded, the spoke role's own sessions and failed calls are not, and neither is anything but
// Transfer/EC2 API calls.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readConfig } from '../../functions/handlers/lib/config.ts';
import { spokeForwarding } from '../../infra/local/pipeline/rules.ts';

const SPOKE = '111111111111';
const OTHER = '222222222222';
const roleOf = (account: string) => `arn:aws:iam::${account}:role/transfer-reconciler-spoke`;
const forwarded = spokeForwarding(readConfig({}), roleOf);

function apiCall(account: string, issuer: string | undefined, extra: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: 'e-1',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.transfer',
    account,
    region: 'eu-west-1',
    time: '2026-12-02T00:00:00Z',
    resources: [],
    detail: {
      eventSource: 'transfer.amazonaws.com',
      eventName: 'UpdateServer',
      userIdentity:
        issuer === undefined ? { type: 'IAMUser' } : { type: 'AssumedRole', sessionContext: { sessionIssuer: { arn: issuer } } },
      ...extra,
    },
  };
}

describe("a spoke's forwarding rule", () => {
  test("a person's write (a user, or another role's session) is forwarded", () => {
    assert.equal(forwarded(apiCall(SPOKE, undefined)), true);
    assert.equal(forwarded(apiCall(SPOKE, `arn:aws:iam::${SPOKE}:role/admin`)), true);
  });

  test("the spoke role's own sessions are not, in that account; the same role name elsewhere is that account's own", () => {
    assert.equal(forwarded(apiCall(SPOKE, roleOf(SPOKE))), false);
    assert.equal(forwarded(apiCall(OTHER, roleOf(OTHER))), false);
    // Another account's spoke role acting here is not this account's spoke role.
    assert.equal(forwarded(apiCall(SPOKE, roleOf(OTHER))), true);
  });

  test('a failed call, a read and another service are not forwarded', () => {
    assert.equal(forwarded(apiCall(SPOKE, undefined, { errorCode: 'AccessDenied' })), false);
    assert.equal(forwarded(apiCall(SPOKE, undefined, { eventName: 'DescribeServer' })), false);
    const parameterChange = { ...apiCall(SPOKE, undefined), source: 'aws.ssm', 'detail-type': 'Parameter Store Change' };
    assert.equal(forwarded(parameterChange), false);
  });
});
