// Which servers a command works on: `--server ID...` or `--all` (plan, reconcile, export), and
// the `--account` filter (validate, plan, push, reconcile, export; docs/accounts.md).
import { isAccountId, isRegion } from '../reconciler/desired/aws-region.ts';
import type { ServerAddress } from '../reconciler/desired/server-address.ts';
import { addressKey, parseAddressKey } from '../reconciler/desired/server-address.ts';
import type { Selection } from '../reconciler/reconcile-many.ts';
import { UsageError } from './options.ts';

export const ACCOUNT_OPTION = { account: { type: 'string', multiple: true } } as const;

export const ACCOUNT_HELP = `  --account A         only the documents of A (repeatable): "hub" (documents named <ServerId>, the
                      deployment's own account and region), an account id, or <AccountId>/<Region>`;

/** Where plan --all, reconcile and status find the accounts file (the roles to assume), as push stores it. */
export const ACCOUNTS_PARAMETER_OPTION = { 'accounts-parameter': { type: 'string' } } as const;

export const ACCOUNTS_PARAMETER_HELP = `  --accounts-parameter NAME  the accounts file in SSM, read when a document of another account is
                      selected (default /transfer-reconciler/accounts; env TRANSFER_RECONCILER_ACCOUNTS_PARAMETER)`;

function checkIds(ids: string[]): void {
  for (const id of ids) {
    const parsed = parseAddressKey(id);
    if (!parsed.ok)
      throw new UsageError(
        `--server "${id}" is not a server ID (s- and 17 hex digits, or <AccountId>/<Region>/<ServerId>): ${parsed.message}`,
      );
  }
}

export function selectionFrom(values: { server?: string[]; all?: boolean }): Selection {
  const servers = values.server ?? [];
  if (values.all && servers.length > 0) throw new UsageError('give either --server ID... or --all, not both');
  if (values.all) return { all: true };
  if (servers.length === 0) throw new UsageError('give --server ID (repeatable) or --all');
  checkIds(servers);
  return { serverIds: servers };
}

/** An optional filter (`plan --dir D --server ID`): undefined means every server. Keys: addressKey. */
export function serverIdsFrom(values: { server?: string[] }): Set<string> | undefined {
  const servers = values.server ?? [];
  if (servers.length === 0) return undefined;
  checkIds(servers);
  return new Set(servers);
}

/** One `--account` value: the hub, an account (every region), or an account in one region. */
export type AccountFilter = { hub: true } | { accountId: string; region?: string };

export function accountFiltersFrom(values: { account?: string[] }): AccountFilter[] | undefined {
  const given = values.account ?? [];
  if (given.length === 0) return undefined;
  return given.map((text): AccountFilter => {
    if (text === 'hub') return { hub: true };
    const [accountId = '', region, ...rest] = text.split('/');
    if (!isAccountId(accountId) || rest.length > 0 || (region !== undefined && !isRegion(region)))
      throw new UsageError(
        `--account "${text}" must be "hub", a 12-digit account id, or <AccountId>/<Region> (like 111111111111/eu-west-1)`,
      );
    return region === undefined ? { accountId } : { accountId, region };
  });
}

export function matchesAccount(filters: AccountFilter[] | undefined, address: ServerAddress): boolean {
  if (filters === undefined) return true;
  return filters.some((f) =>
    'hub' in f
      ? address.accountId === undefined
      : f.accountId === address.accountId && (f.region === undefined || f.region === address.region),
  );
}

/** Both filters together: `--server` (ServerId or key) and `--account`. */
export function selects(only: Set<string> | undefined, accounts: AccountFilter[] | undefined, address: ServerAddress): boolean {
  return (only === undefined || only.has(addressKey(address)) || only.has(address.serverId)) && matchesAccount(accounts, address);
}
