// UpdateServer's cross-field rules (seed/update_server.txt, aws-behaviour.md) that the document
// decides alone: each applies only when every key it involves is in the document. The rest
// (a key absent here but set on the server) is decided by the effective validation in plan/.
import { isPlainObject } from '../../../shared/model-validate.ts';
import type { Finding } from '../issue-path.ts';

const CUSTOM_IDENTITY_PROVIDERS = ['AWS_DIRECTORY_SERVICE', 'AWS_LAMBDA', 'API_GATEWAY'];

/** The EndpointType each EndpointDetails member belongs to. */
const ENDPOINT_MEMBER_TYPE: Record<string, string> = {
  VpcEndpointId: 'VPC_ENDPOINT',
  SubnetIds: 'VPC',
  VpcId: 'VPC',
  AddressAllocationIds: 'VPC',
  SecurityGroupIds: 'VPC',
};

/** The IdentityProviderTypes each IdentityProviderDetails member belongs to. */
const IDENTITY_MEMBER_TYPES: Record<string, readonly string[]> = {
  Url: ['API_GATEWAY'],
  InvocationRole: ['API_GATEWAY'],
  Function: ['AWS_LAMBDA'],
  DirectoryId: ['AWS_DIRECTORY_SERVICE'],
  SftpAuthenticationMethods: ['API_GATEWAY', 'AWS_LAMBDA'],
};

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined => (isPlainObject(v) ? v : undefined);
/** A member that sets something (an empty string or list only clears). */
const setsSomething = (v: unknown): boolean =>
  typeof v === 'string' ? v !== '' : Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null;

function protocolRules(doc: Record<string, unknown>, out: Finding[]): void {
  const protocols = strings(doc.Protocols);
  if (protocols === undefined) return;
  const has = (p: string): boolean => protocols.includes(p);
  const certificate = str(doc.Certificate);
  if (has('FTPS') && certificate === '') {
    out.push({
      path: ['Certificate'],
      message:
        'Protocols includes FTPS, which needs a certificate: set Certificate to an ACM certificate ARN, or remove FTPS from Protocols.',
    });
  }
  const needVpc = ['FTP', 'FTPS', 'AS2'].filter(has);
  const endpointType = str(doc.EndpointType);
  if (needVpc.length > 0 && endpointType !== undefined && endpointType !== 'VPC') {
    out.push({
      path: ['EndpointType'],
      message: `Protocols includes ${needVpc.join(' and ')}, which needs EndpointType VPC; set EndpointType to VPC or change Protocols.`,
    });
  }
  const ftp = ['FTP', 'FTPS'].filter(has);
  const idp = str(doc.IdentityProviderType);
  if (ftp.length > 0 && idp !== undefined && !CUSTOM_IDENTITY_PROVIDERS.includes(idp)) {
    out.push({
      path: ['IdentityProviderType'],
      message: `Protocols includes ${ftp.join(' and ')}, which needs IdentityProviderType ${CUSTOM_IDENTITY_PROVIDERS.join(', ')}; ${idp} cannot serve it. Change one of them.`,
    });
  }
  const allocations = obj(doc.EndpointDetails)?.AddressAllocationIds;
  if (has('FTP') && setsSomething(allocations) && Array.isArray(allocations)) {
    out.push({
      path: ['EndpointDetails', 'AddressAllocationIds'],
      message: 'Protocols includes FTP, which cannot be used with Elastic IPs; remove AddressAllocationIds (or use []) or remove FTP.',
    });
  }
}

function endpointRules(doc: Record<string, unknown>, out: Finding[]): void {
  const endpointType = str(doc.EndpointType);
  const details = obj(doc.EndpointDetails);
  if (details === undefined) return;
  if (endpointType !== undefined) {
    for (const [member, value] of Object.entries(details)) {
      const wanted = ENDPOINT_MEMBER_TYPE[member];
      if (wanted === undefined || !Object.hasOwn(ENDPOINT_MEMBER_TYPE, member) || wanted === endpointType || !setsSomething(value))
        continue;
      out.push({
        path: ['EndpointDetails', member],
        message: `${member} applies only to EndpointType ${wanted}, and EndpointType is ${endpointType}; remove ${member} or change EndpointType.`,
      });
    }
  }
  if (str(doc.IpAddressType) === 'DUALSTACK' && Array.isArray(details.AddressAllocationIds) && details.AddressAllocationIds.length > 0) {
    out.push({
      path: ['EndpointDetails', 'AddressAllocationIds'],
      message: 'Elastic IPs (AddressAllocationIds) cannot be attached when IpAddressType is DUALSTACK; remove them or use IPV4.',
    });
  }
}

function identityRules(doc: Record<string, unknown>, out: Finding[]): void {
  const idp = str(doc.IdentityProviderType);
  const details = obj(doc.IdentityProviderDetails);
  if (idp === undefined || details === undefined) return;
  for (const [member, value] of Object.entries(details)) {
    const wanted = Object.hasOwn(IDENTITY_MEMBER_TYPES, member) ? IDENTITY_MEMBER_TYPES[member] : undefined;
    if (wanted === undefined || wanted.includes(idp) || !setsSomething(value)) continue;
    out.push({
      path: ['IdentityProviderDetails', member],
      message: `${member} applies only to IdentityProviderType ${wanted.join(' or ')}, and IdentityProviderType is ${idp}; remove ${member} or change IdentityProviderType.`,
    });
  }
}

export function seedFindings(doc: Record<string, unknown>): Finding[] {
  const out: Finding[] = [];
  protocolRules(doc, out);
  endpointRules(doc, out);
  identityRules(doc, out);
  return out;
}
