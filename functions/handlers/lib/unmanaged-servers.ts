// The enumerator's unmanaged servers: ListServers (paginated) in the hub's own account-region with
// the hub's clients, and in every account-region the accounts file lists through that account's
// read-only role (AccountClients with access 'read', one client set per account-region: a call is
// never signed for another account), at most `concurrency` account-regions at a time. Each server
// without a document there is an `unmanaged` outcome carrying its account and region (absent for
// the hub's). An account-region whose role cannot be assumed or whose ListServers fails is named
// in `errors` (its unmanaged servers are unknown this run); the others carry on. Nothing throws.
import type { TransferClient } from '@aws-sdk/client-transfer';
import { listUnmanagedIn } from '../../reconciler/aws/unmanaged-listing.ts';
import type { ListedPlace } from '../../reconciler/aws/unmanaged-listing.ts';
import type { ServerAddress } from '../../reconciler/desired/server-address.ts';
import { parameterName } from '../../reconciler/desired/server-address.ts';
import { unmanagedOutcome } from '../../reconciler/sweep.ts';
import type { Outcome } from '../../reconciler/types.ts';

export type { ListedPlace };

export interface PlaceListingError {
  accountId: string;
  region: string;
  /** `AccountRoleUnavailable` (STS refused the read role: `stsCode` says why) or the ListServers error code. */
  code: string;
  stsCode?: string;
  message: string;
}

export interface UnmanagedServers {
  unmanaged: Outcome[];
  /** The hub's own ListServers failed (as before accounts: `listServersError`). */
  hubError?: { code: string; message: string };
  /** Account-regions of the accounts file whose servers could not be listed. */
  errors: PlaceListingError[];
  /** Account-regions of the accounts file whose servers were listed. */
  listed: number;
}

export const placeKey = (p: ListedPlace): string => (p.accountId === undefined ? '' : `${p.accountId}/${p.region ?? ''}`);

export async function unmanagedServers(opts: {
  /** The hub's own Transfer client (its servers are listed first). */
  hub: TransferClient;
  /** The account-regions the accounts file lists (the hub's own excluded by the caller). */
  places: ReadonlyArray<{ accountId: string; region: string }>;
  /** Read-only Transfer client of one account-region; may throw (AccountNotListed). */
  transferIn: (place: { accountId: string; region: string }) => TransferClient;
  /** The ServerIds with a document, per placeKey ('' the hub's). */
  managed: ReadonlyMap<string, ReadonlySet<string>>;
  prefix: string;
  mode: Outcome['mode'];
  concurrency?: number;
}): Promise<UnmanagedServers> {
  const tasks: ListedPlace[] = [{}, ...opts.places];
  const listed = await listUnmanagedIn(
    tasks,
    (place) => (place.accountId === undefined ? opts.hub : opts.transferIn({ accountId: place.accountId, region: place.region ?? '' })),
    (place, id) => opts.managed.get(placeKey(place))?.has(id) === true,
    opts.concurrency,
  );
  const out: UnmanagedServers = { unmanaged: [], errors: [], listed: 0 };
  for (const r of listed) {
    const { place } = r;
    if (r.error !== undefined) {
      if (place.accountId === undefined) out.hubError = { code: r.error.code, message: r.error.message };
      else out.errors.push({ accountId: place.accountId, region: place.region ?? '', ...r.error });
      continue;
    }
    if (place.accountId !== undefined) out.listed += 1;
    for (const id of r.unmanaged) {
      const address: ServerAddress =
        place.accountId === undefined ? { serverId: id } : { accountId: place.accountId, region: place.region ?? '', serverId: id };
      const o = unmanagedOutcome(
        id,
        parameterName(opts.prefix, address),
        'schedule',
        opts.mode,
        'the server has no desired-state document; it is left as it is',
      );
      const { serverId, ...rest } = o;
      out.unmanaged.push(place.accountId === undefined ? o : { serverId, accountId: place.accountId, region: place.region ?? '', ...rest });
    }
  }
  return out;
}
