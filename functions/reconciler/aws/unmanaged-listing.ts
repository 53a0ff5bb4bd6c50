// THE listing of servers without a document, for the enumerator (functions/handlers/lib/
// unmanaged-servers.ts) and `status --all` (functions/cli/unmanaged-servers.ts): ListServers
// (paginated) in each place — the hub's own ({}), or an account-region through the client the
// caller gives (a read role; it may throw, e.g. AccountNotListed) — at most `concurrency` places at
// a time, the ids that have no document there (sorted), or the place's error as the one classifier
// (error-outcome.ts) names it. Nothing throws; only reads.
import type { TransferClient } from '@aws-sdk/client-transfer';
import { mapLimit } from '../concurrency.ts';
import { classifyError } from '../error-outcome.ts';
import { listServerIds } from './transfer-api.ts';

/** An account-region (both set), or the hub's own (neither). */
export interface ListedPlace {
  accountId?: string;
  region?: string;
}

export type PlaceListing<P extends ListedPlace> =
  { place: P; unmanaged: string[]; error?: undefined } | { place: P; error: { code: string; message: string; stsCode?: string } };

/** ListServers calls (places) in flight at once. */
export const LIST_SERVERS_IN_FLIGHT = 4;

export async function listUnmanagedIn<P extends ListedPlace>(
  places: readonly P[],
  transferOf: (place: P) => TransferClient,
  hasDocument: (place: P, serverId: string) => boolean,
  concurrency = LIST_SERVERS_IN_FLIGHT,
): Promise<PlaceListing<P>[]> {
  return mapLimit([...places], Math.max(1, concurrency), async (place): Promise<PlaceListing<P>> => {
    try {
      const ids = [...new Set(await listServerIds(transferOf(place)))].sort();
      return { place, unmanaged: ids.filter((id) => !hasDocument(place, id)) };
    } catch (err) {
      const c = classifyError(err);
      const stsCode = (err as { stsCode?: unknown } | undefined)?.stsCode;
      return { place, error: { code: c.code, message: c.message, ...(typeof stsCode === 'string' ? { stsCode } : {}) } };
    }
  });
}
