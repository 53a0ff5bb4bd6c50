import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { plan } from '../../functions/reconciler/plan/plan.ts';
import type { DesiredDocument } from '../../functions/reconciler/types.ts';
import { VPC_SERVER, VPC_SERVER_WITH_EIPS, desiredOf, observedOf } from './plan-fixtures.ts';

describe('blocked changes', () => {
  const cases: [string, DesiredDocument, Record<string, unknown>, string][] = [
    ['EndpointType', { EndpointType: 'VPC', EndpointDetails: { SubnetIds: ['subnet-a'], VpcId: 'vpc-1' } }, {}, '$.EndpointType'],
    [
      'AddressAllocationIds',
      { EndpointDetails: { AddressAllocationIds: ['eipalloc-1'] } },
      VPC_SERVER,
      '$.EndpointDetails.AddressAllocationIds',
    ],
    ['IpAddressType', { IpAddressType: 'DUALSTACK' }, {}, '$.IpAddressType'],
    [
      'SubnetIds with Elastic IPs attached',
      { EndpointDetails: { SubnetIds: ['subnet-c'] } },
      VPC_SERVER_WITH_EIPS,
      '$.EndpointDetails.SubnetIds',
    ],
  ];
  for (const [name, document, observed, path] of cases) {
    test(`${name}: blocked without AllowOfflineChanges, with zero steps`, () => {
      const p = plan(desiredOf({ ...document, Tags: [{ Key: 'team', Value: 'ops' }], State: 'OFFLINE' }), observedOf(observed));
      assert.ok(
        p.blocked.some((i) => i.path === path),
        JSON.stringify(p.blocked),
      );
      const issue = p.blocked.find((i) => i.path === path);
      assert.match(issue?.message ?? '', /OFFLINE/);
      assert.match(issue?.message ?? '', /"Reconciler": \{"AllowOfflineChanges": true\}/);
      assert.deepEqual(p.steps, []);
      assert.equal(p.offline, false);
    });
  }

  test('PassiveIp: blocked because it needs a restart', () => {
    const p = plan(desiredOf({ ProtocolDetails: { PassiveIp: '10.0.0.1' } }), observedOf());
    assert.equal(p.blocked.length, 1);
    assert.equal(p.blocked[0]?.path, '$.ProtocolDetails.PassiveIp');
    assert.match(p.blocked[0]?.message ?? '', /stopped and started again/);
    assert.deepEqual(p.steps, []);
  });

  test('AllowOfflineChanges unblocks them', () => {
    const p = plan(
      desiredOf({ ProtocolDetails: { PassiveIp: '10.0.0.1' }, IpAddressType: 'DUALSTACK' }, { policy: { AllowOfflineChanges: true } }),
      observedOf(),
    );
    assert.deepEqual(p.blocked, []);
    assert.ok(p.steps.length > 0);
  });

  test('host-key rotation is blocked without AllowHostKeyRotation', () => {
    const desired = desiredOf(
      { HostKey: { SecureStringParameter: '/k' }, LoggingRole: '' },
      { fingerprint: 'SHA256:newAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    );
    const p = plan(
      desired,
      observedOf({
        HostKeyFingerprint: 'SHA256:oldAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
        LoggingRole: 'arn:aws:iam::111122223333:role/x',
      }),
    );
    assert.deepEqual(
      p.blocked.map((i) => i.path),
      ['$.HostKey'],
    );
    assert.match(p.blocked[0]?.message ?? '', /"Reconciler": \{"AllowHostKeyRotation": true\}/);
    assert.match(p.blocked[0]?.message ?? '', /SHA256:old/);
    assert.equal(p.blocked[0]?.message.includes('SECRET'), false);
    assert.deepEqual(p.steps, []);
  });

  test('AllowHostKeyRotation unblocks it', () => {
    const desired = desiredOf(
      { HostKey: { SecureStringParameter: '/k' } },
      { fingerprint: 'SHA256:newAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', policy: { AllowHostKeyRotation: true } },
    );
    const p = plan(desired, observedOf({ HostKeyFingerprint: 'SHA256:oldAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }));
    assert.deepEqual(p.blocked, []);
    assert.equal(p.steps.length, 1);
  });

  test('detect mode still computes the whole plan', () => {
    const p = plan(desiredOf({ LoggingRole: 'arn:aws:iam::111122223333:role/x' }, { policy: { Mode: 'detect' } }), observedOf());
    assert.equal(p.changes.length, 1);
    assert.equal(p.steps.length, 1);
  });
});

describe('security groups', () => {
  const sg = { EndpointDetails: { SecurityGroupIds: ['sg-2', 'sg-1'] } };

  test("on a VPC server they are compared with the endpoint's groups, read through EC2; a change is no UpdateServer", () => {
    const observed = observedOf({ ...VPC_SERVER, SecurityGroupIds: ['sg-1'] });
    const p = plan(desiredOf({ ...sg, LoggingRole: 'arn:aws:iam::111122223333:role/x' }), observed);
    assert.deepEqual(
      p.changes.map((c) => c.path),
      ['LoggingRole', 'EndpointDetails.SecurityGroupIds'],
    );
    assert.deepEqual(p.blocked, []);
    assert.deepEqual(p.warnings, []);
    assert.deepEqual(p.steps[0], { kind: 'update', purpose: 'main', request: { LoggingRole: 'arn:aws:iam::111122223333:role/x' } });
    assert.equal(p.steps[1]?.kind, 'modify-endpoint');
  });

  test('groups that could not be read (no endpoint id): a warning, not a change nor a block', () => {
    const p = plan(desiredOf(sg), observedOf({ EndpointType: 'VPC', EndpointDetails: { SubnetIds: ['subnet-a'], VpcId: 'vpc-1' } }));
    assert.deepEqual(p.changes, []);
    assert.match(p.warnings[0] ?? '', /not verified/);
  });

  test('an in-sync VPC server with SecurityGroupIds in the document has an empty plan', () => {
    const p = plan(desiredOf(sg), observedOf({ ...VPC_SERVER, SecurityGroupIds: ['sg-1', 'sg-2'] }));
    assert.deepEqual(p.changes, []);
    assert.deepEqual(p.steps, []);
  });

  test('they are sent in the update that moves the server to VPC', () => {
    const document = {
      EndpointType: 'VPC' as const,
      EndpointDetails: { SubnetIds: ['subnet-a'], VpcId: 'vpc-1', SecurityGroupIds: ['sg-2', 'sg-1'] },
    };
    const p = plan(desiredOf(document, { policy: { AllowOfflineChanges: true } }), observedOf());
    assert.ok(p.changes.some((c) => c.path === 'EndpointDetails.SecurityGroupIds'));
    assert.deepEqual(p.warnings, []);
    assert.deepEqual(p.steps[2], {
      kind: 'update',
      purpose: 'main',
      request: { EndpointType: 'VPC', EndpointDetails: { SubnetIds: ['subnet-a'], VpcId: 'vpc-1', SecurityGroupIds: ['sg-1', 'sg-2'] } },
    });
  });
});

describe('failed states', () => {
  test('START_FAILED and STOP_FAILED: a failed plan with no steps, or a warning when the document says OFFLINE', () => {
    for (const State of ['START_FAILED', 'STOP_FAILED'] as const) {
      const failed = plan(desiredOf({ LoggingRole: '' }), observedOf({ State }));
      assert.equal(failed.failedState, State);
      assert.deepEqual(failed.steps, []);
      const offline = plan(desiredOf({ State: 'OFFLINE' }), observedOf({ State }));
      assert.equal(offline.failedState, undefined);
      assert.equal(offline.warnings.length, 1, State);
      assert.match(offline.warnings[0] ?? '', new RegExp(State));
    }
  });
});
