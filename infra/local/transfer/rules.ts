// Cross-field rules of CreateServer/UpdateServer (the HTTP front checks each member against the
// model first). Each rule returns the InvalidRequestException message, or undefined when it holds.
// Sources: the UpdateServer reference, the EndpointDetails/IdentityProviderDetails docs, and the
// AWS error texts Terraform's aws_transfer_server quotes (where one is known it is used verbatim).
// Rules run on the *resulting* configuration, so a request that repeats the current value of a
// member passes where changing it would not.
import { certificateIsAcmArn, protocolsHaveNoDuplicates, structuredLogDestinationsAreLogGroups } from './request-checks.ts';
import { isServerSecurityPolicy, CONNECTOR_SECURITY_POLICIES } from './security-policies.ts';
import type { ServerConfig, ServerRequest, ServerState } from './server-types.ts';

export interface RuleContext {
  operation: 'CreateServer' | 'UpdateServer';
  request: ServerRequest;
  /** The stored configuration (UpdateServer only). */
  current?: ServerConfig;
  /** The configuration the request would leave. */
  result: ServerConfig;
  /** The server's state now (UpdateServer only). */
  state?: ServerState;
}

export type Rule = (context: RuleContext) => string | undefined;

const FTP_IDENTITY_PROVIDERS = ['AWS_DIRECTORY_SERVICE', 'AWS_LAMBDA', 'API_GATEWAY'];
const CUSTOM_IDENTITY_PROVIDERS = ['API_GATEWAY', 'AWS_LAMBDA'];

function has(protocols: readonly string[], ...wanted: string[]): boolean {
  return protocols.some((p) => wanted.includes(p));
}

function nonEmpty(list: readonly string[] | undefined): list is readonly string[] {
  return list !== undefined && list.length > 0;
}

function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const left = new Set(a ?? []);
  const right = new Set(b ?? []);
  return left.size === right.size && [...left].every((x) => right.has(x));
}

function isUpdate(c: RuleContext): c is RuleContext & { current: ServerConfig; state: ServerState } {
  return c.operation === 'UpdateServer' && c.current !== undefined && c.state !== undefined;
}

export const securityPolicyExists: Rule = ({ request }) => {
  const name = request.SecurityPolicyName;
  if (name === undefined || isServerSecurityPolicy(name)) return undefined;
  if (CONNECTOR_SECURITY_POLICIES.includes(name))
    return `SecurityPolicyName ${name} is an SFTP connector security policy and cannot be used by a server`;
  return `SecurityPolicyName ${name} is not a valid security policy`;
};

export const ftpsNeedsCertificate: Rule = ({ result }) =>
  has(result.Protocols, 'FTPS') && !result.Certificate ? 'Certificate is required when Protocols includes FTPS' : undefined;

export const ftpNeedsVpcEndpoint: Rule = ({ result }) =>
  has(result.Protocols, 'FTP', 'FTPS') && result.EndpointType !== 'VPC'
    ? `EndpointType must be VPC when Protocols includes FTP or FTPS (it is ${result.EndpointType})`
    : undefined;

export const ftpNeedsCustomIdentityProvider: Rule = ({ result }) =>
  has(result.Protocols, 'FTP', 'FTPS') && !FTP_IDENTITY_PROVIDERS.includes(result.IdentityProviderType)
    ? `IdentityProviderType must be AWS_DIRECTORY_SERVICE, AWS_LAMBDA or API_GATEWAY when Protocols includes FTP or FTPS (it is ${result.IdentityProviderType})`
    : undefined;

export const ftpForbidsAddressAllocationIds: Rule = ({ result }) =>
  has(result.Protocols, 'FTP') && nonEmpty(result.EndpointDetails?.AddressAllocationIds)
    ? 'EndpointDetails.AddressAllocationIds cannot be associated when Protocols includes FTP'
    : undefined;

