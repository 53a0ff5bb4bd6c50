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

/** The document as users write it (after static validation succeeded). */
export interface DesiredDocument extends ServerFields {
  $schema?: string;
  ServerId?: string;
  HostKey?: { SecureStringParameter: string };
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
  | { kind: 'untag'; keys: string[] };

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
}

export type Result = 'in-sync' | 'updated' | 'drift-detected' | 'blocked' | 'invalid' | 'not-found' | 'failed' | 'unmanaged';
export type Trigger = 'event' | 'schedule' | 'cli';

export interface Outcome {
  serverId: string;
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
}
