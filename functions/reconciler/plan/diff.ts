// The delta between the document and the observed server, one Change per differing managed leaf
// (ACK's compare.Delta idea). Absent keys are not managed; inside nested objects only the members
// present are. The observed server is normalised, so AWS defaults already stand in for absent
// fields; the few members AWS leaves out instead of defaulting are resolved here.
import { customHostnameChanges } from './custom-hostname.ts';
import { securityGroupChanges } from './security-groups.ts';
import { looksLikeKeyMaterial } from '../../shared/key-material.ts';
import { WITHHELD } from '../desired/user-text.ts';
import { normaliseFingerprint, sameFingerprint } from '../../shared/fingerprint.ts';
import { IMPLIED_AS2_TRANSPORTS } from '../observed/normalise.ts';
import type { Change, DesiredServer, ObservedServer, ServerFields } from '../types.ts';
import { FIELD_ORDER, NESTED_FIELDS, OFFLINE_PATHS, RESTART_PATHS, SET_FIELDS, SET_MEMBERS } from './fields.ts';
import type { NestedField } from './fields.ts';
import { runState } from './run-state.ts';
import { OWN_TAG_PREFIX, leftoverMarkerChanges } from './restart-marker.ts';
import type { Target } from './target.ts';
import { deepEqual, sameSet, sortedCopy } from './values.ts';

/**
 * What the server has for a nested member, for comparison. Empty EIP/subnet lists are reported
 * as absent (the local emulator does; AWS is not documented either way), and a server that does
 * not report As2Transports uses the only transport the API has.
 */
function observedMember(observed: ObservedServer, field: NestedField, member: string): unknown {
  const value = (observed[field] as Record<string, unknown>)[member];
  if (value !== undefined) return value;
  const path = `${field}.${member}`;
  if (path === 'ProtocolDetails.As2Transports') return [...IMPLIED_AS2_TRANSPORTS];
  if (path === 'EndpointDetails.AddressAllocationIds' || path === 'EndpointDetails.SubnetIds') return [];
  return undefined;
}

function requirement(path: string, observed: ObservedServer, target: Target): Change['requires'] {
  if (OFFLINE_PATHS.has(path)) return 'offline';
  if (RESTART_PATHS.has(path)) return 'restart';
  // AWS: "AddressAllocationIds must be removed before SubnetIds can be modified" (quoted by
  // Terraform); detaching and re-attaching Elastic IPs is accepted only while OFFLINE.
  if (path === 'EndpointDetails.SubnetIds' && subnetsNeedEipDetach(observed, target)) return 'offline';
  return undefined;
}

export function subnetsNeedEipDetach(observed: ObservedServer, target: Target): boolean {
  return (
    observed.EndpointType === 'VPC' && target.endpointType === 'VPC' && (observed.EndpointDetails.AddressAllocationIds ?? []).length > 0
  );
}

/**
 * What the server reports is shown as it is, except text that looks like key material (a banner or
 * tag someone pasted a key into): the plan, outcomes and pull-request comments never carry it.
 * The comparison above used the real value; only what is reported is withheld.
 */
export function reported(value: unknown): unknown {
  if (typeof value === 'string') return looksLikeKeyMaterial(value) ? WITHHELD : value;
  if (Array.isArray(value)) return value.map(reported);
  return value;
}

function change(path: string, from: unknown, to: unknown, observed: ObservedServer, target: Target): Change {
  const requires = requirement(path, observed, target);
  const shownFrom = reported(from);
  return requires === undefined ? { path, from: shownFrom, to } : { path, from: shownFrom, to, requires };
}

function fieldChanges(field: keyof ServerFields, desired: DesiredServer, observed: ObservedServer, target: Target): Change[] {
  const value = desired.document[field];
  if (value === undefined) return [];
  if ((SET_FIELDS as readonly string[]).includes(field)) {
    const from = observed[field] as string[];
    return sameSet(value as string[], from) ? [] : [change(field, sortedCopy(from), sortedCopy(value as string[]), observed, target)];
  }
  if ((NESTED_FIELDS as readonly string[]).includes(field)) return nestedChanges(field as NestedField, desired, observed, target);
  const from = observed[field];
  return value === from ? [] : [change(field, from, value, observed, target)];
}

