// A pure simulation of what AWS does with a plan's steps, for property tests and dry runs:
// `plan(d, applyToObserved(plan(d, o), o, mode))` must be empty. Whether UpdateServer merges or
// replaces the nested members a request leaves out is undocumented, so both are simulated. The
// simulation also refuses, as AWS does, the requests the plan must never send (offline-only
// fields on a running server, EIPs in the wrong call, security groups after creation).
import { normaliseFingerprint } from '../../functions/shared/fingerprint.ts';
import { normaliseServer } from '../../functions/reconciler/observed/normalise.ts';
import type {
  EndpointDetails,
  IdentityProviderDetails,
  ObservedServer,
  Plan,
  Step,
  UpdateRequest,
} from '../../functions/reconciler/types.ts';
import { endpointMemberAllowed, identityMemberAllowed } from '../../functions/reconciler/plan/fields.ts';
import { runState } from '../../functions/reconciler/plan/run-state.ts';
import { definedMembers, sameSet } from '../../functions/reconciler/plan/values.ts';

export type NestedUpdateMode = 'merge' | 'replace';

/** A request AWS would refuse (InvalidRequestException). */
export class SimulatedRejection extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatedRejection';
  }
}

function nested<T extends object>(current: T, request: T | undefined, mode: NestedUpdateMode): T {
  if (request === undefined) return current;
  return mode === 'merge' ? { ...current, ...definedMembers(request) } : { ...definedMembers(request) };
}

function refuse(condition: boolean, message: string): void {
  if (condition) throw new SimulatedRejection(message);
}

function checkRequest(server: ObservedServer, request: UpdateRequest): void {
  const online = runState(server.State) === 'ONLINE';
  const type = request.EndpointType ?? server.EndpointType;
  const movingToVpc = type === 'VPC' && server.EndpointType !== 'VPC';
  const details = request.EndpointDetails;
  const currentEips = server.EndpointDetails.AddressAllocationIds ?? [];
  const subnetsChange = details?.SubnetIds !== undefined && !sameSet(details.SubnetIds, server.EndpointDetails.SubnetIds ?? []);
  refuse(online && type !== server.EndpointType, 'Server must be OFFLINE to change EndpointType');
  refuse(
    online && request.IpAddressType !== undefined && request.IpAddressType !== server.IpAddressType,
    'Server must be OFFLINE to change IpAddressType',
  );
  if (details === undefined) return;
  const eips = details.AddressAllocationIds;
  refuse(online && eips !== undefined && !sameSet(eips, currentEips), 'Server must be OFFLINE to change AddressAllocationIds');
  refuse(movingToVpc && eips !== undefined, 'Cannot specify AddressAllocationIds when updating server to EndpointType: VPC');
  refuse(subnetsChange && eips !== undefined, 'AddressAllocationIds cannot be set in the call that changes SubnetIds');
  refuse(subnetsChange && currentEips.length > 0, 'AddressAllocationIds must be removed before SubnetIds can be modified');
  refuse(details.SecurityGroupIds !== undefined && !movingToVpc, 'SecurityGroupIds can be set only when EndpointType changes to VPC');
  refuse(details.VpcEndpointId !== undefined && type === 'VPC', 'VPC Endpoint ID unsupported for EndpointType: VPC');
}

function endpointDetails(server: ObservedServer, request: UpdateRequest, mode: NestedUpdateMode): EndpointDetails {
  const type = request.EndpointType ?? server.EndpointType;
  const sameType = type === server.EndpointType;
  const current = sameType ? server.EndpointDetails : {};
  const merged: EndpointDetails = nested(current, request.EndpointDetails, mode);
  const result: EndpointDetails = {};
  for (const [member, value] of Object.entries(merged) as [keyof EndpointDetails, unknown][]) {
    // Security groups live on the VPC endpoint, never in DescribeServer.
    if (value === undefined || member === 'SecurityGroupIds') continue;
    if (endpointMemberAllowed(member, type)) (result as Record<string, unknown>)[member] = value;
  }
  // A VPC server reports the endpoint AWS created for it.
  if (type === 'VPC') result.VpcEndpointId = sameType ? server.EndpointDetails.VpcEndpointId : `vpce-simulated${server.ServerId}`;
  return definedMembers(result);
}

