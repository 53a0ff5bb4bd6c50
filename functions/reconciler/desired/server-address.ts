// Where a server is: its ServerId, and for servers outside the hub (the deployment's own account
// and region) the account and region too. One address has three spellings, all parsed and printed
// here (docs/accounts.md):
//   key             <AccountId>/<Region>/<ServerId>, or <ServerId> for the hub (SQS message group, outputs)
//   parameter name  <prefix><key>
//   git path        …/<AccountId>/<Region>/<ServerId>.yaml|yml|json, or …/<ServerId>.yaml for the hub
import { accountIdProblem, isAccountId, isRegion, regionProblem } from './aws-region.ts';
import { isServerId } from './server-id.ts';

export interface ServerAddress {
  /** With `region`, or neither: absent means the hub's own account and region. */
  accountId?: string;
  region?: string;
  serverId: string;
}

export type AddressResult = { ok: true; address: ServerAddress } | { ok: false; message: string };

const SERVER_ID_RULE = 's- and 17 lowercase hex digits';

export function isHubAddress(address: ServerAddress): boolean {
  return address.accountId === undefined;
}

export function addressKey(address: ServerAddress): string {
  return address.accountId === undefined ? address.serverId : `${address.accountId}/${address.region ?? ''}/${address.serverId}`;
}

export function parameterName(prefix: string, address: ServerAddress): string {
  return `${prefix}${addressKey(address)}`;
}

/** `s-…` or `<AccountId>/<Region>/s-…`, each part checked, with a message naming the part that is wrong. */
export function parseAddressKey(key: string): AddressResult {
  const parts = key.split('/');
  const serverId = parts.at(-1) ?? '';
  if (!isServerId(serverId))
    return { ok: false, message: `${JSON.stringify(serverId.slice(0, 40))} is not a ServerId (${SERVER_ID_RULE})` };
  if (parts.length === 1) return { ok: true, address: { serverId } };
  if (parts.length === 2) {
    const [account = ''] = parts;
    return isAccountId(account)
      ? { ok: false, message: `account ${account} has no region: the name must be <AccountId>/<Region>/<ServerId>` }
      : { ok: false, message: `expected <ServerId> or <AccountId>/<Region>/<ServerId>; ${accountIdProblem(account)}` };
  }
  if (parts.length > 3) return { ok: false, message: 'expected <ServerId> or <AccountId>/<Region>/<ServerId>: too many "/" parts' };
  const [accountId = '', region = ''] = parts;
  if (!isAccountId(accountId)) return { ok: false, message: accountIdProblem(accountId) };
  if (!isRegion(region)) return { ok: false, message: regionProblem(region) };
  return { ok: true, address: { accountId, region, serverId } };
}

const DIGITS = /^\d+$/;

/**
 * undefined when the name is not a document's at all: outside the prefix, or deeper under it with
 * a first part that is no account id attempt (such names were never listed before accounts, and
 * still are not). A name starting with digits is meant as an account's and gets a precise message.
 */
export function parseParameterName(prefix: string, name: string): AddressResult | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const suffix = name.slice(prefix.length);
  const slash = suffix.indexOf('/');
  if (slash >= 0 && !DIGITS.test(suffix.slice(0, slash))) return undefined;
  const parsed = parseAddressKey(suffix);
  if (parsed.ok) return parsed;
  return {
    ok: false,
    message: `not a server document: ${parsed.message}; the name must be ${prefix}<ServerId> or ${prefix}<AccountId>/<Region>/<ServerId>`,
  };
}

/**
 * The address a file's path gives: the file name's stem is the ServerId, and the two folders just
 * above it are account and region when the upper one is an account id. A file whose folders do
 * not look like an account is a hub document, as before accounts existed; folders that look like
 * an account but are not quite right (an 11-digit account, a misspelt region, an account folder
 * with no region folder) are refused rather than silently read as the hub's.
 */
export function addressOfPath(path: string): AddressResult {
  const parts = path.split(/[\\/]+/).filter((p) => p !== '');
  const file = parts.at(-1) ?? '';
  const serverId = file.replace(/\.(?:json|ya?ml)$/i, '');
  if (!isServerId(serverId)) return { ok: false, message: `the file name must be <ServerId> (${SERVER_ID_RULE})` };
  const region = parts.at(-2);
  const account = parts.at(-3);
  if (region !== undefined && isAccountId(region))
    return {
      ok: false,
      message: `the file is in an account folder (${region}) without a region folder: move it to ${region}/<Region>/${file}, or out of ${region}/ for the hub's own account`,
    };
  if (account !== undefined && region !== undefined && isAccountId(account)) {
    if (!isRegion(region))
      return { ok: false, message: `the folder under account folder ${account} must be a region: ${regionProblem(region)}` };
    return { ok: true, address: { accountId: account, region, serverId } };
  }
  if (account !== undefined && region !== undefined && DIGITS.test(account) && isRegion(region))
    return { ok: false, message: `the folder above region folder ${region} must be an account: ${accountIdProblem(account)}` };
  return { ok: true, address: { serverId } };
}

/** `111111111111/eu-west-1` for messages, or "the hub's own account and region". */
export function placeOf(address: ServerAddress): string {
  return address.accountId === undefined
    ? "the hub's own account and region"
    : `account ${address.accountId} region ${address.region ?? ''}`;
}