export const as2NeedsVpcEndpoint: Rule = ({ result }) =>
  has(result.Protocols, 'AS2') && result.EndpointType !== 'VPC'
    ? `EndpointType must be VPC when Protocols includes AS2 (it is ${result.EndpointType})`
    : undefined;

export const as2NeedsS3Domain: Rule = ({ result }) =>
  has(result.Protocols, 'AS2') && result.Domain !== 'S3'
    ? `Domain must be S3 when Protocols includes AS2 (it is ${result.Domain})`
    : undefined;

const VPC_ONLY_MEMBERS = ['SubnetIds', 'VpcId', 'AddressAllocationIds', 'SecurityGroupIds'] as const;

export const vpcMembersNeedVpcEndpointType: Rule = ({ request, result }) => {
  const details = request.EndpointDetails;
  if (details === undefined || result.EndpointType === 'VPC') return undefined;
  for (const member of VPC_ONLY_MEMBERS) {
    const value = details[member];
    if (value !== undefined && value.length > 0)
      return `EndpointDetails.${member} can only be set when EndpointType is VPC (it is ${result.EndpointType})`;
  }
  return undefined;
};

export const vpcEndpointIdNeedsVpcEndpointType: Rule = ({ request, current, result }) => {
  const id = request.EndpointDetails?.VpcEndpointId;
  if (id === undefined || id === '' || result.EndpointType === 'VPC_ENDPOINT') return undefined;
  // A VPC server reports the endpoint AWS made for it; sending that same id back changes nothing.
  if (result.EndpointType === 'VPC' && current?.EndpointType === 'VPC' && current.EndpointDetails?.VpcEndpointId === id) return undefined;
  if (result.EndpointType === 'VPC')
    return 'VPC Endpoint ID unsupported for EndpointType: VPC (EndpointDetails.VpcEndpointId can only be set when EndpointType is VPC_ENDPOINT)';
  return `EndpointDetails.VpcEndpointId can only be set when EndpointType is VPC_ENDPOINT (it is ${result.EndpointType})`;
};

export const vpcNeedsVpcIdAndSubnets: Rule = ({ result }) => {
  if (result.EndpointType !== 'VPC') return undefined;
  if (!result.EndpointDetails?.VpcId) return 'EndpointDetails.VpcId is required when EndpointType is VPC';
  if (!nonEmpty(result.EndpointDetails.SubnetIds)) return 'EndpointDetails.SubnetIds is required when EndpointType is VPC';
  return undefined;
};

export const vpcEndpointTypeNeedsId: Rule = ({ result }) =>
  result.EndpointType === 'VPC_ENDPOINT' && !result.EndpointDetails?.VpcEndpointId
    ? 'EndpointDetails.VpcEndpointId is required when EndpointType is VPC_ENDPOINT'
    : undefined;

export const securityGroupsOnlyWhenMovingToVpc: Rule = (c) => {
  if (!isUpdate(c) || !nonEmpty(c.request.EndpointDetails?.SecurityGroupIds)) return undefined;
  const movingToVpc = c.current.EndpointType !== 'VPC' && c.result.EndpointType === 'VPC';
  return movingToVpc
    ? undefined
    : 'Changing Security Group is not supported: EndpointDetails.SecurityGroupIds can only be sent in UpdateServer when EndpointType changes from PUBLIC or VPC_ENDPOINT to VPC (use EC2 ModifyVpcEndpoint afterwards)';
};

export const addressAllocationIdsNotInCreate: Rule = ({ operation, request }) =>
  operation === 'CreateServer' && nonEmpty(request.EndpointDetails?.AddressAllocationIds)
    ? 'AddressAllocationIds cannot be set in CreateServer'
    : undefined;

