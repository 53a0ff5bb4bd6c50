// The server as the plan would leave it: the document merged with the observed server. Effective
// validation checks this; the update requests send its nested objects whole, so a request is
// right whether AWS merges or replaces the members a request leaves out (undocumented).
import type {
  DesiredDocument,
  EndpointDetails,
  EndpointType,
  IdentityProviderDetails,
  IdentityProviderType,
  IpAddressType,
  ObservedServer,
  Protocol,
  ProtocolDetails,
  S3StorageOptions,
  WorkflowDetails,
} from '../types.ts';
import { ENDPOINT_MEMBERS, identityMemberAllowed } from './fields.ts';
import { definedMembers } from './values.ts';

export interface Target {
  endpointType: EndpointType;
  identityType: IdentityProviderType;
  endpointTypeChanged: boolean;
  identityTypeChanged: boolean;
  /** EndpointType goes from PUBLIC or VPC_ENDPOINT to VPC: the one update that may carry SecurityGroupIds. */
  movingToVpc: boolean;
  protocols: Protocol[];
  certificate: string;
  ipAddressType: IpAddressType;
  /** Request members valid for the resulting type. SecurityGroupIds only when moving to VPC. */
  endpointDetails: EndpointDetails;
  /** Members valid for the resulting provider type. */
  identityProviderDetails: IdentityProviderDetails;
  protocolDetails: ProtocolDetails;
  workflowDetails: WorkflowDetails;
  s3StorageOptions: S3StorageOptions;
}

/**
 * Observed members of a type the server is leaving are dropped (AWS discards them with the type);
 * VpcEndpointId of a VPC server is AWS's own endpoint, not a request member for VPC, so it is never
 * sent back ("VPC Endpoint ID unsupported for EndpointType: VPC", quoted by Terraform).
 */
function endpointDetails(doc: DesiredDocument, observed: ObservedServer, type: EndpointType, movingToVpc: boolean): EndpointDetails {
  const sameType = type === observed.EndpointType;
  const result: EndpointDetails = {};
  const desired = doc.EndpointDetails ?? {};
  for (const member of ENDPOINT_MEMBERS[type]) {
    if (member === 'SecurityGroupIds') {
      if (movingToVpc && desired.SecurityGroupIds !== undefined) result.SecurityGroupIds = [...desired.SecurityGroupIds].sort();
      continue;
    }
    const value = desired[member] ?? (sameType ? observed.EndpointDetails[member] : undefined);
    if (value === undefined) continue;
    if (Array.isArray(value)) (result as Record<string, unknown>)[member] = [...value].sort();
    else (result as Record<string, unknown>)[member] = value;
  }
  return result;
}

function identityProviderDetails(doc: DesiredDocument, observed: ObservedServer, type: IdentityProviderType): IdentityProviderDetails {
  const merged: IdentityProviderDetails = { ...observed.IdentityProviderDetails, ...definedMembers(doc.IdentityProviderDetails ?? {}) };
  const result: IdentityProviderDetails = {};
  for (const [member, value] of Object.entries(merged) as [keyof IdentityProviderDetails, string | undefined][]) {
    if (value !== undefined && identityMemberAllowed(member, type)) (result as Record<string, unknown>)[member] = value;
  }
  return result;
}

export function targetOf(doc: DesiredDocument, observed: ObservedServer): Target {
  const endpointType = doc.EndpointType ?? observed.EndpointType;
  const identityType = doc.IdentityProviderType ?? observed.IdentityProviderType;
  const movingToVpc = endpointType === 'VPC' && observed.EndpointType !== 'VPC';
  return {
    endpointType,
    identityType,
    endpointTypeChanged: endpointType !== observed.EndpointType,
    identityTypeChanged: identityType !== observed.IdentityProviderType,
    movingToVpc,
    protocols: doc.Protocols ?? observed.Protocols,
    certificate: doc.Certificate ?? observed.Certificate,
    ipAddressType: doc.IpAddressType ?? observed.IpAddressType,
    endpointDetails: endpointDetails(doc, observed, endpointType, movingToVpc),
    identityProviderDetails: identityProviderDetails(doc, observed, identityType),
    protocolDetails: { ...observed.ProtocolDetails, ...definedMembers(doc.ProtocolDetails ?? {}) },
    workflowDetails: { ...observed.WorkflowDetails, ...definedMembers(doc.WorkflowDetails ?? {}) },
    s3StorageOptions: { ...observed.S3StorageOptions, ...definedMembers(doc.S3StorageOptions ?? {}) },
  };
}
