// Effective validation: the document merged with the observed server must satisfy the seed's
// cross-field rules (UpdateServer reference, docs/aws-behaviour.md). A rule is checked only when
// the document manages one of the fields it involves: a rule that only the observed server breaks
// is the server's own state, which AWS accepted, and not something this document can be blamed for.
import type { DesiredDocument, DesiredServer, EndpointDetails, IdentityProviderDetails, Issue, ObservedServer } from '../types.ts';
import { ENDPOINT_MEMBER_TYPES, IDENTITY_MEMBER_TYPES, IDENTITY_REQUIRED_MEMBERS } from './fields.ts';
import type { Target } from './target.ts';

const FTP_IDENTITY_PROVIDERS = ['AWS_DIRECTORY_SERVICE', 'AWS_LAMBDA', 'API_GATEWAY'];

function manages(doc: DesiredDocument, path: string): boolean {
  const [field, member] = path.split('.') as [keyof DesiredDocument, string | undefined];
  const value = doc[field];
  if (value === undefined) return false;
  return member === undefined || (value as Record<string, unknown>)[member] !== undefined;
}

/** The first of `paths` the document manages, as a JSON path; undefined when it manages none. */
function blame(doc: DesiredDocument, paths: readonly string[]): string | undefined {
  const path = paths.find((p) => manages(doc, p));
  return path === undefined ? undefined : `$.${path}`;
}

function rule(issues: Issue[], doc: DesiredDocument, paths: readonly string[], broken: boolean, message: string): void {
  if (!broken) return;
  const path = blame(doc, paths);
  if (path !== undefined) issues.push({ path, message });
}

function memberRules(doc: DesiredDocument, target: Target, issues: Issue[]): void {
  for (const [member, value] of Object.entries(doc.EndpointDetails ?? {}) as [keyof EndpointDetails, unknown][]) {
    const types = ENDPOINT_MEMBER_TYPES[member];
    if (value === undefined || types.includes(target.endpointType)) continue;
    issues.push({
      path: `$.EndpointDetails.${member}`,
      message: `EndpointDetails.${member} can only be set when EndpointType is ${types.join(' or ')}, and the server's EndpointType would be ${target.endpointType}. Remove EndpointDetails.${member} or set "EndpointType": "${types[0]}".`,
    });
  }
  for (const [member, value] of Object.entries(doc.IdentityProviderDetails ?? {}) as [keyof IdentityProviderDetails, unknown][]) {
    const types = IDENTITY_MEMBER_TYPES[member];
    if (value === undefined || types.includes(target.identityType)) continue;
    issues.push({
      path: `$.IdentityProviderDetails.${member}`,
      message: `IdentityProviderDetails.${member} belongs to IdentityProviderType ${types.join(' or ')}, and the server's IdentityProviderType would be ${target.identityType}. Remove IdentityProviderDetails.${member} or change IdentityProviderType.`,
    });
  }
}

function typeChangeRules(doc: DesiredDocument, observed: ObservedServer, target: Target, issues: Issue[]): void {
  if (target.identityTypeChanged) {
    for (const member of IDENTITY_REQUIRED_MEMBERS[target.identityType]) {
      if (target.identityProviderDetails[member] !== undefined) continue;
      issues.push({
        path: `$.IdentityProviderDetails.${member}`,
        message: `IdentityProviderType ${target.identityType} needs IdentityProviderDetails.${member}; the members of the server's current type (${observed.IdentityProviderType}) do not carry over. Add IdentityProviderDetails.${member} to the document.`,
      });
    }
  }
  // Only reached when the document changes EndpointType; the path names the member to add.
  if (target.endpointTypeChanged && target.endpointType === 'VPC') {
    if ((target.endpointDetails.SubnetIds ?? []).length === 0) {
      issues.push({
        path: '$.EndpointDetails.SubnetIds',
        message: 'EndpointType VPC needs EndpointDetails.SubnetIds (the subnets that host the endpoint). Add them to the document.',
      });
    }
    if (target.endpointDetails.VpcId === undefined) {
      issues.push({ path: '$.EndpointDetails.VpcId', message: 'EndpointType VPC needs EndpointDetails.VpcId. Add it to the document.' });
    }
  }
  if (target.endpointTypeChanged && target.endpointType === 'VPC_ENDPOINT' && target.endpointDetails.VpcEndpointId === undefined) {
    issues.push({
      path: '$.EndpointDetails.VpcEndpointId',
      message:
        'EndpointType VPC_ENDPOINT needs EndpointDetails.VpcEndpointId. Add it, or use EndpointType VPC (VPC_ENDPOINT is deprecated).',
    });
  }
  const observedVpc = observed.EndpointDetails.VpcId;
  const desiredVpc = doc.EndpointDetails?.VpcId;
  rule(
    issues,
    doc,
    ['EndpointDetails.VpcId'],
    observed.EndpointType === 'VPC' &&
      target.endpointType === 'VPC' &&
      observedVpc !== undefined &&
      desiredVpc !== undefined &&
      desiredVpc !== observedVpc,
    `AWS does not support changing the VpcId of a VPC server (it has ${observedVpc}). Keep EndpointDetails.VpcId as it is, or create a new server in the other VPC.`,
  );
}