export const addressAllocationIdsNotWhenMovingToVpc: Rule = (c) =>
  isUpdate(c) &&
  c.current.EndpointType !== 'VPC' &&
  c.result.EndpointType === 'VPC' &&
  nonEmpty(c.request.EndpointDetails?.AddressAllocationIds)
    ? 'Cannot specify AddressAllocationIds when updating server to EndpointType: VPC (set them in a later UpdateServer call)'
    : undefined;

export const addressAllocationIdsNeedExistingSubnets: Rule = (c) =>
  isUpdate(c) && nonEmpty(c.request.EndpointDetails?.AddressAllocationIds) && !nonEmpty(c.current.EndpointDetails?.SubnetIds)
    ? 'EndpointDetails.AddressAllocationIds can only be set once SubnetIds are set on the server'
    : undefined;

function subnetsChange(c: RuleContext & { current: ServerConfig }): boolean {
  const requested = c.request.EndpointDetails?.SubnetIds;
  return requested !== undefined && !sameSet(requested, c.current.EndpointDetails?.SubnetIds);
}

export const addressAllocationIdsNotWithSubnetChange: Rule = (c) =>
  isUpdate(c) && nonEmpty(c.request.EndpointDetails?.AddressAllocationIds) && subnetsChange(c)
    ? 'EndpointDetails.AddressAllocationIds cannot be set in the same call that changes SubnetIds'
    : undefined;

export const subnetsChangeNeedsNoAddressAllocationIds: Rule = (c) =>
  isUpdate(c) && c.current.EndpointType === 'VPC' && nonEmpty(c.current.EndpointDetails?.AddressAllocationIds) && subnetsChange(c)
    ? 'AddressAllocationIds must be removed before SubnetIds can be modified (send EndpointDetails.AddressAllocationIds [] first)'
    : undefined;

export const addressAllocationIdsNotWithDualstack: Rule = ({ result }) =>
  result.IpAddressType === 'DUALSTACK' && nonEmpty(result.EndpointDetails?.AddressAllocationIds)
    ? 'EndpointDetails.AddressAllocationIds cannot be used with IpAddressType DUALSTACK'
    : undefined;

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isValidPassiveIp(value: string): boolean {
  if (value === 'AUTO') return true;
  const match = DOTTED_QUAD.exec(value);
  return match !== null && match.slice(1).every((octet) => Number(octet) <= 255);
}

export const passiveIpFormat: Rule = ({ request }) => {
  const value = request.ProtocolDetails?.PassiveIp;
  return value === undefined || isValidPassiveIp(value)
    ? undefined
    : `ProtocolDetails.PassiveIp must be AUTO, 0.0.0.0 or a single dotted-quad IPv4 address (got ${value})`;
};

const IDENTITY_MEMBER_OWNERS: Record<string, readonly string[]> = {
  Url: ['API_GATEWAY'],
  InvocationRole: ['API_GATEWAY'],
  Function: ['AWS_LAMBDA'],
  DirectoryId: ['AWS_DIRECTORY_SERVICE'],
  SftpAuthenticationMethods: CUSTOM_IDENTITY_PROVIDERS,
};

export const identityDetailsMatchType: Rule = ({ result }) => {
  const type = result.IdentityProviderType;
  for (const [member, value] of Object.entries(result.IdentityProviderDetails ?? {})) {
    const owners = IDENTITY_MEMBER_OWNERS[member];
    if (value === undefined || value === '' || owners === undefined || owners.includes(type)) continue;
    if (member === 'SftpAuthenticationMethods') {
      return `IdentityProviderDetails.SftpAuthenticationMethods is only valid for custom identity providers (API_GATEWAY, AWS_LAMBDA), not ${type}`;
    }
    return `IdentityProviderDetails.${member} can only be set when IdentityProviderType is ${owners.join(' or ')} (it is ${type})`;
  }
  return undefined;
};

const IDENTITY_REQUIRED: Record<string, readonly ('Url' | 'InvocationRole' | 'Function' | 'DirectoryId')[]> = {
  API_GATEWAY: ['Url', 'InvocationRole'],
  AWS_LAMBDA: ['Function'],
  AWS_DIRECTORY_SERVICE: ['DirectoryId'],
};

