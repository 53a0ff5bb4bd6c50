// The reconciler's data: the desired document (../shared/docs/desired-state.md), the observed
// server, the plan between them and the outcome of one reconcile. No SDK types here: the pure
// core (desired validation, plan) depends only on this file.

export type Protocol = 'SFTP' | 'FTP' | 'FTPS' | 'AS2';
export type EndpointType = 'PUBLIC' | 'VPC' | 'VPC_ENDPOINT';
export type IdentityProviderType = 'SERVICE_MANAGED' | 'API_GATEWAY' | 'AWS_DIRECTORY_SERVICE' | 'AWS_LAMBDA';
export type IpAddressType = 'IPV4' | 'DUALSTACK';
export type RunState = 'ONLINE' | 'OFFLINE';
export type ServerState = 'OFFLINE' | 'ONLINE' | 'STARTING' | 'STOPPING' | 'START_FAILED' | 'STOP_FAILED';

export interface ProtocolDetails {
  PassiveIp?: string;
  TlsSessionResumptionMode?: 'DISABLED' | 'ENABLED' | 'ENFORCED';
  SetStatOption?: 'DEFAULT' | 'ENABLE_NO_OP';
  As2Transports?: 'HTTP'[];
}
export interface EndpointDetails {
  AddressAllocationIds?: string[];
  SubnetIds?: string[];
  VpcEndpointId?: string;
  VpcId?: string;
  SecurityGroupIds?: string[];
}
export interface IdentityProviderDetails {
  Url?: string;
  InvocationRole?: string;
  DirectoryId?: string;
  Function?: string;
  SftpAuthenticationMethods?: 'PASSWORD' | 'PUBLIC_KEY' | 'PUBLIC_KEY_OR_PASSWORD' | 'PUBLIC_KEY_AND_PASSWORD';
}
export interface WorkflowDetail {
  WorkflowId: string;
  ExecutionRole: string;
}
export interface WorkflowDetails {
  OnUpload?: WorkflowDetail[];
  OnPartialUpload?: WorkflowDetail[];
}
export interface S3StorageOptions {
  DirectoryListingOptimization?: 'ENABLED' | 'DISABLED';
}
export interface Tag {
  Key: string;
  Value: string;
}

export interface ReconcilerPolicy {
  Mode?: 'enforce' | 'detect';
  AllowOfflineChanges?: boolean;
  AllowHostKeyRotation?: boolean;
  PruneTags?: boolean;
}

/** The fields of UpdateServer that a document may manage (all but ServerId and HostKey). */
export interface ServerFields {
  Certificate?: string;
  ProtocolDetails?: ProtocolDetails;
  EndpointType?: EndpointType;
  EndpointDetails?: EndpointDetails;
  IdentityProviderType?: IdentityProviderType;
  IdentityProviderDetails?: IdentityProviderDetails;
  LoggingRole?: string;
  PostAuthenticationLoginBanner?: string;
  PreAuthenticationLoginBanner?: string;
  Protocols?: Protocol[];
  SecurityPolicyName?: string;
  WorkflowDetails?: WorkflowDetails;
  StructuredLogDestinations?: string[];
  S3StorageOptions?: S3StorageOptions;
  IpAddressType?: IpAddressType;
}

/** One entry of `HostKeys`: a SecureString reference and the description the key should carry. */
export interface HostKeyReference {
  SecureStringParameter: string;
  Description?: string;
}

/** The custom hostname, as the `transfer:customHostname` / `transfer:route53HostedZoneId` tags hold it; `""` removes it. */
export type CustomHostname = { Hostname: string; Route53HostedZoneId?: string } | '';

/** The document as users write it (after static validation succeeded). */
export interface DesiredDocument extends ServerFields {
  $schema?: string;
  ServerId?: string;
  HostKey?: { SecureStringParameter: string };
  /** The whole set of host keys the server should hold (mutually exclusive with HostKey). */
  HostKeys?: HostKeyReference[];
  CustomHostname?: CustomHostname;
  Tags?: Tag[];
  State?: RunState;
  Reconciler?: ReconcilerPolicy;
}

/** Where a document came from: a file or an SSM parameter (with the version read). */
export interface DocumentSource {
  kind: 'file' | 'parameter';
  /** File path or parameter name. */
  name: string;
  version?: number;
}

/**
 * Private key material. It never prints: toString, toJSON and util.inspect all give the
 * fingerprint, so a Secret that slips into a log line or an outcome leaks nothing.
 */
export interface HostKeySecret {
  readonly fingerprint: string;
  readonly algorithm: string;
  reveal(): string;
}

/** A desired document ready to plan: validated, host key resolved. */
export interface DesiredServer {
  serverId: string;
  source: DocumentSource;
  document: DesiredDocument;
  /** Present when the document names a HostKey and it was read. */
  hostKey?: { parameter: string; secret: HostKeySecret };
  /** Present when the document has HostKeys and every key was read, in the document's order. */
  hostKeys?: { parameter: string; secret: HostKeySecret; description?: string }[];
  policy: Required<ReconcilerPolicy>;
  warnings: string[];
}

