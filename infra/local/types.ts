// Contracts between the emulator's HTTP front (emulator.ts) and its service back ends.

export type ServiceName = 'transfer' | 'ssm' | 'ec2' | 'sqs';

/** A service back end: answers one operation at a time, throws AwsError for AWS errors. */
export interface ServiceBackend {
  readonly name: ServiceName;
  /** X-Amz-Target prefix: `TransferService`, `AmazonSSM` or `AmazonSQS` (EC2's query protocol has none: `AmazonEC2`, for fault keys). */
  readonly targetPrefix: string;
  handle(operation: string, input: Record<string, unknown>): Promise<unknown> | unknown;
  reset(): void;
  /** JSON-serialisable state, for the optional state file. */
  snapshot(): unknown;
  restore(snapshot: unknown): void;
}

export type NestedUpdateMode = 'merge' | 'replace';

/**
 * What DescribeServer answers in HostKeyFingerprint: the key's fingerprint (AWS), or the private
 * key text itself, as moto does — so tests can prove such an answer is never printed.
 */
export type HostKeyFingerprintMode = 'fingerprint' | 'moto';

export interface TransferOptions {
  region: string;
  accountId: string;
  /** How UpdateServer treats a nested object that leaves members out (AWS does not document it). */
  nestedUpdate: NestedUpdateMode;
  /** How long STOPPING and STARTING last. */
  transitionDelayMs: number;
  /** Default 'fingerprint'. */
  hostKeyFingerprint?: HostKeyFingerprintMode;
  /** How many host keys a server can hold (ImportHostKey); default 10 (quoted, unverified). */
  maxHostKeys?: number;
  /** Clock, for tests; default Date.now. */
  now?: () => number;
}

export interface SsmOptions {
  region: string;
  accountId: string;
  now?: () => number;
}

/** EventBridge event as AWS delivers it for SSM Parameter Store changes. */
export interface ParameterStoreChangeEvent {
  version: '0';
  id: string;
  'detail-type': 'Parameter Store Change';
  source: 'aws.ssm';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    operation: 'Create' | 'Update' | 'Delete' | 'LabelParameterVersion';
    name: string;
    type: 'String' | 'StringList' | 'SecureString';
    description: string;
  };
}

/** Any EventBridge event (the envelope every AWS service event shares). */
export interface EventBridgeEvent<DetailType extends string = string, Detail = unknown> {
  version: '0';
  id: string;
  'detail-type': DetailType;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Detail;
}

/** CloudTrail's record of one API call (the `detail` of an "AWS API Call via CloudTrail" event). */
export interface CloudTrailDetail {
  eventVersion: '1.08';
  userIdentity: Record<string, unknown>;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  requestID: string;
  eventID: string;
  readOnly: false;
  eventType: 'AwsApiCall';
  managementEvent: true;
  recipientAccountId: string;
  eventCategory: 'Management';
}

/** A management API call as EventBridge delivers it from CloudTrail (infra/local/cloudtrail.ts). */
export interface CloudTrailApiCallEvent extends EventBridgeEvent<'AWS API Call via CloudTrail', CloudTrailDetail> {
  source: 'aws.transfer' | 'aws.ec2';
}

/** Every event the emulator's bus carries. */
export type EmulatorEvent = ParameterStoreChangeEvent | CloudTrailApiCallEvent;

export interface ThrottleRule {
  rate: number;
  burst: number;
}
export interface LatencyRule {
  fixedMs: number;
  jitterMs: number;
}
/**
 * An injected error with any code (AccessDeniedException, ThrottlingException without a
 * Retry-After hint, ...), answered in the service's wire shape. `rate` is 0..1.
 */
export interface ErrorRule {
  code: string;
  status: number;
  rate: number;
  message?: string;
}
/** Faults for one scope (everything, one service, or one operation). Rates are 0..1. */
export interface FaultRule {
  throttle?: ThrottleRule;
  error500Rate?: number;
  error503Rate?: number;
  latency?: LatencyRule;
  dropRate?: number;
  /** Errors of chosen codes; rolled after drop/500/503, in the order listed. */
  errors?: ErrorRule[];
}
export interface FaultConfig {
  global?: FaultRule;
  services?: Partial<Record<ServiceName, FaultRule>>;
  /** Keyed by operation name (`UpdateServer`) or target (`TransferService.UpdateServer`). */
  operations?: Record<string, FaultRule>;
  /** Seed for the fault dice, so runs can be repeated. */
  seed?: number;
}

export interface CallLogEntry {
  seq: number;
  time: string;
  /** STS is answered (sts/front.ts) but has no fault scope nor back end of its own. */
  service: ServiceName | 'sts' | 'unknown';
  operation: string;
  status: number;
  errorCode?: string;
  throttled: boolean;
  /** Fault injected by the emulator rather than an answer of the service's own logic. */
  injected?: 'throttle' | '500' | '503' | 'drop' | 'error';
  /** From the SDK's `amz-sdk-request: attempt=N; max=M` header when present. */
  attempt?: number;
  durationMs: number;
  /** ServerId, parameter Name(s) or resource ARN the call was about, when the request names one. */
  target?: string;
  /** Request members the model does not know (AWS ignores them; tests assert there are none). */
  unknownMembers?: string[];
  /** The caller's ARN, from the access key of the request's signature (principals.ts). */
  principal?: string;
  /** The account-region the call ran in: the caller's account, the signing region (principals.ts). */
  account?: string;
  region?: string;
}