export const identityDetailsComplete: Rule = ({ result }) => {
  const type = result.IdentityProviderType;
  const missing = (IDENTITY_REQUIRED[type] ?? []).find((member) => !result.IdentityProviderDetails?.[member]);
  return missing === undefined ? undefined : `IdentityProviderDetails.${missing} is required when IdentityProviderType is ${type}`;
};

export const workflowListsHoldOne: Rule = ({ request }) => {
  for (const member of ['OnUpload', 'OnPartialUpload'] as const) {
    const list = request.WorkflowDetails?.[member];
    if (list !== undefined && list.length > 1) return `WorkflowDetails.${member} can hold at most one workflow (got ${list.length})`;
  }
  return undefined;
};

export const structuredLogsHoldOne: Rule = ({ request }) => {
  const list = request.StructuredLogDestinations;
  return list !== undefined && list.length > 1
    ? `StructuredLogDestinations can hold at most one log group (got ${list.length})`
    : undefined;
};

export const endpointTypeChangeNeedsOffline: Rule = (c) =>
  isUpdate(c) && c.current.EndpointType !== c.result.EndpointType && c.state !== 'OFFLINE'
    ? `Server must be OFFLINE to change EndpointType (it is ${c.state})`
    : undefined;

export const ipAddressTypeChangeNeedsOffline: Rule = (c) =>
  isUpdate(c) && c.current.IpAddressType !== c.result.IpAddressType && c.state !== 'OFFLINE'
    ? `Server must be OFFLINE to change IpAddressType (it is ${c.state})`
    : undefined;

export const addressAllocationIdsChangeNeedsOffline: Rule = (c) =>
  isUpdate(c) &&
  c.request.EndpointDetails?.AddressAllocationIds !== undefined &&
  !sameSet(c.current.EndpointDetails?.AddressAllocationIds, c.result.EndpointDetails?.AddressAllocationIds) &&
  c.state !== 'OFFLINE'
    ? `Server must be OFFLINE to change AddressAllocationIds (it is ${c.state})`
    : undefined;

/** In the order they are checked; the first broken rule answers. */
export const SERVER_RULES: readonly Rule[] = [
  securityPolicyExists,
  passiveIpFormat,
  protocolsHaveNoDuplicates,
  certificateIsAcmArn,
  workflowListsHoldOne,
  structuredLogsHoldOne,
  structuredLogDestinationsAreLogGroups,
  ftpsNeedsCertificate,
  ftpNeedsVpcEndpoint,
  ftpNeedsCustomIdentityProvider,
  as2NeedsVpcEndpoint,
  as2NeedsS3Domain,
  vpcMembersNeedVpcEndpointType,
  vpcEndpointIdNeedsVpcEndpointType,
  securityGroupsOnlyWhenMovingToVpc,
  addressAllocationIdsNotInCreate,
  addressAllocationIdsNotWhenMovingToVpc,
  addressAllocationIdsNeedExistingSubnets,
  addressAllocationIdsNotWithSubnetChange,
  subnetsChangeNeedsNoAddressAllocationIds,
  addressAllocationIdsNotWithDualstack,
  ftpForbidsAddressAllocationIds,
  vpcNeedsVpcIdAndSubnets,
  vpcEndpointTypeNeedsId,
  identityDetailsMatchType,
  identityDetailsComplete,
  endpointTypeChangeNeedsOffline,
  ipAddressTypeChangeNeedsOffline,
  addressAllocationIdsChangeNeedsOffline,
];

/** The first rule the request breaks, as its message; undefined when all hold. */
export function firstViolation(context: RuleContext): string | undefined {
  for (const rule of SERVER_RULES) {
    const message = rule(context);
    if (message !== undefined) return message;
  }
  return undefined;
}
