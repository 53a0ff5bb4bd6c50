// The emulator's public types (emulator.ts starts it): its options and what startEmulator returns.
import type { EndpointWithoutGroups } from './ec2/backend.ts';
import type { Ec2Backend } from './ec2/backend.ts';
import type { CallFilter } from './call-log.ts';
import type { RuntimeConfig } from './control-api.ts';
import type { EventListener } from './event-bus.ts';
import type { PrincipalRule } from './principals.ts';
import type { SqsBackend } from './sqs/backend.ts';
import type { SsmBackend } from './ssm/backend.ts';
import type { RoleDefinition } from './sts/roles.ts';
import type { TransferBackend } from './transfer/backend.ts';
import type {
  CallLogEntry,
  EmulatorEvent,
  FaultConfig,
  HostKeyFingerprintMode,
  NestedUpdateMode,
  ParameterStoreChangeEvent,
} from './types.ts';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** The default region: unsigned requests, and what `emu.transfer` & co. serve. */
  region?: string;
  /** The default (hub) account: access keys that are neither 12 digits nor issued by STS. */
  accountId?: string;
  nestedUpdate?: NestedUpdateMode;
  /** How long STARTING and STOPPING last. */
  transitionDelayMs?: number;
  /** What DescribeServer answers as HostKeyFingerprint (types.ts); default 'fingerprint'. */
  hostKeyFingerprint?: HostKeyFingerprintMode;
  /** How many host keys a server can hold (default 10: quoted by others, unverified). */
  maxHostKeys?: number;
  /** ModifyVpcEndpoint leaving an endpoint with no group: 'refuse' (default, InvalidParameterValue) or 'allow'. */
  endpointWithoutGroups?: EndpointWithoutGroups;
  /** Applies to every account-region, each with its own token buckets. */
  faults?: FaultConfig;
  /** Loaded at start when it exists; saved (debounced) after every change and on stop. */
  stateFile?: string;
  /** Access key → principal rules tried before the defaults (principals.ts, README "Principals"). */
  principals?: PrincipalRule[];
  /** IAM roles STS AssumeRole can issue credentials for (a spoke stack deployed in that account). */
  roles?: RoleDefinition[];
  /** AssumeRole's session length when the request has no DurationSeconds; default 3600. */
  sessionDurationSeconds?: number;
  /** Spoke accounts whose events do not reach the hub bus (no forwarding rule). */
  unforwardedAccounts?: string[];
  /** Delay before a CloudTrail event is published (AWS: seconds, best effort). Default 0. */
  eventDelayMs?: number;
  /** Delay before a Parameter Store change event is published. Default 0. */
  parameterEventDelayMs?: number;
  /** SQS FIFO deduplication interval; default 5 minutes (tests shorten it). */
  sqsDeduplicationWindowMs?: number;
  /** Receives diagnostic lines (internal errors, state-file failures). Default: silent. */
  logger?: (line: string) => void;
}

/** One account-region's back ends, its own event bus and its calls. */
export interface AccountRegionView {
  readonly accountId: string;
  readonly region: string;
  readonly transfer: TransferBackend;
  readonly ssm: SsmBackend;
  readonly ec2: Ec2Backend;
  readonly sqs: SqsBackend;
  /** This account-region's own bus (forwarded to the hub or not). */
  readonly events: {
    subscribe(fn: EventListener): () => void;
    list(since?: number): Array<{ seq: number; event: EmulatorEvent }>;
  };
  readonly calls: { list(since?: number): CallLogEntry[] };
}

export interface Emulator {
  readonly url: string;
  readonly port: number;
  /** The default account-region, which the members below serve. */
  readonly region: string;
  readonly accountId: string;
  readonly transfer: TransferBackend;
  readonly ssm: SsmBackend;
  readonly ec2: Ec2Backend;
  readonly sqs: SqsBackend;
  /** That account-region (created on first use; region defaults to the emulator's). Throws for a malformed id. */
  at(accountId: string, region?: string): AccountRegionView;
  /** Every account-region served so far, the default one first. */
  accounts(): Array<{ accountId: string; region: string }>;
  readonly roles: {
    /** Adds or replaces a role (by ARN); throws Error for a malformed one. */
    add(role: RoleDefinition): RoleDefinition;
    remove(arn: string): boolean;
    list(): RoleDefinition[];
    /** Makes a session's credentials expire now (tests of credential refresh); false for an unknown key. */
    expire(accessKeyId: string): boolean;
  };
  /** The hub's bus: the default account's events and every forwarding account's, each with its account and region. */
  readonly events: {
    /** In-process subscription to the Parameter Store change events (as before); returns unsubscribe. */
    subscribe(fn: (event: ParameterStoreChangeEvent, seq: number) => void): () => void;
    /** In-process subscription to every event (Parameter Store and CloudTrail); returns unsubscribe. */
    subscribeAll(fn: EventListener): () => void;
    /** Buffered events (every kind) with seq greater than `since`, of one account (and region) when filtered. */
    list(since?: number, filter?: { account?: string; region?: string }): Array<{ seq: number; event: EmulatorEvent }>;
    /** Turns a spoke account's forwarding rule to the hub on or off (default on). */
    setForwarding(accountId: string, forward: boolean): void;
  };
  readonly faults: { get(): FaultConfig; set(config: FaultConfig): void };
  /**
   * The call log. Without a filter: the default account-region's calls (as before). With one:
   * the calls matching it, an omitted member matching any value (`{}`: every account-region).
   */
  readonly calls: { list(since?: number, filter?: CallFilter): CallLogEntry[]; clear(): void };
  readonly config: { get(): RuntimeConfig; set(config: Partial<RuntimeConfig>): RuntimeConfig };
  /** Empties every account-region's services, the call log and the event buffers; faults, roles and sessions stay. */
  reset(): void;
  /** Writes the state file now (no-op without one). */
  saveState(): Promise<void>;
  /** Closes every connection, open event streams included, and saves the state. Idempotent. */
  stop(): Promise<void>;
}
