// Shapes of a stored Transfer server and of the requests that write it (member names as in the
// Transfer API, so the stored copy reads like a DescribeServer answer).

export type ServerState = 'OFFLINE' | 'ONLINE' | 'STARTING' | 'STOPPING' | 'START_FAILED' | 'STOP_FAILED';
export type FailureState = 'START_FAILED' | 'STOP_FAILED';

export interface EndpointDetails {
  AddressAllocationIds?: string[];
  SubnetIds?: string[];
  VpcEndpointId?: string;
  VpcId?: string;
  SecurityGroupIds?: string[];
}

export interface ProtocolDetails {
  PassiveIp?: string;
  TlsSessionResumptionMode?: string;
  SetStatOption?: string;
  As2Transports?: string[];
}

export interface IdentityProviderDetails {
  Url?: string;
  InvocationRole?: string;
  DirectoryId?: string;
  Function?: string;
  SftpAuthenticationMethods?: string;
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
  DirectoryListingOptimization?: string;
}

export interface Tag {
  Key: string;
  Value: string;
}

/** The settable configuration of a server after defaults are applied. */
export interface ServerConfig {
  Domain: string;
  EndpointType: string;
  EndpointDetails?: EndpointDetails;
  IdentityProviderType: string;
  IdentityProviderDetails?: IdentityProviderDetails;
  Protocols: string[];
  ProtocolDetails: ProtocolDetails;
  SecurityPolicyName: string;
  Certificate?: string;
  LoggingRole?: string;
  PreAuthenticationLoginBanner?: string;
  PostAuthenticationLoginBanner?: string;
  WorkflowDetails?: WorkflowDetails;
  StructuredLogDestinations: string[];
  S3StorageOptions: S3StorageOptions;
  IpAddressType: string;
}

/** CreateServer / UpdateServer input (the HTTP front has already checked member types). */
export interface ServerRequest {
  ServerId?: string;
  Domain?: string;
  EndpointType?: string;
  EndpointDetails?: EndpointDetails;
  IdentityProviderType?: string;
  IdentityProviderDetails?: IdentityProviderDetails;
  Protocols?: string[];
  ProtocolDetails?: ProtocolDetails;
  SecurityPolicyName?: string;
  Certificate?: string;
  LoggingRole?: string;
  PreAuthenticationLoginBanner?: string;
  PostAuthenticationLoginBanner?: string;
  WorkflowDetails?: WorkflowDetails;
  StructuredLogDestinations?: string[];
  S3StorageOptions?: S3StorageOptions;
  IpAddressType?: string;
  HostKey?: string;
  Tags?: Tag[];
}

export interface Transition {
  to: ServerState;
  /** Clock time the transitional state ends; null holds it until something changes it. */
  until: number | null;
}

export interface Lifecycle {
  state: ServerState;
  transition?: Transition;
  /** Injected outcome for the next start (START_FAILED) or stop (STOP_FAILED). */
  pendingFailure?: FailureState;
}

/** One of a server's host keys (ImportHostKey, or the key CreateServer/UpdateServer set). */
export interface StoredHostKey {
  HostKeyId: string;
  /** Private key text: kept for snapshots only, never answered. */
  hostKey: string;
  Fingerprint: string;
  /** ssh-rsa | ssh-ed25519 | ecdsa-sha2-nistp256 | -nistp384 | -nistp521 */
  Type: string;
  Description?: string;
  /** Epoch milliseconds; strictly increasing across imports (ServersStore.stampImport). */
  DateImported: number;
  Tags: Tag[];
}

export interface StoredServer {
  ServerId: string;
  Arn: string;
  /** Creation order, for ListServers paging. */
  seq: number;
  config: ServerConfig;
  /** Oldest first (by DateImported); the oldest is what DescribeServer's HostKeyFingerprint shows. */
  hostKeys: StoredHostKey[];
  Tags: Tag[];
  lifecycle: Lifecycle;
}
