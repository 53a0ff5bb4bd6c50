import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { plan } from '../../functions/reconciler/plan/plan.ts';
import { RESTART_MARKER_KEY, removeMarker, setMarker } from '../../functions/reconciler/plan/restart-marker.ts';
import type { DesiredDocument, ReconcilerPolicy, Step } from '../../functions/reconciler/types.ts';
import { VPC_SERVER, VPC_SERVER_WITH_EIPS, desiredOf, observedOf } from './plan-fixtures.ts';

const ROLE = 'arn:aws:iam::111122223333:role/log';
const ALLOW = { AllowOfflineChanges: true };

function stepsOf(document: DesiredDocument, observedFields: Record<string, unknown> = {}, policy: ReconcilerPolicy = ALLOW): Step[] {
  const p = plan(desiredOf(document, { policy }), observedOf(observedFields));
  assert.deepEqual(p.invalid, []);
  assert.deepEqual(p.blocked, []);
  return p.steps;
}

/** The restart marker's steps are named apart from the document's tag steps. */
function kinds(steps: Step[]): string[] {
  return steps.map((s) => {
    if (s.kind === 'update') return `update:${s.purpose}`;
    if (s.kind === 'tag' && s.tags.some((t) => t.Key === RESTART_MARKER_KEY)) return 'set-marker';
    if (s.kind === 'untag' && s.keys.includes(RESTART_MARKER_KEY)) return 'remove-marker';
    return s.kind;
  });
}

describe('steps: updates and run state', () => {
  test('an in-sync server has no steps and no changes', () => {
    const p = plan(
      desiredOf({ LoggingRole: ROLE, State: 'ONLINE', Tags: [{ Key: 'a', Value: '1' }] }),
      observedOf({ LoggingRole: ROLE, Tags: [{ Key: 'a', Value: '1' }] }),
    );
    assert.deepEqual(p.steps, []);
    assert.deepEqual(p.changes, []);
    assert.equal(p.offline, false);
  });

  test('one main update with only the changed fields', () => {
    const steps = stepsOf({ LoggingRole: ROLE, SecurityPolicyName: 'TransferSecurityPolicy-2018-11', Protocols: ['SFTP'] });
    assert.deepEqual(steps, [{ kind: 'update', purpose: 'main', request: { LoggingRole: ROLE } }]);
  });

  test('State alone: start or stop', () => {
    assert.deepEqual(stepsOf({ State: 'OFFLINE' }), [{ kind: 'stop' }]);
    assert.deepEqual(stepsOf({ State: 'ONLINE' }, { State: 'OFFLINE' }), [{ kind: 'start' }]);
  });

  test('a failed transition (START_FAILED, STOP_FAILED) plans nothing unless the document says OFFLINE', () => {
    for (const State of ['START_FAILED', 'STOP_FAILED'] as const) {
      for (const document of [{ State: 'ONLINE' as const }, { IpAddressType: 'DUALSTACK' as const }, {}]) {
        const p = plan(desiredOf(document, { policy: ALLOW }), observedOf({ State }));
        assert.deepEqual(p.steps, [], `${State} ${JSON.stringify(document)}`);
        assert.equal(p.failedState, State);
      }
      const offline = plan(desiredOf({ State: 'OFFLINE', IpAddressType: 'DUALSTACK' }, { policy: ALLOW }), observedOf({ State }));
      assert.equal(offline.failedState, undefined);
      assert.deepEqual(kinds(offline.steps), ['update:main']);
    }
  });

  test('State after the update when no offline change is involved', () => {
    assert.deepEqual(kinds(stepsOf({ LoggingRole: ROLE, State: 'ONLINE' }, { State: 'OFFLINE' })), ['update:main', 'start']);
    assert.deepEqual(kinds(stepsOf({ LoggingRole: ROLE, State: 'OFFLINE' })), ['update:main', 'stop']);
  });

  test('an offline-only change on an ONLINE server: stop, update, start', () => {
    const p = plan(desiredOf({ IpAddressType: 'DUALSTACK' }, { policy: ALLOW }), observedOf());
    assert.deepEqual(p.steps, [
      setMarker,
      { kind: 'stop' },
      { kind: 'update', purpose: 'main', request: { IpAddressType: 'DUALSTACK' } },
      { kind: 'start' },
      removeMarker,
    ]);
    assert.equal(p.offline, true);
  });

  test('STARTING counts as ONLINE: it is stopped first and started again', () => {
    assert.deepEqual(kinds(stepsOf({ IpAddressType: 'DUALSTACK' }, { State: 'STARTING' })), [
      'set-marker',
      'stop',
      'update:main',
      'start',
      'remove-marker',
    ]);
  });

  test('a server that was OFFLINE stays OFFLINE', () => {
    const p = plan(desiredOf({ IpAddressType: 'DUALSTACK' }, { policy: ALLOW }), observedOf({ State: 'OFFLINE' }));
    assert.deepEqual(kinds(p.steps), ['update:main']);
    assert.equal(p.offline, false);
    assert.deepEqual(kinds(stepsOf({ IpAddressType: 'DUALSTACK' }, { State: 'STOPPING' })), ['update:main']);
  });

  test('the document State decides where the server ends', () => {
    assert.deepEqual(kinds(stepsOf({ IpAddressType: 'DUALSTACK', State: 'OFFLINE' })), ['stop', 'update:main']);
    assert.deepEqual(kinds(stepsOf({ IpAddressType: 'DUALSTACK', State: 'ONLINE' }, { State: 'OFFLINE' })), ['update:main', 'start']);
  });

  test('a PassiveIp-only change on an ONLINE server: stop, update, start', () => {
    const steps = stepsOf({ ProtocolDetails: { PassiveIp: '10.0.0.1' } });
    assert.deepEqual(steps, [
      setMarker,
      { kind: 'stop' },
      {
        kind: 'update',
        purpose: 'main',
        request: { ProtocolDetails: { PassiveIp: '10.0.0.1', TlsSessionResumptionMode: 'ENFORCED', SetStatOption: 'DEFAULT' } },
      },
      { kind: 'start' },
      removeMarker,
    ]);
  });

  test('tags come after the updates and the start', () => {
    const steps = stepsOf(
      { IpAddressType: 'DUALSTACK', Tags: [{ Key: 'team', Value: 'ops' }] },
      { Tags: [{ Key: 'old', Value: '1' }] },
      { ...ALLOW, PruneTags: true },
    );
    assert.deepEqual(kinds(steps), ['set-marker', 'stop', 'update:main', 'start', 'remove-marker', 'tag', 'untag']);
  });

  test('a changed nested object goes whole, without the members of another type or AWS-made ones', () => {
    const steps = stepsOf({ EndpointDetails: { SubnetIds: ['subnet-c', 'subnet-a'] } }, VPC_SERVER);
    assert.deepEqual(steps, [
      { kind: 'update', purpose: 'main', request: { EndpointDetails: { SubnetIds: ['subnet-a', 'subnet-c'], VpcId: 'vpc-1' } } },
    ]);
  });
});

