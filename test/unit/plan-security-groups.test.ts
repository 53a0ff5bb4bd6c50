// Security groups of a server already in a VPC: compared with its endpoint's groups (EC2), changed
// with ModifyVpcEndpoint — add first, then remove — never in UpdateServer, never with a stop.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { plan } from '../../functions/reconciler/plan/plan.ts';
import { VPC_SERVER, desiredOf, observedOf } from './plan-fixtures.ts';
import { applyToObserved } from '../helpers/simulate.ts';

const ENDPOINT = 'vpce-0123456789abcdef0';
const vpcWithGroups = (groups: string[]) => observedOf({ ...VPC_SERVER, SecurityGroupIds: groups });
const wanting = (groups: string[]) => desiredOf({ EndpointDetails: { SecurityGroupIds: groups } });

describe('security groups on the VPC endpoint', () => {
  test('replace: the new group is added in one call and the old one removed in a later one; no UpdateServer, no stop', () => {
    const p = plan(wanting(['sg-0000000b']), vpcWithGroups(['sg-0000000a']));
    assert.deepEqual(p.changes, [{ path: 'EndpointDetails.SecurityGroupIds', from: ['sg-0000000a'], to: ['sg-0000000b'] }]);
    assert.deepEqual(p.steps, [
      { kind: 'modify-endpoint', vpcEndpointId: ENDPOINT, add: ['sg-0000000b'], remove: [] },
      { kind: 'modify-endpoint', vpcEndpointId: ENDPOINT, add: [], remove: ['sg-0000000a'] },
    ]);
    assert.equal(p.offline, false);
  });

  test('add only, remove only, and in sync (order does not matter)', () => {
    assert.deepEqual(
      plan(wanting(['sg-0000000a', 'sg-0000000b']), vpcWithGroups(['sg-0000000a'])).steps.map(
        (s) => s.kind === 'modify-endpoint' && [s.add, s.remove],
      ),
      [[['sg-0000000b'], []]],
    );
    assert.deepEqual(
      plan(wanting(['sg-0000000a']), vpcWithGroups(['sg-0000000b', 'sg-0000000a'])).steps.map(
        (s) => s.kind === 'modify-endpoint' && [s.add, s.remove],
      ),
      [[[], ['sg-0000000b']]],
    );
    const same = plan(wanting(['sg-0000000b', 'sg-0000000a']), vpcWithGroups(['sg-0000000a', 'sg-0000000b']));
    assert.deepEqual(same.changes, []);
    assert.deepEqual(same.steps, []);
  });

  test('after the steps the endpoint has the groups and a second plan is empty; it never had zero groups', () => {
    const observed = vpcWithGroups(['sg-0000000a', 'sg-0000000c']);
    const desired = wanting(['sg-0000000b']);
    const first = plan(desired, observed);
    // applyToObserved refuses a step that would leave the endpoint with no group.
    const after = applyToObserved(first, observed, 'merge');
    assert.deepEqual(after.SecurityGroupIds, ['sg-0000000b']);
    assert.deepEqual(plan(desired, after).changes, []);
  });

  test('an empty list is invalid on a VPC server: the last group is never removed', () => {
    const p = plan(wanting([]), vpcWithGroups(['sg-0000000a']));
    assert.equal(p.invalid[0]?.path, '$.EndpointDetails.SecurityGroupIds');
    assert.match(p.invalid[0]?.message ?? '', /at least one/);
    assert.deepEqual(p.steps, []);
  });

  test('groups not read (no endpoint id reported): a warning, no change, no step', () => {
    const p = plan(
      wanting(['sg-0000000a']),
      observedOf({ EndpointType: 'VPC', EndpointDetails: { SubnetIds: ['subnet-a'], VpcId: 'vpc-1' } }),
    );
    assert.deepEqual(p.changes, []);
    assert.ok(p.warnings.some((w) => /not verified/.test(w)));
  });

  test('moving to VPC: the groups go in the UpdateServer that moves it, as before', () => {
    const desired = desiredOf(
      { EndpointType: 'VPC', EndpointDetails: { VpcId: 'vpc-1', SubnetIds: ['subnet-a'], SecurityGroupIds: ['sg-0000000a'] } },
      { policy: { AllowOfflineChanges: true } },
    );
    const p = plan(desired, observedOf());
    const update = p.steps.find((s) => s.kind === 'update');
    assert.ok(update && update.kind === 'update');
    assert.deepEqual(update.request.EndpointDetails?.SecurityGroupIds, ['sg-0000000a']);
    assert.ok(!p.steps.some((s) => s.kind === 'modify-endpoint'));
  });

  test('a group change is not an UpdateServer: other VPC members unchanged means no UpdateServer at all', () => {
    const p = plan(
      desiredOf({ EndpointDetails: { SubnetIds: ['subnet-a', 'subnet-b'], SecurityGroupIds: ['sg-0000000b'] } }),
      vpcWithGroups(['sg-0000000a']),
    );
    assert.ok(!p.steps.some((s) => s.kind === 'update'), JSON.stringify(p.steps));
  });
});
