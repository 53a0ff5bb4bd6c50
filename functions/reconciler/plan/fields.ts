// Which members belong to which endpoint/identity type, and which changes need the server
// stopped. Sources: the UpdateServer reference (seed) and docs/aws-behaviour.md.
import type { EndpointDetails, EndpointType, IdentityProviderDetails, IdentityProviderType, ServerFields } from '../types.ts';

export const SET_FIELDS = ['Protocols', 'StructuredLogDestinations'] as const satisfies readonly (keyof ServerFields)[];

export const NESTED_FIELDS = [
  'ProtocolDetails',
  'EndpointDetails',
  'IdentityProviderDetails',
  'WorkflowDetails',
  'S3StorageOptions',
] as const satisfies readonly (keyof ServerFields)[];
export type NestedField = (typeof NESTED_FIELDS)[number];

/** Request order of the fields (stable change lists and requests). */
export const FIELD_ORDER: readonly (keyof ServerFields)[] = [
  'Protocols',
  'ProtocolDetails',
  'Certificate',
  'EndpointType',
  'EndpointDetails',
  'IpAddressType',
  'IdentityProviderType',
  'IdentityProviderDetails',
  'SecurityPolicyName',
  'LoggingRole',
  'StructuredLogDestinations',
  'PreAuthenticationLoginBanner',
  'PostAuthenticationLoginBanner',
  'WorkflowDetails',
  'S3StorageOptions',
];

/** Nested members that are sets (compared without order). */
export const SET_MEMBERS: ReadonlySet<string> = new Set([
  'ProtocolDetails.As2Transports',
  'EndpointDetails.AddressAllocationIds',
  'EndpointDetails.SubnetIds',
  'EndpointDetails.SecurityGroupIds',
]);

/** Endpoint members each type accepts in a request ("This property can only be set when EndpointType is set to …"). */
export const ENDPOINT_MEMBERS: Record<EndpointType, readonly (keyof EndpointDetails)[]> = {
  PUBLIC: [],
  VPC: ['AddressAllocationIds', 'SubnetIds', 'VpcId', 'SecurityGroupIds'],
  VPC_ENDPOINT: ['VpcEndpointId'],
};

export const ENDPOINT_MEMBER_TYPES: Record<keyof EndpointDetails, readonly EndpointType[]> = {
  AddressAllocationIds: ['VPC'],
  SubnetIds: ['VPC'],
  VpcId: ['VPC'],
  SecurityGroupIds: ['VPC'],
  VpcEndpointId: ['VPC_ENDPOINT'],
};

/** "Custom identity providers" (SftpAuthenticationMethods is for them only). */
export const CUSTOM_IDENTITY_PROVIDERS: readonly IdentityProviderType[] = ['API_GATEWAY', 'AWS_LAMBDA'];

/** Protocols with FTP or FTPS need a custom or directory identity provider (aws-behaviour.md). */
export const FTP_IDENTITY_PROVIDERS: readonly IdentityProviderType[] = ['AWS_DIRECTORY_SERVICE', ...CUSTOM_IDENTITY_PROVIDERS];

export const IDENTITY_MEMBER_TYPES: Record<keyof IdentityProviderDetails, readonly IdentityProviderType[]> = {
  Url: ['API_GATEWAY'],
  InvocationRole: ['API_GATEWAY'],
  Function: ['AWS_LAMBDA'],
  DirectoryId: ['AWS_DIRECTORY_SERVICE'],
  SftpAuthenticationMethods: CUSTOM_IDENTITY_PROVIDERS,
};

/**
 * Members a provider type cannot work without. Not stated as a rule by the seed, but AWS cannot
 * authenticate anyone without them; checked only when the document changes the type.
 */
export const IDENTITY_REQUIRED_MEMBERS: Record<IdentityProviderType, readonly (keyof IdentityProviderDetails)[]> = {
  SERVICE_MANAGED: [],
  API_GATEWAY: ['Url', 'InvocationRole'],
  AWS_LAMBDA: ['Function'],
  AWS_DIRECTORY_SERVICE: ['DirectoryId'],
};

/** Paths (as in Change.path) that AWS accepts only while the server is OFFLINE, or that need a restart. */
export const OFFLINE_PATHS: ReadonlySet<string> = new Set(['EndpointType', 'EndpointDetails.AddressAllocationIds', 'IpAddressType']);
export const RESTART_PATHS: ReadonlySet<string> = new Set(['ProtocolDetails.PassiveIp']);

export function endpointMemberAllowed(member: keyof EndpointDetails, type: EndpointType): boolean {
  return ENDPOINT_MEMBER_TYPES[member].includes(type);
}

export function identityMemberAllowed(member: keyof IdentityProviderDetails, type: IdentityProviderType): boolean {
  return IDENTITY_MEMBER_TYPES[member].includes(type);
}
