// DescribeServer's `Server` → ObservedServer: AWS's server-side defaults filled in (what
// DescribeServer shows for a field never set, docs/aws-behaviour.md), set-like lists sorted,
// the host-key fingerprint in canonical form, tags sorted by key. The plan compares desired values
// against this, so "a desired value equal to an AWS default matches a server that reports the
// field absent" holds without special cases in the diff.
import { normaliseFingerprint } from '../../shared/fingerprint.ts';
import type {
  EndpointDetails,
  IdentityProviderDetails,
  ObservedServer,
  ProtocolDetails,
  ServerState,
  Tag,
  WorkflowDetail,
  WorkflowDetails,
} from '../types.ts';

export const DEFAULT_PROTOCOLS = ['SFTP'] as const;
export const DEFAULT_SECURITY_POLICY = 'TransferSecurityPolicy-2018-11';
export const DEFAULT_PASSIVE_IP = 'AUTO';
export const DEFAULT_SFTP_AUTHENTICATION_METHODS = 'PUBLIC_KEY_OR_PASSWORD';
/**
 * As2Transports admits exactly one value in the model (list of 1, enum [HTTP]), so a server that
 * does not report it transports AS2 over HTTP. Normalisation leaves it absent (it is never sent
 * back unless the document manages it); the diff treats absent as this value. Treating absent as
 * [] instead would make a desired ["HTTP"] differ forever on a server that never reports it.
 */
export const IMPLIED_AS2_TRANSPORTS: readonly 'HTTP'[] = ['HTTP'];

const CUSTOM_PROVIDERS = new Set(['API_GATEWAY', 'AWS_LAMBDA']);

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function sortedStrings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((v): v is string => typeof v === 'string').sort();
}

function workflowList(value: unknown): WorkflowDetail[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry) => {
    const r = record(entry);
    return { WorkflowId: str(r['WorkflowId']) ?? '', ExecutionRole: str(r['ExecutionRole']) ?? '' };
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function protocolDetails(raw: Record<string, unknown>): ProtocolDetails {
  return withoutUndefined({
    PassiveIp: str(raw['PassiveIp']) ?? DEFAULT_PASSIVE_IP,
    TlsSessionResumptionMode: (str(raw['TlsSessionResumptionMode']) ?? 'ENFORCED') as ProtocolDetails['TlsSessionResumptionMode'],
    SetStatOption: (str(raw['SetStatOption']) ?? 'DEFAULT') as ProtocolDetails['SetStatOption'],
    As2Transports: sortedStrings(raw['As2Transports']) as ProtocolDetails['As2Transports'],
  });
}

/**
 * SecurityGroupIds is dropped even if a response carried it: AWS documents that DescribeServer
 * never fills it in, so the plan treats it as unknown. Reading it when present would make the plan
 * depend on a field whose absence it must handle anyway.
 */
function endpointDetails(raw: Record<string, unknown>): EndpointDetails {
  return withoutUndefined({
    AddressAllocationIds: sortedStrings(raw['AddressAllocationIds']),
    SubnetIds: sortedStrings(raw['SubnetIds']),
    VpcEndpointId: str(raw['VpcEndpointId']),
    VpcId: str(raw['VpcId']),
  });
}

function identityProviderDetails(raw: Record<string, unknown>, type: string): IdentityProviderDetails {
  const details: IdentityProviderDetails = withoutUndefined({
    Url: str(raw['Url']),
    InvocationRole: str(raw['InvocationRole']),
    DirectoryId: str(raw['DirectoryId']),
    Function: str(raw['Function']),
    SftpAuthenticationMethods: str(raw['SftpAuthenticationMethods']) as IdentityProviderDetails['SftpAuthenticationMethods'],
  });
  if (CUSTOM_PROVIDERS.has(type)) details.SftpAuthenticationMethods ??= DEFAULT_SFTP_AUTHENTICATION_METHODS;
  return details;
}

function workflowDetails(raw: Record<string, unknown>): Required<WorkflowDetails> {
  return { OnUpload: workflowList(raw['OnUpload']), OnPartialUpload: workflowList(raw['OnPartialUpload']) };
}

function tags(value: unknown): Tag[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((entry) => record(entry))
    .filter((r) => typeof r['Key'] === 'string')
    .map((r) => ({ Key: r['Key'] as string, Value: str(r['Value']) ?? '' }))
    .sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
}

/**
 * `described` is the `Server` member of a DescribeServer response (plain JSON, as the SDK returns
 * it). Idempotent: normalising an ObservedServer gives it back unchanged.
 * A missing State is read as OFFLINE: AWS always sends it, and OFFLINE is the reading under which
 * the plan never starts a server nobody asked to start.
 */
export function normaliseServer(described: Record<string, unknown>): ObservedServer {
  const identityType = (str(described['IdentityProviderType']) ?? 'SERVICE_MANAGED') as ObservedServer['IdentityProviderType'];
  const fingerprint = str(described['HostKeyFingerprint']);
  const observed: ObservedServer = {
    ServerId: str(described['ServerId']) ?? '',
    Arn: str(described['Arn']) ?? '',
    State: (str(described['State']) ?? 'OFFLINE') as ServerState,
    Domain: (str(described['Domain']) ?? 'S3') as ObservedServer['Domain'],
    Protocols: (sortedStrings(described['Protocols']) ?? [...DEFAULT_PROTOCOLS]) as ObservedServer['Protocols'],
    ProtocolDetails: protocolDetails(record(described['ProtocolDetails'])),
    Certificate: str(described['Certificate']) ?? '',
    EndpointType: (str(described['EndpointType']) ?? 'PUBLIC') as ObservedServer['EndpointType'],
    EndpointDetails: endpointDetails(record(described['EndpointDetails'])),
    IdentityProviderType: identityType,
    IdentityProviderDetails: identityProviderDetails(record(described['IdentityProviderDetails']), identityType),
    LoggingRole: str(described['LoggingRole']) ?? '',
    PostAuthenticationLoginBanner: str(described['PostAuthenticationLoginBanner']) ?? '',
    PreAuthenticationLoginBanner: str(described['PreAuthenticationLoginBanner']) ?? '',
    SecurityPolicyName: str(described['SecurityPolicyName']) ?? DEFAULT_SECURITY_POLICY,
    WorkflowDetails: workflowDetails(record(described['WorkflowDetails'])),
    StructuredLogDestinations: sortedStrings(described['StructuredLogDestinations']) ?? [],
    S3StorageOptions: {
      DirectoryListingOptimization: (str(record(described['S3StorageOptions'])['DirectoryListingOptimization']) ?? 'DISABLED') as
        'ENABLED' | 'DISABLED',
    },
    IpAddressType: (str(described['IpAddressType']) ?? 'IPV4') as ObservedServer['IpAddressType'],
    Tags: tags(described['Tags']),
  };
  // Anything that is not a SHA-256 fingerprint (moto answers the private key here) becomes
  // "(unrecognised fingerprint)": the text itself never reaches a plan, an outcome or a log. It
  // still counts as a key the server has, so replacing it needs AllowHostKeyRotation.
  if (fingerprint !== undefined && fingerprint.trim() !== '') observed.HostKeyFingerprint = normaliseFingerprint(fingerprint);
  // Read from other APIs (EC2, ListHostKeys) and added by the observer; kept so normalising stays idempotent.
  const groups = sortedStrings(described['SecurityGroupIds']);
  if (groups !== undefined) observed.SecurityGroupIds = groups;
  if (Array.isArray(described['HostKeys'])) observed.HostKeys = described['HostKeys'] as ObservedServer['HostKeys'];
  return observed;
}
