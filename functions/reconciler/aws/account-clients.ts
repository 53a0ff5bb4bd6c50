// THE one place clients for a server's address are made (docs/accounts.md). The hub's own servers
// get the hub's clients. A spoke address gets Transfer and EC2 clients signed for its region with
// the account's role (role-credentials.ts: assumed once per account and role, cached until near
// expiry; `access: 'read'` takes the entry's readRole, the spoke's read-only role, when it has one) and
// paced by one token bucket per account-region (each has its own quota); SSM is always the hub's,
// where the documents, host keys and the accounts file live. An address the accounts file does not
// list gets no clients at all (AccountNotListedError): a document of account A can never cause a
// call signed for account B, because every client here is bound to exactly one account-region.
import { EC2Client } from '@aws-sdk/client-ec2';
import { TransferClient } from '@aws-sdk/client-transfer';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { Clock } from '../apply/clock.ts';
import type { AccountEntry, AccountsFile } from '../desired/accounts-rules.ts';
import type { ServerAddress } from '../desired/server-address.ts';
import { isHubAddress } from '../desired/server-address.ts';
import { AccountNotListedError } from '../errors.ts';
import { countCalls } from './call-count.ts';
import type { AwsClients, AwsSettings } from './clients.ts';
import { clientConfig } from './clients.ts';
import { TokenBucket, paceClient } from './rate-limit.ts';
import { EXPIRED_TOKEN_CODES, roleCredentials } from './role-credentials.ts';
import type { RoleCredentials } from './role-credentials.ts';

export { AccountNotListedError };

export interface AccountClientsOptions {
  /** The hub's own clients (SSM always from here; Transfer/EC2 for hub addresses). */
  hub: AwsClients;
  /** endpointUrl, maxAttempts, … as for createClients (clients.ts); `region` is the hub's (STS). */
  settings: AwsSettings;
  accounts: AccountsFile | undefined;
  /** RoleSessionName, e.g. 'transfer-reconciler-worker' or 'transfer-reconciler-cli'. */
  sessionName: string;
  /**
   * Which of the account's roles is assumed: 'write' (default) the entry's `role`, for the worker and
   * `reconcile`; 'read' its `readRole` (the spoke's read-only role), else `role`, for the router and
   * the CLI's plan, status, export and reconcile --mode detect.
   */
  access?: AccountAccess;
  /**
   * Attempts per second for one account-region's Transfer (and EC2) calls from this process, and the
   * floor its bucket drops to after a throttled answer (rate-limit.ts); default: the entry's
   * transferCallsPerSecond or the hub's rate, no floor.
   */
  paceOf?: (entry: AccountEntry, region: string, accounts: AccountsFile | undefined) => { rate: number; floor?: number } | undefined;
  /** What AssumeRole is signed with (default: the hub clients' credentials, i.e. the SDK chain). */
  masterCredentials?: AwsCredentialIdentityProvider;
  /** The token buckets' clock (tests). */
  clock?: Clock;
}

export type AccountAccess = 'read' | 'write';

/** The role an access assumes in an account: read → readRole when the entry has one, else role. */
export function roleFor(entry: Pick<AccountEntry, 'role' | 'readRole'>, access: AccountAccess = 'write'): string {
  return access === 'read' ? (entry.readRole ?? entry.role) : entry.role;
}

/** Where a client made here is bound. */
export interface Binding {
  accountId: string;
  region: string;
}

interface Spoke {
  clients: AwsClients;
  entryText: string;
  bucket?: TokenBucket;
}

const entryText = (e: AccountEntry, role: string): string => JSON.stringify([role, e.externalId, e.transferCallsPerSecond ?? null]);

export class AccountClients {
  readonly #o: AccountClientsOptions;
  #accounts: AccountsFile | undefined;
  readonly #credentials = new Map<string, { text: string; creds: RoleCredentials }>();
  readonly #spokes = new Map<string, Spoke>();
  readonly #bound = new WeakMap<object, Binding>();

  constructor(options: AccountClientsOptions) {
    this.#o = options;
    this.#accounts = options.accounts;
  }

