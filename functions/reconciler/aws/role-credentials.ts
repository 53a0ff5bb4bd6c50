// One account's credentials: its role assumed with STS (fromTemporaryCredentials: RoleArn,
// ExternalId, RoleSessionName), cached for every client of that account (all its regions, Transfer
// and EC2) and assumed again only when the cached credentials are near expiry or were refused as
// expired. The provider is marked memoized, so the SDK clients call it on every request instead of
// keeping copies of their own: this cache is the only one, and AssumeRole runs once per account
// per process while the credentials last. A refusal becomes AccountRoleUnavailableError (the
// account, the role and STS's code; never the external id), remembered for a short while so that
// a batch of one broken account's servers asks STS once, not once per server.
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { classifyError } from '../error-outcome.ts';
import { AccountRoleUnavailableError } from '../errors.ts';

/** Assume again this long before the credentials expire (the SDK's own refresh window). */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;
/** How long a refusal is remembered before STS is asked again. */
export const FAILURE_TTL_MS = 30_000;

export interface RoleCredentialsOptions {
  accountId: string;
  roleArn: string;
  externalId: string;
  sessionName: string;
  /** The STS client's configuration (endpoint, region, retries). */
  stsConfig: Record<string, unknown>;
  masterCredentials?: AwsCredentialIdentityProvider;
  now?: () => number;
}

export interface RoleCredentials {
  /** For the clients' `credentials`: memoized, so the SDK keeps no copy of its own. */
  provider: AwsCredentialIdentityProvider & { memoized: true };
  /** The credentials were refused (ExpiredToken): the next request assumes the role again. */
  invalidate(): void;
  /** AssumeRole calls made (successful or not). */
  readonly assumed: number;
}

/** Expired-credential answers of the services (STS, Transfer's JSON protocol). */
export const EXPIRED_TOKEN_CODES: ReadonlySet<string> = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);

export function roleCredentials(o: RoleCredentialsOptions): RoleCredentials {
  const now = o.now ?? Date.now;
  const assume = fromTemporaryCredentials({
    params: { RoleArn: o.roleArn, ExternalId: o.externalId, RoleSessionName: o.sessionName },
    clientConfig: o.stsConfig,
    ...(o.masterCredentials ? { masterCredentials: o.masterCredentials } : {}),
  });
  let cached: AwsCredentialIdentity | undefined;
  let failed: { error: AccountRoleUnavailableError; at: number } | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  let assumed = 0;
  const fresh = (c: AwsCredentialIdentity | undefined): c is AwsCredentialIdentity =>
    c !== undefined && (c.expiration === undefined || c.expiration.getTime() - now() > REFRESH_BEFORE_EXPIRY_MS);
  const refresh = async (): Promise<AwsCredentialIdentity> => {
    assumed += 1;
    try {
      const c = await assume();
      cached = c;
      failed = undefined;
      return c;
    } catch (err) {
      const error = unavailable(o, err);
      failed = { error, at: now() };
      throw error;
    }
  };
  const provider = Object.assign(
    async (): Promise<AwsCredentialIdentity> => {
      if (fresh(cached)) return cached;
      if (failed !== undefined && now() - failed.at < FAILURE_TTL_MS) throw failed.error;
      pending ??= refresh().finally(() => (pending = undefined));
      return pending;
    },
    { memoized: true as const },
  );
  return {
    provider,
    invalidate: () => {
      cached = undefined;
    },
    get assumed() {
      return assumed;
    },
  };
}

function unavailable(o: RoleCredentialsOptions, err: unknown): AccountRoleUnavailableError {
  const c = classifyError(err);
  // STS's messages name the caller and the role, not the external id; scrub it anyway.
  const detail = c.message.split(o.externalId).join('(external id)').slice(0, 300);
  const retryable = c.kind === 'throttled' || (c.kind === 'transient' && c.code !== 'CredentialsProviderError');
  return new AccountRoleUnavailableError(o.accountId, o.roleArn, c.code, detail, { cause: err, retryable });
}
