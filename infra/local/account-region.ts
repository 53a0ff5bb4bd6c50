// One account-region of the emulator: its own Transfer servers, SSM parameters, EC2 endpoints and
// SQS queues (ARNs, endpoint ids and queue URLs carry its account and region), created on first
// use by `AccountRegions.at`. Each publishes its events (Parameter Store changes here, CloudTrail
// in aws-front.ts) through the router with its own `account` and `region`.
import { Ec2Backend } from './ec2/backend.ts';
import type { EndpointWithoutGroups } from './ec2/backend.ts';
import type { RuntimeConfig } from './control-api.ts';
import { SqsBackend } from './sqs/backend.ts';
import { SsmBackend } from './ssm/backend.ts';
import { TransferBackend } from './transfer/backend.ts';
import type { EmulatorEvent, ServiceBackend } from './types.ts';

export interface AccountRegionSettings {
  runtime: RuntimeConfig;
  maxHostKeys?: number;
  endpointWithoutGroups?: EndpointWithoutGroups;
  sqsDeduplicationWindowMs?: number;
  parameterEventDelayMs?: number;
  baseUrl: () => string;
  publish: (event: EmulatorEvent, delayMs: number) => void;
}

/** A snapshot of one account-region, for the state file. */
export interface AccountRegionState {
  accountId: string;
  region: string;
  transfer: unknown;
  ssm: unknown;
  ec2?: unknown;
}

export class AccountRegion {
  readonly accountId: string;
  readonly region: string;
  readonly transfer: TransferBackend;
  readonly ssm: SsmBackend;
  readonly ec2: Ec2Backend;
  readonly sqs: SqsBackend;

  constructor(accountId: string, region: string, s: AccountRegionSettings) {
    this.accountId = accountId;
    this.region = region;
    const r = s.runtime;
    this.transfer = new TransferBackend({
      region,
      accountId,
      nestedUpdate: r.nestedUpdate,
      transitionDelayMs: r.transitionDelayMs,
      ...(r.hostKeyFingerprint ? { hostKeyFingerprint: r.hostKeyFingerprint } : {}),
      ...(s.maxHostKeys === undefined ? {} : { maxHostKeys: s.maxHostKeys }),
    });
    this.ec2 = new Ec2Backend({
      region,
      accountId,
      transfer: this.transfer,
      ...(s.endpointWithoutGroups ? { endpointWithoutGroups: s.endpointWithoutGroups } : {}),
    });
    this.ssm = new SsmBackend({ region, accountId, onChange: (event) => s.publish(event, s.parameterEventDelayMs ?? 0) });
    this.sqs = new SqsBackend({
      region,
      accountId,
      baseUrl: s.baseUrl,
      ...(s.sqsDeduplicationWindowMs === undefined ? {} : { deduplicationWindowMs: s.sqsDeduplicationWindowMs }),
    });
  }

  /** `<account>/<region>`: the fault buckets' and the map's key. */
  get key(): string {
    return keyOf(this.accountId, this.region);
  }

  get backends(): ServiceBackend[] {
    return [this.transfer, this.ssm, this.ec2, this.sqs];
  }

  applyConfig(c: Partial<RuntimeConfig>): void {
    if (c.nestedUpdate !== undefined) this.transfer.setNestedUpdateMode(c.nestedUpdate);
    if (c.transitionDelayMs !== undefined) this.transfer.setTransitionDelay(c.transitionDelayMs);
    if (c.hostKeyFingerprint !== undefined) this.transfer.setHostKeyFingerprintMode(c.hostKeyFingerprint);
  }

  reset(): void {
    for (const b of this.backends) b.reset();
  }

  snapshot(): AccountRegionState {
    return {
      accountId: this.accountId,
      region: this.region,
      transfer: this.transfer.snapshot(),
      ssm: this.ssm.snapshot(),
      ec2: this.ec2.snapshot(),
    };
  }

  restore(state: Pick<AccountRegionState, 'transfer' | 'ssm' | 'ec2'>): void {
    this.transfer.restore(state.transfer);
    this.ssm.restore(state.ssm);
    if (state.ec2 !== undefined) this.ec2.restore(state.ec2);
  }

  close(): void {
    this.sqs.close();
  }
}

export function keyOf(accountId: string, region: string): string {
  return `${accountId}/${region}`;
}

const ACCOUNT = /^[0-9]{12}$/;
const REGION = /^[a-z]{2}(-[a-z0-9]+)+-[0-9]+$/;

/** Every account-region the emulator has served, the default one first. */
export class AccountRegions {
  private readonly map = new Map<string, AccountRegion>();
  private readonly settings: AccountRegionSettings;
  readonly defaultAccount: AccountRegion;

  constructor(accountId: string, region: string, settings: AccountRegionSettings) {
    this.settings = settings;
    // The default account-region is whatever the options say (checked by no pattern, as before).
    this.defaultAccount = this.create(accountId, region, false);
  }

  /** That account-region, created on first use; throws Error for a malformed account id or region. */
  at(accountId: string, region: string): AccountRegion {
    return this.map.get(keyOf(accountId, region)) ?? this.create(accountId, region);
  }

  /** Whether a signing region names a region the emulator can serve (else the default region is used). */
  static isRegion(region: string): boolean {
    return REGION.test(region);
  }

  all(): AccountRegion[] {
    return [...this.map.values()];
  }

  private create(accountId: string, region: string, check = true): AccountRegion {
    if (check && !ACCOUNT.test(accountId)) throw new Error(`account id must be 12 digits, got "${accountId}"`);
    if (check && !REGION.test(region)) throw new Error(`region must look like us-east-1, got "${region}"`);
    const created = new AccountRegion(accountId, region, this.settings);
    this.map.set(created.key, created);
    return created;
  }
}
