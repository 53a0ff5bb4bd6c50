// `status`: the managed servers of every account-region by result, one row each (the hub's first)
// and a total — the org-wide view of a `reconcile --mode detect`. A drift the document's policy
// would block counts as BLOCKED; not-found, unmanaged and failed servers as FAILED. With --all,
// the servers ListServers returns that have no document count as UNMANAGED (a column only then).
import type { Outcome } from '../../reconciler/types.ts';
import type { PlaceInfo } from './places.ts';
import { groupByPlace } from './places.ts';
import { planStatus } from './plan-summary.ts';
import { table } from './summary-table.ts';

export interface StatusCounts {
  servers: number;
  inSync: number;
  drift: number;
  blocked: number;
  invalid: number;
  failed: number;
  /** Servers without a document (status --all only; absent when not counted). */
  unmanaged?: number;
}

export interface StatusRow extends StatusCounts {
  /** `hub` or `<AccountId>/<Region>`. */
  place: string;
  accountId?: string;
  region?: string;
  label: string;
  /** The accounts file's name of the account. */
  name?: string;
}

export type StatusColumn = 'inSync' | 'drift' | 'blocked' | 'invalid' | 'failed';

export function statusColumn(o: Outcome): StatusColumn {
  const s = planStatus(o);
  if (s === 'in-sync') return 'inSync';
  if (s === 'change') return 'drift';
  if (s === 'blocked' || s === 'invalid') return s;
  return 'failed';
}

/** `unmanaged`: how many servers have no document, when counted (SERVERS then includes them). */
export function statusCounts(outcomes: readonly Outcome[], unmanaged?: number): StatusCounts {
  const c: StatusCounts = { servers: outcomes.length + (unmanaged ?? 0), inSync: 0, drift: 0, blocked: 0, invalid: 0, failed: 0 };
  for (const o of outcomes) c[statusColumn(o)] += 1;
  return unmanaged === undefined ? c : { ...c, unmanaged };
}

/** `unmanaged`: the servers without a document (status --all), each counted in its account-region; undefined: not counted. */
export function statusRows(
  outcomes: Outcome[],
  places: PlaceInfo,
  unmanaged?: readonly { accountId?: string; region?: string }[],
): StatusRow[] {
  const entries = [
    ...outcomes.map((o) => ({ ...where(o), outcome: o as Outcome | undefined })),
    ...(unmanaged ?? []).map((u) => ({ ...where(u), outcome: undefined })),
  ];
  return groupByPlace(entries, places).map((g) => {
    const name = g.accountId === undefined ? undefined : places.names.get(g.accountId);
    const own = g.outcomes.flatMap((e) => (e.outcome ? [e.outcome] : []));
    const counts = statusCounts(own, unmanaged === undefined ? undefined : g.outcomes.length - own.length);
    return { place: g.key, ...where(g), label: g.label, ...(name ? { name } : {}), ...counts };
  });
}

function where(p: { accountId?: string; region?: string }): { accountId?: string; region?: string } {
  return p.accountId === undefined ? {} : { accountId: p.accountId, region: p.region ?? '' };
}

const numbers = (c: StatusCounts): string[] =>
  [c.servers, c.inSync, c.drift, c.blocked, c.invalid, c.failed, ...(c.unmanaged === undefined ? [] : [c.unmanaged])].map(String);

/** The table: ACCOUNT/REGION (the hub's as "this account (…)"), NAME, then the counts (UNMANAGED when counted), and TOTAL. */
export function statusTable(rows: StatusRow[], totals: StatusCounts): string[] {
  const body = rows.map((r) => [r.accountId === undefined ? r.label : r.place, r.name ?? '', ...numbers(r)]);
  const header = [
    'ACCOUNT/REGION',
    'NAME',
    'SERVERS',
    'IN-SYNC',
    'DRIFT',
    'BLOCKED',
    'INVALID',
    'FAILED',
    ...(totals.unmanaged === undefined ? [] : ['UNMANAGED']),
  ];
  return table(header, [...body, ['TOTAL', '', ...numbers(totals)]]);
}

/** `Status: 7 servers in 4 account-regions: 5 in sync, 1 drift, 0 blocked, 0 invalid, 1 failed[, 0 unmanaged].` */
export function statusSummaryLine(rows: StatusRow[], t: StatusCounts): string {
  const where = `${t.servers} server${t.servers === 1 ? '' : 's'} in ${rows.length} account-region${rows.length === 1 ? '' : 's'}`;
  const unmanaged = t.unmanaged === undefined ? '' : `, ${t.unmanaged} unmanaged`;
  return `Status: ${where}: ${t.inSync} in sync, ${t.drift} drift, ${t.blocked} blocked, ${t.invalid} invalid, ${t.failed} failed${unmanaged}.`;
}
