// `status --all`: the servers ListServers returns in an account-region that have no document there
// (unmanaged). Listed in the hub's own account-region with the hub's clients and in every
// account-region of the accounts file (filtered by --account) through its read-only role, as
// `export --all` does. A place that cannot be listed (role refused, ListServers error) is a problem
// naming it and the error code; the other places are still counted. Only reads.
import type { AccountClients } from '../reconciler/aws/account-clients.ts';
import { listUnmanagedIn } from '../reconciler/aws/unmanaged-listing.ts';
import type { AccountsFile } from '../reconciler/desired/accounts-rules.ts';
import type { ServerAddress } from '../reconciler/desired/server-address.ts';
import { parameterName } from '../reconciler/desired/server-address.ts';
import { showForeignMessage } from '../reconciler/desired/user-text.ts';
import type { Problem } from '../reconciler/reconcile-many.ts';
import type { Outcome } from '../reconciler/types.ts';
import { placeKey } from './format/places.ts';
import type { AccountFilter } from './selection.ts';
import { matchesAccount } from './selection.ts';

export interface UnmanagedServer {
  /** Absent for the hub. */
  accountId?: string;
  region?: string;
  serverId: string;
  /** The parameter its document would have. */
  parameter: string;
}

export interface UnmanagedListing {
  servers: UnmanagedServer[];
  /** One per account-region that could not be listed: `<place>: unmanaged servers not counted: <code>: <message>`. */
  problems: Problem[];
}

/** The places to list: the hub, then each listed account-region, those the --account filters keep. */
export function unmanagedPlaces(accounts: AccountsFile | undefined, filters: AccountFilter[] | undefined): ServerAddress[] {
  const all: ServerAddress[] = [
    { serverId: '' },
    ...(accounts?.accounts ?? []).flatMap((a) => a.regions.map((region) => ({ accountId: a.id, region, serverId: '' }))),
  ];
  return all.filter((p) => matchesAccount(filters, p));
}

export async function listUnmanaged(
  reach: AccountClients,
  places: ServerAddress[],
  outcomes: readonly Outcome[],
  options: { prefix: string; concurrency: number },
): Promise<UnmanagedListing> {
  const managed = new Set(outcomes.map((o) => `${placeKey(o)}/${o.serverId}`));
  const listings = await listUnmanagedIn(
    places,
    (place) => reach.for(place).transfer,
    (place, id) => managed.has(`${placeKey(place)}/${id}`),
    options.concurrency,
  );
  const listed = listings.map((l) => {
    const { place } = l;
    if (l.error !== undefined) {
      const message = showForeignMessage(l.error.message, 300);
      return { servers: [], problems: [{ name: placeKey(place), message: `unmanaged servers not counted: ${l.error.code}: ${message}` }] };
    }
    const where = place.accountId === undefined ? {} : { accountId: place.accountId, region: place.region ?? '' };
    const servers = l.unmanaged.map((serverId): UnmanagedServer => ({
      ...where,
      serverId,
      parameter: parameterName(options.prefix, { ...place, serverId }),
    }));
    return { servers, problems: [] as Problem[] };
  });
  return { servers: listed.flatMap((l) => l.servers), problems: listed.flatMap((l) => l.problems) };
}
