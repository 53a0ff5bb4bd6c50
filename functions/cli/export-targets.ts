// Which servers `export` reads, per place: the hub (the CLI's own account and region: plain
// `--server ID`, `--all` without `--account`, `--account hub`) and account-regions of the accounts
// file (`--server <AccountId>/<Region>/<ServerId>`, `--account ID` = every region listed for it,
// `--account ID/REGION`). Another account's servers are read through its role (AccountClients);
// its documents go to <out>/<AccountId>/<Region>/, where push and plan --dir expect them.
import { join } from 'node:path';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { AccountsFile } from '../reconciler/desired/accounts-rules.ts';
import { loadAccountsFile } from '../reconciler/desired/accounts-file.ts';
import { readAccounts } from '../reconciler/desired/accounts-ssm.ts';
import type { ServerAddress } from '../reconciler/desired/server-address.ts';
import { parseAddressKey } from '../reconciler/desired/server-address.ts';
import { UsageError } from './options.ts';
import { placeKey } from './format/places.ts';
import type { AccountFilter } from './selection.ts';
import { matchesAccount } from './selection.ts';

export interface ExportPlace {
  /** Absent for the hub. */
  accountId?: string;
  region?: string;
  /** The ServerIds given (`--server`), or undefined: every server (ListServers). */
  serverIds?: string[];
}

export function placeDir(out: string, place: ExportPlace): string {
  return place.accountId === undefined ? out : join(out, place.accountId, place.region ?? '');
}

export function placeAddress(place: ExportPlace, serverId: string): ServerAddress {
  return place.accountId === undefined ? { serverId } : { accountId: place.accountId, region: place.region ?? '', serverId };
}

/** The places of `--server` keys (filtered by `--account`), in the order given. */
function placesOfServers(servers: string[], filters: AccountFilter[] | undefined): ExportPlace[] {
  const places = new Map<string, ExportPlace>();
  for (const key of [...new Set(servers)]) {
    const parsed = parseAddressKey(key);
    if (!parsed.ok || !matchesAccount(filters, parsed.address)) continue;
    const a = parsed.address;
    const k = placeKey(a);
    const place = places.get(k) ?? {
      ...(a.accountId === undefined ? {} : { accountId: a.accountId, region: a.region ?? '' }),
      serverIds: [],
    };
    place.serverIds?.push(a.serverId);
    places.set(k, place);
  }
  return [...places.values()];
}

/** `--all`: the hub without --account; else each --account value, an account id standing for its listed regions. */
function placesOfAll(filters: AccountFilter[] | undefined, accounts: AccountsFile | undefined): ExportPlace[] {
  if (filters === undefined) return [{}];
  const places = new Map<string, ExportPlace>();
  for (const f of filters) {
    if ('hub' in f) places.set('hub', {});
    else {
      const regions = f.region !== undefined ? [f.region] : (accounts?.accounts.find((a) => a.id === f.accountId)?.regions ?? []);
      if (regions.length === 0) throw new UsageError(`--account ${f.accountId}: the accounts file does not list account ${f.accountId}`);
      for (const region of regions) places.set(`${f.accountId}/${region}`, { accountId: f.accountId, region });
    }
  }
  return [...places.values()];
}

/** The accounts file: `--accounts FILE`, or the accounts parameter push stored. */
export async function exportAccounts(file: string | undefined, ssm: SSMClient, parameter: string): Promise<AccountsFile> {
  if (file !== undefined) {
    const loaded = await loadAccountsFile(file);
    if (!loaded.ok) throw new UsageError(`${file}: ${loaded.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    return loaded.accounts;
  }
  const read = await readAccounts(ssm, parameter);
  if (read.status === 'found') return read.accounts;
  if (read.status === 'not-found')
    throw new UsageError(`the accounts parameter ${parameter} does not exist: push the accounts file first, or give --accounts FILE`);
  throw new UsageError(`the accounts parameter ${parameter} is invalid: ${read.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
}

/** Needs the accounts file only when a place is another account's (loaded lazily by `accounts`). */
export async function exportPlaces(
  selection: { all: true } | { serverIds: string[] },
  filters: AccountFilter[] | undefined,
  accounts: () => Promise<AccountsFile>,
): Promise<{ places: ExportPlace[]; accounts?: AccountsFile }> {
  const needs = 'all' in selection ? (filters ?? []).some((f) => !('hub' in f)) : selection.serverIds.some((s) => s.includes('/'));
  const file = needs ? await accounts() : undefined;
  const places = 'all' in selection ? placesOfAll(filters, file) : placesOfServers(selection.serverIds, filters);
  for (const p of places) {
    if (p.accountId === undefined) continue;
    const entry = file?.accounts.find((a) => a.id === p.accountId);
    if (entry === undefined || !entry.regions.includes(p.region ?? ''))
      throw new UsageError(
        `${p.accountId}/${p.region ?? ''} is not listed in the accounts file; add it there (id, role, externalId, regions)`,
      );
  }
  return { places, ...(file ? { accounts: file } : {}) };
}