function identityDetails(server: ObservedServer, request: UpdateRequest, mode: NestedUpdateMode): IdentityProviderDetails {
  const type = request.IdentityProviderType ?? server.IdentityProviderType;
  const current = type === server.IdentityProviderType ? server.IdentityProviderDetails : {};
  const merged: IdentityProviderDetails = nested(current, request.IdentityProviderDetails, mode);
  const result: IdentityProviderDetails = {};
  for (const [member, value] of Object.entries(merged) as [keyof IdentityProviderDetails, unknown][]) {
    if (value !== undefined && identityMemberAllowed(member, type)) (result as Record<string, unknown>)[member] = value;
  }
  return result;
}

function applyUpdate(server: ObservedServer, request: UpdateRequest, mode: NestedUpdateMode): ObservedServer {
  checkRequest(server, request);
  const {
    HostKey,
    ProtocolDetails,
    WorkflowDetails,
    S3StorageOptions,
    EndpointDetails: _e,
    IdentityProviderDetails: _i,
    ...flat
  } = request;
  const next: ObservedServer = {
    ...server,
    ...definedMembers(flat),
    EndpointDetails: endpointDetails(server, request, mode),
    IdentityProviderDetails: identityDetails(server, request, mode),
    ProtocolDetails: nested(server.ProtocolDetails, ProtocolDetails, mode),
    WorkflowDetails: nested(server.WorkflowDetails, WorkflowDetails, mode),
    S3StorageOptions: nested(server.S3StorageOptions, S3StorageOptions, mode),
  };
  if (HostKey !== undefined) next.HostKeyFingerprint = normaliseFingerprint(HostKey.fingerprint);
  return next;
}

function applyStep(server: ObservedServer, step: Step, mode: NestedUpdateMode): ObservedServer {
  switch (step.kind) {
    case 'stop':
      return { ...server, State: 'OFFLINE' };
    case 'start':
      return { ...server, State: 'ONLINE' };
    case 'update':
      return applyUpdate(server, step.request, mode);
    case 'tag': {
      refuse(
        step.tags.some((t) => t.Key.toLowerCase().startsWith('aws:')),
        'aws: tag keys are reserved',
      );
      const keys = new Set(step.tags.map((t) => t.Key));
      return { ...server, Tags: [...server.Tags.filter((t) => !keys.has(t.Key)), ...step.tags] };
    }
    case 'untag': {
      refuse(
        step.keys.some((k) => k.toLowerCase().startsWith('aws:')),
        'aws: tag keys are reserved',
      );
      const keys = new Set(step.keys);
      return { ...server, Tags: server.Tags.filter((t) => !keys.has(t.Key)) };
    }
    case 'modify-endpoint': {
      const groups = new Set([...(server.SecurityGroupIds ?? []), ...step.add].filter((g) => !step.remove.includes(g)));
      refuse(groups.size === 0, 'a VPC endpoint keeps at least one security group');
      return { ...server, SecurityGroupIds: [...groups].sort() };
    }
    case 'import-host-key': {
      const keys = server.HostKeys ?? [];
      const fingerprint = normaliseFingerprint(step.secret.fingerprint);
      refuse(
        keys.some((k) => k.Fingerprint === fingerprint),
        'ResourceExistsException: the key is already on the server',
      );
      const imported = {
        HostKeyId: `hostkey-${String(keys.length).padStart(17, '0')}`,
        Fingerprint: fingerprint,
        Type: step.secret.algorithm,
        Description: step.description ?? '',
        DateImported: Math.max(0, ...keys.map((k) => k.DateImported)) + 1,
      };
      return { ...server, HostKeys: [...keys, imported] };
    }
    case 'update-host-key':
      return {
        ...server,
        HostKeys: (server.HostKeys ?? []).map((k) => (k.HostKeyId === step.hostKeyId ? { ...k, Description: step.description } : k)),
      };
    case 'delete-host-key':
      return { ...server, HostKeys: (server.HostKeys ?? []).filter((k) => k.HostKeyId !== step.hostKeyId) };
  }
}

/** The server after AWS carried out the plan's steps, as DescribeServer (normalised) would show it. */
export function applyToObserved(p: Plan, observed: ObservedServer, mode: NestedUpdateMode): ObservedServer {
  let server = structuredClone(observed);
  for (const step of p.steps) server = applyStep(server, step, mode);
  return normaliseServer(server as unknown as Record<string, unknown>);
}