function protocolRules(doc: DesiredDocument, observed: ObservedServer, target: Target, issues: Issue[]): void {
  const protocols = new Set(target.protocols);
  const eips = target.endpointDetails.AddressAllocationIds ?? [];
  rule(
    issues,
    doc,
    ['Certificate', 'Protocols'],
    protocols.has('FTPS') && target.certificate === '',
    'Protocols includes FTPS, which needs a Certificate (an ACM certificate ARN). Set Certificate or remove FTPS from Protocols.',
  );
  for (const protocol of ['FTP', 'FTPS'] as const) {
    if (!protocols.has(protocol)) continue;
    rule(
      issues,
      doc,
      ['EndpointType', 'Protocols'],
      target.endpointType !== 'VPC',
      `Protocols includes ${protocol}, which needs EndpointType VPC (the server's would be ${target.endpointType}). Set "EndpointType": "VPC" with its EndpointDetails, or remove ${protocol}.`,
    );
    rule(
      issues,
      doc,
      ['IdentityProviderType', 'Protocols'],
      !FTP_IDENTITY_PROVIDERS.includes(target.identityType),
      `Protocols includes ${protocol}, which needs IdentityProviderType AWS_DIRECTORY_SERVICE, AWS_LAMBDA or API_GATEWAY (the server's would be ${target.identityType}). Change IdentityProviderType or remove ${protocol}.`,
    );
  }
  rule(
    issues,
    doc,
    ['EndpointDetails.AddressAllocationIds', 'Protocols', 'EndpointType'],
    protocols.has('FTP') && eips.length > 0,
    'Protocols includes FTP, which cannot be used with Elastic IPs (EndpointDetails.AddressAllocationIds). Remove the AddressAllocationIds (set them to []) or remove FTP.',
  );
  if (protocols.has('AS2')) {
    rule(
      issues,
      doc,
      ['EndpointType', 'Protocols'],
      target.endpointType !== 'VPC',
      `Protocols includes AS2, which needs EndpointType VPC (the server's would be ${target.endpointType}). Set "EndpointType": "VPC" or remove AS2.`,
    );
    rule(
      issues,
      doc,
      ['Protocols'],
      observed.Domain !== 'S3',
      `Protocols includes AS2, which needs an S3 domain; this server's Domain is ${observed.Domain} and cannot change. Remove AS2.`,
    );
  }
}

function addressAllocationRules(doc: DesiredDocument, target: Target, issues: Issue[]): void {
  const eips = target.endpointDetails.AddressAllocationIds ?? [];
  if (eips.length === 0) return;
  rule(
    issues,
    doc,
    ['IpAddressType', 'EndpointDetails.AddressAllocationIds'],
    target.ipAddressType === 'DUALSTACK',
    'EndpointDetails.AddressAllocationIds cannot be used with IpAddressType DUALSTACK. Use IpAddressType IPV4 or remove the AddressAllocationIds.',
  );
  rule(
    issues,
    doc,
    ['EndpointDetails.AddressAllocationIds', 'EndpointDetails.SubnetIds', 'EndpointType'],
    (target.endpointDetails.SubnetIds ?? []).length === 0,
    'EndpointDetails.AddressAllocationIds need EndpointDetails.SubnetIds on the server. Add the SubnetIds.',
  );
}

/** A document that names a HostKey must come with the key read: the plan never ignores a managed key. */
function hostKeyRule(desired: DesiredServer, issues: Issue[]): void {
  if (desired.document.HostKey === undefined || desired.hostKey !== undefined) return;
  issues.push({
    path: '$.HostKey',
    message:
      "HostKey names a key that was not read, so the server's key cannot be compared. Check that the SecureString parameter exists and can be decrypted.",
  });
}

export function effectiveIssues(desired: DesiredServer, observed: ObservedServer, target: Target): Issue[] {
  const doc = desired.document;
  const issues: Issue[] = [];
  hostKeyRule(desired, issues);
  memberRules(doc, target, issues);
  typeChangeRules(doc, observed, target, issues);
  protocolRules(doc, observed, target, issues);
  addressAllocationRules(doc, target, issues);
  return issues;
}
