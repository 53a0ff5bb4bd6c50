import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyToObserved, SimulatedRejection } from '../helpers/simulate.ts';
import type { Plan, Step } from '../../functions/reconciler/types.ts';
import { VPC_SERVER, VPC_SERVER_WITH_EIPS, fakeSecret, observedOf } from './plan-fixtures.ts';

function planOf(steps: Step[]): Plan {
  return { serverId: 's', changes: [], steps, blocked: [], invalid: [], warnings: [], offline: false };
}

describe('applyToObserved', () => {
  test('merge keeps the nested members a request leaves out; replace resets them', () => {
    const observed = observedOf({ ProtocolDetails: { PassiveIp: '10.0.0.1', SetStatOption: 'ENABLE_NO_OP' }, State: 'OFFLINE' });
    const p = planOf([{ kind: 'update', purpose: 'main', request: { ProtocolDetails: { TlsSessionResumptionMode: 'DISABLED' } } }]);
    assert.deepEqual(applyToObserved(p, observed, 'merge').ProtocolDetails, {
      PassiveIp: '10.0.0.1',
      TlsSessionResumptionMode: 'DISABLED',
      SetStatOption: 'ENABLE_NO_OP',
    });
    assert.deepEqual(applyToObserved(p, observed, 'replace').ProtocolDetails, {
      PassiveIp: 'AUTO',
      TlsSessionResumptionMode: 'DISABLED',
      SetStatOption: 'DEFAULT',
    });
  });

  test('runs stop, start, tag, untag and a host key', () => {
    const p = planOf([
      { kind: 'stop' },
      { kind: 'update', purpose: 'main', request: { HostKey: fakeSecret('SHA256:newAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=') } },
      { kind: 'start' },
      { kind: 'tag', tags: [{ Key: 'team', Value: 'ops' }] },
      { kind: 'untag', keys: ['old'] },
    ]);
    const after = applyToObserved(p, observedOf({ Tags: [{ Key: 'old', Value: '1' }] }), 'merge');
    assert.equal(after.State, 'ONLINE');
    assert.equal(after.HostKeyFingerprint, 'SHA256:newAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    assert.deepEqual(after.Tags, [{ Key: 'team', Value: 'ops' }]);
  });

  test('a type change drops the members of the old type and AWS never reports security groups', () => {
    const toPublic = applyToObserved(
      planOf([{ kind: 'update', purpose: 'main', request: { EndpointType: 'PUBLIC' } }]),
      observedOf({ ...VPC_SERVER, State: 'OFFLINE' }),
      'merge',
    );
    assert.deepEqual(toPublic.EndpointDetails, {});
    const toVpc = applyToObserved(
      planOf([
        {
          kind: 'update',
          purpose: 'main',
          request: { EndpointType: 'VPC', EndpointDetails: { SubnetIds: ['subnet-a'], VpcId: 'vpc-1', SecurityGroupIds: ['sg-1'] } },
        },
      ]),
      observedOf({ State: 'OFFLINE' }),
      'replace',
    );
    assert.equal(toVpc.EndpointDetails.SecurityGroupIds, undefined);
    assert.deepEqual(toVpc.EndpointDetails.SubnetIds, ['subnet-a']);
  });

  test('refuses what AWS refuses', () => {
    const refused: [Step[], Record<string, unknown>][] = [
      [
        [
          {
            kind: 'update',
            purpose: 'main',
            request: { EndpointType: 'VPC', EndpointDetails: { SubnetIds: ['subnet-a'], VpcId: 'vpc-1' } },
          },
        ],
        {},
      ],
      [[{ kind: 'update', purpose: 'main', request: { IpAddressType: 'DUALSTACK' } }], {}],
      [[{ kind: 'update', purpose: 'main', request: { EndpointDetails: { AddressAllocationIds: ['eipalloc-9'] } } }], VPC_SERVER],
      [
        [{ kind: 'update', purpose: 'main', request: { EndpointDetails: { SubnetIds: ['subnet-z'] } } }],
        { ...VPC_SERVER_WITH_EIPS, State: 'OFFLINE' },
      ],
      [
        [{ kind: 'update', purpose: 'main', request: { EndpointDetails: { SubnetIds: ['subnet-z'], AddressAllocationIds: [] } } }],
        { ...VPC_SERVER, State: 'OFFLINE' },
      ],
      [
        [
          {
            kind: 'update',
            purpose: 'main',
            request: {
              EndpointType: 'VPC',
              EndpointDetails: { SubnetIds: ['subnet-a'], VpcId: 'vpc-1', AddressAllocationIds: ['eipalloc-1'] },
            },
          },
        ],
        { State: 'OFFLINE' },
      ],
      [[{ kind: 'update', purpose: 'main', request: { EndpointDetails: { SecurityGroupIds: ['sg-1'] } } }], VPC_SERVER],
      [[{ kind: 'update', purpose: 'main', request: { EndpointDetails: { VpcEndpointId: 'vpce-0123456789abcdef0' } } }], VPC_SERVER],
      [[{ kind: 'untag', keys: ['aws:cloudformation:stack-name'] }], {}],
    ];
    for (const [steps, observed] of refused) {
      assert.throws(() => applyToObserved(planOf(steps), observedOf(observed), 'merge'), SimulatedRejection, JSON.stringify(steps));
    }
  });
});