  /** Clients for one server: hub → options.hub; otherwise Transfer+EC2 signed for address.region with the account's role (ExternalId), SSM = hub. Throws AccountNotListedError for an account/region not in the accounts file. */
  for(address: ServerAddress): AwsClients {
    if (isHubAddress(address)) return this.#o.hub;
    const accountId = address.accountId ?? '';
    const region = address.region ?? '';
    const entry = this.entryOf(accountId, region);
    const key = `${accountId}/${region}`;
    const pace = this.#paceOf(entry, region);
    // The pace is part of what the clients were made for: a file listing more places changes it.
    const text = `${entryText(entry, this.roleOf(entry))}|${pace?.rate ?? ''}|${pace?.floor ?? ''}`;
    const known = this.#spokes.get(key);
    if (known !== undefined && known.entryText === text) return known.clients;
    if (known !== undefined) destroySpoke(known);
    const creds = this.credentialsOf(entry);
    const config: Record<string, unknown> = {
      ...clientConfig({ ...this.#o.settings, region }),
      ...this.#hubEndpoint(),
      region,
      credentials: creds.provider,
    };
    const clients: AwsClients = { transfer: new TransferClient(config), ssm: this.#o.hub.ssm, ec2: new EC2Client(config) };
    for (const c of [clients.transfer, clients.ec2]) {
      countCalls(c);
      invalidateOnExpiry(c, creds);
      this.#bound.set(c, { accountId, region });
    }
    let bucket: TokenBucket | undefined;
    if (pace !== undefined) {
      bucket = new TokenBucket(pace.rate, {
        ...(this.#o.clock ? { clock: this.#o.clock } : {}),
        ...(pace.floor !== undefined ? { floorPerSecond: pace.floor } : {}),
      });
      paceClient(clients.transfer, bucket);
      paceClient(clients.ec2, bucket);
    }
    this.#spokes.set(key, { clients, entryText: text, ...(bucket ? { bucket } : {}) });
    return clients;
  }

  /**
   * Work here is not spread (a batch holds several of this account-region's servers): its bucket
   * keeps to its floor for a while, as after a throttled answer (rate-limit.ts). Hub addresses and
   * addresses without clients yet are left alone.
   */
  expectShared(address: ServerAddress): void {
    if (isHubAddress(address)) return;
    this.#spokes.get(`${address.accountId ?? ''}/${address.region ?? ''}`)?.bucket?.toFloor();
  }

  #paceOf(entry: AccountEntry, region: string): { rate: number; floor?: number } | undefined {
    const paced = this.#o.paceOf?.(entry, region, this.#accounts);
    if (paced !== undefined) return paced;
    const rate = entry.transferCallsPerSecond ?? this.#o.settings.callsPerSecond?.transfer;
    return rate === undefined ? undefined : { rate };
  }

  /** The account entry for an account-region; throws AccountNotListedError when the file does not list it. */
  entryOf(accountId: string, region: string): AccountEntry {
    if (this.#accounts === undefined) throw new AccountNotListedError(accountId, region, 'there is no accounts file');
    const entry = this.#accounts.accounts.find((a) => a.id === accountId);
    if (entry === undefined) throw new AccountNotListedError(accountId, region, `account ${accountId} is not listed`);
    if (!entry.regions.includes(region))
      throw new AccountNotListedError(accountId, region, `its regions are ${entry.regions.join(', ')}, not ${region}`);
    return entry;
  }

  /** Whether the accounts file lists that account-region. */
  lists(accountId: string, region: string): boolean {
    return this.#accounts?.accounts.some((a) => a.id === accountId && a.regions.includes(region)) ?? false;
  }

  /** A newer accounts file (the cache reread it): entries whose role, external id or rate changed get new clients and credentials. */
  setAccounts(accounts: AccountsFile | undefined): void {
    this.#accounts = accounts;
  }

  /** Which account-region a client made here is bound to (for checks); undefined for the hub's and foreign clients. */
  bindingOf(client: object): Binding | undefined {
    return this.#bound.get(client);
  }

  /** The role this instance assumes in the account of `entry` (its access: read or write). */
  roleOf(entry: AccountEntry): string {
    return roleFor(entry, this.#o.access);
  }

  /** AssumeRole calls made for an account so far by this instance (all its roles). */
  assumeCount(accountId: string): number {
    let n = 0;
    for (const [key, c] of this.#credentials) if (key.startsWith(`${accountId}/`)) n += c.creds.assumed;
    return n;
  }

  /** Closes the spoke clients' connections (the hub's are the caller's). */
  destroy(): void {
    for (const s of this.#spokes.values()) destroySpoke(s);
    this.#spokes.clear();
    this.#credentials.clear();
  }

  /** Without settings.endpointUrl, the hub clients' custom endpoint if they have one (the local emulator), else AWS's. */
  #hubEndpoint(): { endpoint?: unknown } {
    if (this.#o.settings.endpointUrl !== undefined) return {};
    const hub = this.#o.hub.transfer.config as { isCustomEndpoint?: boolean; endpoint?: unknown };
    return hub.isCustomEndpoint === true && hub.endpoint !== undefined ? { endpoint: hub.endpoint } : {};
  }

  private credentialsOf(entry: AccountEntry): RoleCredentials {
    // One cache entry per (account, role): the same external id may serve both of its roles.
    const roleArn = this.roleOf(entry);
    const key = `${entry.id}/${roleArn}`;
    const idText = JSON.stringify([roleArn, entry.externalId]);
    const known = this.#credentials.get(key);
    if (known !== undefined && known.text === idText) return known.creds;
    const sts: Record<string, unknown> = { ...clientConfig(this.#o.settings), ...this.#hubEndpoint() };
    delete sts.credentials;
    const master = this.#o.masterCredentials ?? (this.#o.hub.ssm.config.credentials as AwsCredentialIdentityProvider);
    const creds = roleCredentials({
      accountId: entry.id,
      roleArn,
      externalId: entry.externalId,
      sessionName: this.#o.sessionName,
      stsConfig: sts,
      masterCredentials: master,
    });
    this.#credentials.set(key, { text: idText, creds });
    return creds;
  }
}

function destroySpoke(s: Spoke): void {
  s.clients.transfer.destroy();
  s.clients.ec2.destroy();
}

interface StackClient {
  middlewareStack: {
    add: (
      mw: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
      o: { step: 'initialize'; name: string },
    ) => void;
  };
}

/** Credentials refused as expired (revoked early, clock skew) are dropped, so the next request assumes the role again. */
function invalidateOnExpiry(client: object, creds: RoleCredentials): void {
  (client as unknown as StackClient).middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        if (EXPIRED_TOKEN_CODES.has((err as { name?: string }).name ?? '')) creds.invalidate();
        throw err;
      }
    },
    { step: 'initialize', name: 'transferReconcilerExpiredCredentials' },
  );
}
