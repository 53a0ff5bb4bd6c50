import type { Selection } from '../reconciler/reconcile-many.ts';
import { UsageError } from './options.ts';

const SERVER_ID = /^s-[0-9a-f]{17}$/;

function checkIds(ids: string[]): void {
  for (const id of ids) {
    if (!SERVER_ID.test(id)) throw new UsageError(`--server "${id}" is not a server ID (s- and 17 hex digits)`);
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

/** An optional filter (`plan --dir D --server ID`): undefined means every server. */
export function serverIdsFrom(values: { server?: string[] }): Set<string> | undefined {
  const servers = values.server ?? [];
  if (servers.length === 0) return undefined;
  checkIds(servers);
  return new Set(servers);
}