/** DescribeServer, normalised: defaults filled, sets sorted, fingerprint as `SHA256:<base64 no padding>`. */
export interface ObservedServer extends Required<Omit<ServerFields, 'EndpointDetails' | 'IdentityProviderDetails'>> {
  ServerId: string;
  Arn: string;
  State: ServerState;
  Domain: 'S3' | 'EFS';
  EndpointDetails: EndpointDetails;
  IdentityProviderDetails: IdentityProviderDetails;
  HostKeyFingerprint?: string;
  Tags: Tag[];
  /** The VPC endpoint's security groups (EC2 DescribeVpcEndpoints), read only when the document manages them on a VPC server. */
  SecurityGroupIds?: string[];
  /** The server's host keys (ListHostKeys), read only when the document has HostKeys. */
  HostKeys?: ObservedHostKey[];
}

/** One key of ListHostKeys; per algorithm (Type) the oldest by DateImported is the one clients see. */
export interface ObservedHostKey {
  HostKeyId: string;
  /** `SHA256:<base64 without padding>`, or `(unrecognised fingerprint)`. */
  Fingerprint: string;
  Type: string;
  Description: string;
  /** Epoch ms. */
  DateImported: number;
}

/** One managed field that differs. `path` is dotted (`ProtocolDetails.PassiveIp`, `Tags.team`, `HostKey`, `State`). */
export interface Change {
  path: string;
  from: unknown;
  to: unknown;
  /** AWS accepts it only while the server is OFFLINE, or it takes effect only after a restart. */
  requires?: 'offline' | 'restart';
}

export interface Issue {
  /** JSON path inside the document, like `$.ProtocolDetails.PassiveIp`. */
  path: string;
  message: string;
}

export type UpdateRequest = ServerFields & { HostKey?: HostKeySecret };

export type Step =
  | { kind: 'stop' }
  | { kind: 'start' }
  | { kind: 'update'; purpose: 'main' | 'clear-address-allocations' | 'set-address-allocations'; request: UpdateRequest }
  | { kind: 'tag'; tags: Tag[] }
  | { kind: 'untag'; keys: string[] }
  /** EC2 ModifyVpcEndpoint on the server's endpoint: groups are added in one step and removed in a later one. */
  | { kind: 'modify-endpoint'; vpcEndpointId: string; add: string[]; remove: string[] }
  | { kind: 'import-host-key'; parameter: string; secret: HostKeySecret; description?: string }
  | { kind: 'update-host-key'; hostKeyId: string; fingerprint: string; description: string }
  | { kind: 'delete-host-key'; hostKeyId: string; fingerprint: string };

/** Per algorithm (ListHostKeys Type, `ssh-ed25519`), the fingerprint of the key clients see (the oldest) before and after. */
export interface ActiveHostKey {
  algorithm: string;
  before?: string;
  after?: string;
}

export interface Plan {
  serverId: string;
  changes: Change[];
  steps: Step[];
  /** Changes that the document's policy does not allow; when any, steps is empty. */
  blocked: Issue[];
  /** Effective validation errors (document merged with the server); when any, steps is empty. */
  invalid: Issue[];
  warnings: string[];
  /** The plan stops the server. */
  offline: boolean;
  /** The server is START_FAILED/STOP_FAILED and the document does not say OFFLINE: nothing is planned (plan/run-state.ts). */
  failedState?: 'START_FAILED' | 'STOP_FAILED';
  /** With HostKeys: the active key per algorithm, now and once the plan is applied (plan/host-keys.ts). */
  hostKeys?: ActiveHostKey[];
}

export type Result = 'in-sync' | 'updated' | 'drift-detected' | 'blocked' | 'invalid' | 'not-found' | 'failed' | 'unmanaged';
export type Trigger = 'event' | 'schedule' | 'cli';

export interface Outcome {
  serverId: string;
  /** The server's account and region, both or neither (absent: the hub's own; docs/accounts.md). */
  accountId?: string;
  region?: string;
  parameter: { name: string; version?: number };
  trigger: Trigger;
  mode: 'enforce' | 'detect';
  result: Result;
  changes: Change[];
  calls: Record<string, number>;
  durationMs: number;
  warnings: string[];
  error?: { code: string; message: string; retryable: boolean };
  /** Blocked or invalid issues, each with its path. */
  issues?: Issue[];
  /** Writes carried out, in order (also when a reconcile failed part-way). */
  done?: string[];
  /** Where a failed reconcile left the server (DescribeServer State). */
  serverState?: string;
  /** SDK retries behind `calls`, and how many calls ended throttled after all retries. */
  retries?: number;
  throttled?: number;
  /** With HostKeys: the active key per algorithm before and after, from the reconcile's first plan. */
  hostKeys?: ActiveHostKey[];
}
