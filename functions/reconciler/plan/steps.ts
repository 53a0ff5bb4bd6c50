// The ordered steps of a plan. The order for endpoint changes is the one Terraform and
// CloudFormation use (docs/aws-behaviour.md): stop → detach Elastic IPs if subnets change → main
// update → attach Elastic IPs when they had to wait → start. Unlike them, the plan restores the run
// state the server had (or the document's State) instead of always starting it.
import type { Change, DesiredServer, EndpointDetails, ObservedServer, RunState, ServerFields, Step, Tag, UpdateRequest } from '../types.ts';
import { subnetsNeedEipDetach } from './diff.ts';
import { FIELD_ORDER, NESTED_FIELDS, SET_FIELDS } from './fields.ts';
import { runState } from './run-state.ts';
import { RESTART_MARKER_KEY, removeMarker, restartPending, setMarker } from './restart-marker.ts';
import type { Target } from './target.ts';
import { sortedCopy } from './values.ts';
import { customHostnameSteps } from './custom-hostname.ts';
import { SECURITY_GROUPS_PATH, securityGroupSteps } from './security-groups.ts';

function nestedWhole(field: (typeof NESTED_FIELDS)[number], target: Target): object {
  switch (field) {
    case 'ProtocolDetails':
      return { ...target.protocolDetails };
    case 'EndpointDetails':
      return { ...target.endpointDetails };
    case 'IdentityProviderDetails':
      return { ...target.identityProviderDetails };
    case 'WorkflowDetails':
      return { ...target.workflowDetails };
    case 'S3StorageOptions':
      return { ...target.s3StorageOptions };
  }
}

function changedFields(changes: Change[], target: Target): Set<keyof ServerFields> {
  // Groups of a server already in a VPC change on its endpoint (security-groups.ts), not in UpdateServer.
  const sent = changes.filter((c) => c.path !== SECURITY_GROUPS_PATH || target.movingToVpc);
  const fields = new Set(sent.map((c) => c.path.split('.')[0] as keyof ServerFields));
  // A type change takes the members of the new type with it, even when none of them differs.
  if (target.endpointTypeChanged && Object.keys(target.endpointDetails).length > 0) fields.add('EndpointDetails');
  if (target.identityTypeChanged && Object.keys(target.identityProviderDetails).length > 0) fields.add('IdentityProviderDetails');
  return fields;
}

/** Only the changed top-level fields; a changed nested object goes whole (observed merged with desired). */
function mainRequest(desired: DesiredServer, changes: Change[], target: Target): UpdateRequest {
  const fields = changedFields(changes, target);
  const request: Record<string, unknown> = {};
  for (const field of FIELD_ORDER) {
    if (!fields.has(field)) continue;
    if ((NESTED_FIELDS as readonly string[]).includes(field)) request[field] = nestedWhole(field as (typeof NESTED_FIELDS)[number], target);
    else if ((SET_FIELDS as readonly string[]).includes(field)) request[field] = sortedCopy(desired.document[field] as string[]);
    else request[field] = desired.document[field];
  }
  // The secret object itself: the apply layer reveals it at the last moment; its text is never copied.
  if (desired.hostKey !== undefined && changes.some((c) => c.path === 'HostKey')) request['HostKey'] = desired.hostKey.secret;
  return request as UpdateRequest;
}

function withoutSecurityGroups(details: EndpointDetails): EndpointDetails {
  const { SecurityGroupIds: _omitted, ...rest } = details;
  return rest;
}

/**
 * AWS refuses AddressAllocationIds in the call that moves a server to VPC ("Cannot specify
 * AddressAllocationids when updating server to EndpointType: VPC") and in the call that changes
 * SubnetIds; such EIPs are held back and set by a later update. Attached EIPs must be removed
 * before SubnetIds change.
 */