describe('steps: Elastic IPs', () => {
  test('SubnetIds change while EIPs are attached: clear, main without EIPs, set them back', () => {
    const steps = stepsOf({ EndpointDetails: { SubnetIds: ['subnet-c', 'subnet-d'] } }, VPC_SERVER_WITH_EIPS);
    assert.deepEqual(steps, [
      setMarker,
      { kind: 'stop' },
      {
        kind: 'update',
        purpose: 'clear-address-allocations',
        request: { EndpointDetails: { SubnetIds: ['subnet-a', 'subnet-b'], VpcId: 'vpc-1', AddressAllocationIds: [] } },
      },
      { kind: 'update', purpose: 'main', request: { EndpointDetails: { SubnetIds: ['subnet-c', 'subnet-d'], VpcId: 'vpc-1' } } },
      {
        kind: 'update',
        purpose: 'set-address-allocations',
        request: {
          EndpointDetails: { SubnetIds: ['subnet-c', 'subnet-d'], VpcId: 'vpc-1', AddressAllocationIds: ['eipalloc-1', 'eipalloc-2'] },
        },
      },
      { kind: 'start' },
      removeMarker,
    ]);
  });

  test('SubnetIds and EIPs both change: the desired EIPs are set after the subnets', () => {
    const steps = stepsOf({ EndpointDetails: { SubnetIds: ['subnet-c'], AddressAllocationIds: ['eipalloc-9'] } }, VPC_SERVER_WITH_EIPS);
    assert.deepEqual(kinds(steps), [
      'set-marker',
      'stop',
      'update:clear-address-allocations',
      'update:main',
      'update:set-address-allocations',
      'start',
      'remove-marker',
    ]);
    const last = steps[4];
    assert.ok(last?.kind === 'update');
    assert.deepEqual(last.request.EndpointDetails?.AddressAllocationIds, ['eipalloc-9']);
  });

  test('SubnetIds change and EIPs removed: nothing to set back', () => {
    const steps = stepsOf({ EndpointDetails: { SubnetIds: ['subnet-c'], AddressAllocationIds: [] } }, VPC_SERVER_WITH_EIPS);
    assert.deepEqual(kinds(steps), ['set-marker', 'stop', 'update:clear-address-allocations', 'update:main', 'start', 'remove-marker']);
  });

  test('SubnetIds change without EIPs attached: no clear; new EIPs wait for the subnets', () => {
    assert.deepEqual(kinds(stepsOf({ EndpointDetails: { SubnetIds: ['subnet-c'] } }, VPC_SERVER)), ['update:main']);
    const steps = stepsOf({ EndpointDetails: { SubnetIds: ['subnet-c'], AddressAllocationIds: ['eipalloc-9'] } }, VPC_SERVER);
    assert.deepEqual(kinds(steps), ['set-marker', 'stop', 'update:main', 'update:set-address-allocations', 'start', 'remove-marker']);
    const main = steps[2];
    assert.ok(main?.kind === 'update');
    assert.equal(main.request.EndpointDetails?.AddressAllocationIds, undefined);
  });

  test('EIPs alone on a VPC server: one update while stopped', () => {
    const steps = stepsOf({ EndpointDetails: { AddressAllocationIds: ['eipalloc-1', 'eipalloc-3'] } }, VPC_SERVER_WITH_EIPS);
    assert.deepEqual(steps, [
      setMarker,
      { kind: 'stop' },
      {
        kind: 'update',
        purpose: 'main',
        request: {
          EndpointDetails: { AddressAllocationIds: ['eipalloc-1', 'eipalloc-3'], SubnetIds: ['subnet-a', 'subnet-b'], VpcId: 'vpc-1' },
        },
      },
      { kind: 'start' },
      removeMarker,
    ]);
  });

  test('moving to VPC: the EIPs are held back to a second update, the security groups go with the move', () => {
    const document: DesiredDocument = {
      EndpointType: 'VPC',
      EndpointDetails: { SubnetIds: ['subnet-a'], VpcId: 'vpc-1', AddressAllocationIds: ['eipalloc-1'], SecurityGroupIds: ['sg-1'] },
    };
    assert.deepEqual(stepsOf(document), [
      setMarker,
      { kind: 'stop' },
      {
        kind: 'update',
        purpose: 'main',
        request: { EndpointType: 'VPC', EndpointDetails: { SubnetIds: ['subnet-a'], VpcId: 'vpc-1', SecurityGroupIds: ['sg-1'] } },
      },
      {
        kind: 'update',
        purpose: 'set-address-allocations',
        request: { EndpointDetails: { SubnetIds: ['subnet-a'], VpcId: 'vpc-1', AddressAllocationIds: ['eipalloc-1'] } },
      },
      { kind: 'start' },
      removeMarker,
    ]);
  });

  test('moving an OFFLINE server to VPC keeps it OFFLINE', () => {
    const document: DesiredDocument = {
      EndpointType: 'VPC',
      EndpointDetails: { SubnetIds: ['subnet-a'], VpcId: 'vpc-1', AddressAllocationIds: ['eipalloc-1'] },
    };
    assert.deepEqual(kinds(stepsOf(document, { State: 'OFFLINE' })), ['update:main', 'update:set-address-allocations']);
  });
});