function nestedChanges(field: NestedField, desired: DesiredServer, observed: ObservedServer, target: Target): Change[] {
  const members = desired.document[field] as Record<string, unknown>;
  const changes: Change[] = [];
  for (const [member, value] of Object.entries(members)) {
    if (value === undefined) continue;
    const path = `${field}.${member}`;
    if (path === 'EndpointDetails.SecurityGroupIds') {
      // DescribeServer never reports them: sent in the update that moves the server to VPC; on a
      // server already in a VPC they are the endpoint's, compared in security-groups.ts.
      if (target.movingToVpc) changes.push(change(path, undefined, sortedCopy(value as string[]), observed, target));
      continue;
    }
    const from = observedMember(observed, field, member);
    if (SET_MEMBERS.has(path)) {
      if (!sameSet(value as string[], (from ?? []) as string[]))
        changes.push(
          change(path, from === undefined ? undefined : sortedCopy(from as string[]), sortedCopy(value as string[]), observed, target),
        );
    } else if (!deepEqual(value, from)) {
      changes.push(change(path, from, value, observed, target));
    }
  }
  return changes;
}

/** Host keys compare by fingerprint only; a Change never carries key material. */
function hostKeyChange(desired: DesiredServer, observed: ObservedServer): Change[] {
  if (desired.hostKey === undefined) return [];
  const to = normaliseFingerprint(desired.hostKey.secret.fingerprint);
  if (sameFingerprint(to, observed.HostKeyFingerprint)) return [];
  return [{ path: 'HostKey', from: observed.HostKeyFingerprint, to }];
}

/**
 * Keys starting `aws:` (AWS's) and `transfer-reconciler:` (the restart marker) are reserved: never
 * compared with a document, never pruned.
 */
export function isReservedTagKey(key: string): boolean {
  const k = key.toLowerCase();
  // transfer: keys are the custom hostname's (custom-hostname.ts), managed by CustomHostname.
  return k.startsWith('aws:') || k.startsWith(OWN_TAG_PREFIX) || k.startsWith('transfer:');
}

/**
 * Tags are managed only when the document has `Tags`; PruneTags then removes the unlisted ones.
 * A document without `Tags` leaves all tags alone even with PruneTags (an absent key is unmanaged).
 */
function tagChanges(desired: DesiredServer, observed: ObservedServer): Change[] {
  const tags = desired.document.Tags;
  if (tags === undefined) return [];
  const current = new Map(observed.Tags.map((t) => [t.Key, t.Value]));
  const changes: Change[] = [];
  for (const tag of tags) {
    if (isReservedTagKey(tag.Key)) continue;
    if (current.get(tag.Key) !== tag.Value) changes.push({ path: `Tags.${tag.Key}`, from: reported(current.get(tag.Key)), to: tag.Value });
  }
  if (desired.policy.PruneTags) {
    const listed = new Set(tags.map((t) => t.Key));
    for (const tag of observed.Tags) {
      if (!listed.has(tag.Key) && !isReservedTagKey(tag.Key))
        changes.push({ path: `Tags.${tag.Key}`, from: reported(tag.Value), to: undefined });
    }
  }
  return changes;
}

function stateChange(desired: DesiredServer, observed: ObservedServer): Change[] {
  const state = desired.document.State;
  if (state === undefined || state === runState(observed.State)) return [];
  return [{ path: 'State', from: observed.State, to: state }];
}

export function diff(desired: DesiredServer, observed: ObservedServer, target: Target): Change[] {
  return [
    ...FIELD_ORDER.flatMap((field) => fieldChanges(field, desired, observed, target)),
    ...hostKeyChange(desired, observed),
    ...securityGroupChanges(desired, observed, target),
    ...stateChange(desired, observed),
    ...customHostnameChanges(desired, observed),
    ...tagChanges(desired, observed),
    ...leftoverMarkerChanges(desired, observed),
  ];
}
