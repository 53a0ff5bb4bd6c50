// documentOf(observed): the document that describes an existing server, for `export`. Pure. It
// holds only what differs from AWS's defaults, so an exported document manages what someone
// chose and leaves the rest to AWS; planning it against the same server finds nothing
// (test/unit/export-round-trip.test.ts). The defaults are not restated here: they are what
// normaliseServer fills in for a server that reports nothing (observed/normalise.ts, one place).
import { DEFAULT_SFTP_AUTHENTICATION_METHODS, IMPLIED_AS2_TRANSPORTS, normaliseServer } from '../observed/normalise.ts';
import { observedHostname } from '../plan/custom-hostname.ts';
import { isReservedTagKey } from '../plan/diff.ts';
import { ENDPOINT_MEMBERS, FIELD_ORDER, SET_FIELDS, identityMemberAllowed } from '../plan/fields.ts';
import { deepEqual, sameSet } from '../plan/values.ts';
import type {
  CustomHostname,
  DesiredDocument,
  EndpointDetails,
  IdentityProviderDetails,
  ObservedServer,
  ProtocolDetails,
  ServerFields,
  WorkflowDetails,
} from '../types.ts';

/** What DescribeServer shows for a server on which nothing was ever set. */
const DEFAULTS = normaliseServer({});

function protocolDetails(observed: ProtocolDetails): ProtocolDetails | undefined {
  const out: Record<string, unknown> = {};
  for (const [member, value] of Object.entries(observed)) {
    if (value === undefined) continue;
    // AS2 has one transport; a server that reports it says nothing a document needs to manage.
    if (member === 'As2Transports' && sameSet(value as string[], IMPLIED_AS2_TRANSPORTS)) continue;
    if (!deepEqual(value, (DEFAULTS.ProtocolDetails as Record<string, unknown>)[member])) out[member] = value;
  }
  return Object.keys(out).length > 0 ? (out as ProtocolDetails) : undefined;
}

/**
 * The request members of the server's endpoint type, together: a VPC server gets VpcId and
 * SubnetIds (AWS needs both to place the endpoint) and its EIPs and the endpoint's security
 * groups when it has any. VpcEndpointId is only exported for VPC_ENDPOINT servers: on a VPC
 * server it is AWS's own endpoint, and a request carrying it is refused ("VPC Endpoint ID
 * unsupported for EndpointType: VPC").
 */
function endpointDetails(observed: ObservedServer): EndpointDetails | undefined {
  const out: EndpointDetails = {};
  for (const member of ENDPOINT_MEMBERS[observed.EndpointType]) {
    const value = member === 'SecurityGroupIds' ? observed.SecurityGroupIds : observed.EndpointDetails[member];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    (out as Record<string, unknown>)[member] = Array.isArray(value) ? [...value] : value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Members of the server's provider type only; the authentication methods when not AWS's default. */
function identityProviderDetails(observed: ObservedServer): IdentityProviderDetails | undefined {
  const out: Record<string, unknown> = {};
  for (const [member, value] of Object.entries(observed.IdentityProviderDetails) as [keyof IdentityProviderDetails, string][]) {
    if (value === undefined || !identityMemberAllowed(member, observed.IdentityProviderType)) continue;
    if (member === 'SftpAuthenticationMethods' && value === DEFAULT_SFTP_AUTHENTICATION_METHODS) continue;
    out[member] = value;
  }
  return Object.keys(out).length > 0 ? (out as IdentityProviderDetails) : undefined;
}

/** Only the hooks that hold a workflow: an empty list is AWS's "none", the default. */
function workflowDetails(observed: WorkflowDetails): WorkflowDetails | undefined {
  const out: WorkflowDetails = {};
  if ((observed.OnUpload ?? []).length > 0) out.OnUpload = structuredClone(observed.OnUpload);
  if ((observed.OnPartialUpload ?? []).length > 0) out.OnPartialUpload = structuredClone(observed.OnPartialUpload);
  return Object.keys(out).length > 0 ? out : undefined;
}

function field(observed: ObservedServer, name: keyof ServerFields): unknown {
  switch (name) {
    case 'ProtocolDetails':
      return protocolDetails(observed.ProtocolDetails);
    case 'EndpointDetails':
      return endpointDetails(observed);
    case 'IdentityProviderDetails':
      return identityProviderDetails(observed);
    case 'WorkflowDetails':
      return workflowDetails(observed.WorkflowDetails);
    default: {
      const value = observed[name];
      const base = DEFAULTS[name];
      const same = (SET_FIELDS as readonly string[]).includes(name) ? sameSet(value as string[], base as string[]) : deepEqual(value, base);
      return same ? undefined : structuredClone(value);
    }
  }
}

/** The hostname tags (either form) as CustomHostname; a zone without a hostname cannot be written. */
function customHostname(observed: ObservedServer): CustomHostname | undefined {
  const { Hostname, Route53HostedZoneId } = observedHostname(observed);
  if (Hostname === undefined) return undefined;
  return { Hostname: Hostname.value, ...(Route53HostedZoneId ? { Route53HostedZoneId: Route53HostedZoneId.value } : {}) };
}

/**
 * The document for `observed`, without $schema, ServerId or host keys (export/exported.ts adds
 * what it can). State is left out on purpose: a document with State manages the run state, and an
 * export must never be the reason a server is started or stopped.
 */
export function documentOf(observed: ObservedServer): DesiredDocument {
  const document: Record<string, unknown> = {};
  for (const name of FIELD_ORDER) {
    const value = field(observed, name);
    if (value !== undefined) document[name] = value;
  }
  const hostname = customHostname(observed);
  if (hostname !== undefined) document.CustomHostname = hostname;
  // aws: tags are AWS's, transfer-reconciler: ones the reconciler's own, transfer: ones the hostname's.
  const tags = observed.Tags.filter((t) => !isReservedTagKey(t.Key)).map((t) => ({ Key: t.Key, Value: t.Value }));
  if (tags.length > 0) document.Tags = tags;
  return document as DesiredDocument;
}