function updateSteps(desired: DesiredServer, observed: ObservedServer, changes: Change[], target: Target): Step[] {
  const request = mainRequest(desired, changes, target);
  const subnetsChange = changes.some((c) => c.path === 'EndpointDetails.SubnetIds');
  const finalEips = target.endpointDetails.AddressAllocationIds ?? [];
  const holdBack = request.EndpointDetails !== undefined && target.endpointType === 'VPC' && (target.movingToVpc || subnetsChange);
  const updates: Step[] = [];
  if (subnetsChange && subnetsNeedEipDetach(observed, target)) {
    const { SubnetIds, VpcId } = observed.EndpointDetails;
    const details: EndpointDetails = {
      ...(SubnetIds === undefined ? {} : { SubnetIds }),
      ...(VpcId === undefined ? {} : { VpcId }),
      AddressAllocationIds: [],
    };
    updates.push({ kind: 'update', purpose: 'clear-address-allocations', request: { EndpointDetails: details } });
  }
  if (holdBack && request.EndpointDetails !== undefined) {
    const { AddressAllocationIds: _held, ...rest } = request.EndpointDetails;
    request.EndpointDetails = rest;
  }
  if (Object.keys(request).length > 0) updates.push({ kind: 'update', purpose: 'main', request });
  if (holdBack && finalEips.length > 0) {
    const details = { ...withoutSecurityGroups(target.endpointDetails), AddressAllocationIds: [...finalEips] };
    updates.push({ kind: 'update', purpose: 'set-address-allocations', request: { EndpointDetails: details } });
  }
  return updates;
}

function tagSteps(changes: Change[]): Step[] {
  const tagChanges = changes.filter((c) => c.path.startsWith('Tags.'));
  const tags: Tag[] = tagChanges
    .filter((c) => c.to !== undefined)
    .map((c) => ({ Key: c.path.slice('Tags.'.length), Value: c.to as string }));
  const keys = tagChanges
    .filter((c) => c.to === undefined)
    .map((c) => c.path.slice('Tags.'.length))
    .sort();
  const steps: Step[] = [];
  if (tags.length > 0) steps.push({ kind: 'tag', tags });
  if (keys.length > 0) steps.push({ kind: 'untag', keys });
  return steps;
}

/**
 * The run state the server ends in: the document's State if it has one, else the state it had.
 * A server that was OFFLINE stays OFFLINE: a plan never brings a deliberately stopped server online.
 */
export function endRunState(desired: DesiredServer, observed: ObservedServer): RunState {
  // A restart marker says the OFFLINE state was ours, mid-change, not the owner's choice.
  return desired.document.State ?? (restartPending(observed) ? 'ONLINE' : runState(observed.State));
}

/** `hostKeySteps`: plan/host-keys.ts's, run after the run-state steps and before tags. */
export function buildSteps(
  desired: DesiredServer,
  observed: ObservedServer,
  changes: Change[],
  target: Target,
  hostKeySteps: Step[] = [],
): Step[] {
  const updates = updateSteps(desired, observed, changes, target);
  const before = runState(observed.State);
  const after = endRunState(desired, observed);
  const needsOffline = changes.some((c) => c.requires !== undefined);
  const steps: Step[] = [];
  if (needsOffline) {
    // Stopped for the whole sequence (offline-only fields and PassiveIp's restart alike), then
    // started only if the server should end ONLINE.
    // The marker goes on before the stop and comes off after the start (restart-marker.ts), even
    // when one is already there: it may be another reconcile's, which that one removes when it
    // finishes — this reconcile's own stop must never rest on it. Tagging again is harmless.
    const restart = before === 'ONLINE' && after === 'ONLINE';
    if (restart) steps.push(setMarker);
    if (before === 'ONLINE') steps.push({ kind: 'stop' });
    steps.push(...updates);
    if (after === 'ONLINE') steps.push({ kind: 'start' });
    if (restart) steps.push(removeMarker);
    steps.push(...onlineSteps(observed, restart ? changes.filter((c) => c.path !== `Tags.${RESTART_MARKER_KEY}`) : changes, hostKeySteps));
    return steps;
  } else {
    steps.push(...updates);
    if (after !== before) steps.push({ kind: after === 'ONLINE' ? 'start' : 'stop' });
  }
  steps.push(...onlineSteps(observed, changes, hostKeySteps));
  return steps;
}

/** Writes that need no stop, after the run-state steps: host keys, the endpoint's groups, the custom hostname, tags. */
function onlineSteps(observed: ObservedServer, changes: Change[], hostKeySteps: Step[]): Step[] {
  return [...hostKeySteps, ...securityGroupSteps(observed, changes), ...customHostnameSteps(observed, changes), ...tagSteps(changes)];
}