describe('steps: restart marker left by an interrupted offline change', () => {
  const MARKER = [{ Key: RESTART_MARKER_KEY, Value: 'true' }];

  test('OFFLINE with the marker and no State in the document: started, then the marker removed', () => {
    const p = plan(desiredOf({}, { policy: ALLOW }), observedOf({ State: 'OFFLINE', Tags: MARKER }));
    assert.deepEqual(p.steps, [{ kind: 'start' }, removeMarker]);
    assert.equal(p.offline, false);
  });

  test('OFFLINE with the marker and an offline-only change still to make: update, start, remove the marker', () => {
    assert.deepEqual(kinds(stepsOf({ IpAddressType: 'DUALSTACK' }, { State: 'OFFLINE', Tags: MARKER })), [
      'update:main',
      'start',
      'remove-marker',
    ]);
  });

  test('OFFLINE with the marker and State OFFLINE in the document: only the marker removed, no start', () => {
    assert.deepEqual(stepsOf({ State: 'OFFLINE' }, { State: 'OFFLINE', Tags: MARKER }), [removeMarker]);
  });

  test('ONLINE with the marker (a restore started it again) and nothing else: only the marker removed, no stop', () => {
    const p = plan(desiredOf({}, { policy: ALLOW }), observedOf({ Tags: MARKER }));
    assert.deepEqual(p.steps, [removeMarker]);
    assert.equal(p.offline, false);
  });

  test("ONLINE with a marker (maybe another reconcile's) and the change still to make: its own marker before the stop, removed once after the start", () => {
    assert.deepEqual(kinds(stepsOf({ IpAddressType: 'DUALSTACK' }, { Tags: MARKER })), [
      'set-marker',
      'stop',
      'update:main',
      'start',
      'remove-marker',
    ]);
  });

  test('a document can neither set nor prune the marker', () => {
    const p = plan(
      desiredOf({ Tags: [{ Key: RESTART_MARKER_KEY, Value: 'x' }] }, { policy: { ...ALLOW, PruneTags: true } }),
      observedOf({ Tags: [{ Key: 'transfer-reconciler:other', Value: '1' }] }),
    );
    assert.deepEqual(p.steps, []);
    assert.deepEqual(p.changes, []);
  });
});

describe('steps: restart marker on a server in a failed state', () => {
  test('STOP_FAILED or START_FAILED with the marker: no start, the marker kept (a failed transition is left for a human)', () => {
    for (const State of ['STOP_FAILED', 'START_FAILED']) {
      const p = plan(desiredOf({}, { policy: ALLOW }), observedOf({ State, Tags: [{ Key: RESTART_MARKER_KEY, Value: 'true' }] }));
      assert.deepEqual(p.steps, [], State);
      assert.deepEqual(p.changes, [], State);
    }
  });
});
