// Where each outcome's server is — the hub (the CLI's own account and region) or
// <AccountId>/<Region> — and how the output of a run across the organisation is grouped: the hub
// first, then the other account-regions in key order, each labelled with the accounts file's
// `name` when it has one. Output of a run with no other account's document is not grouped at all.
import type { Outcome } from '../../reconciler/types.ts';

export interface PlaceInfo {
  /** The hub's account and region, when known (GetCallerIdentity, the clients' region). */
  hub?: { accountId?: string; region?: string };
  /** Account id → the accounts file's `name`. */
  names: ReadonlyMap<string, string>;
}

export interface PlaceGroup<T> {
  /** `hub` or `<AccountId>/<Region>`. */
  key: string;
  accountId?: string;
  region?: string;
  label: string;
  outcomes: T[];
}

export const HUB_KEY = 'hub';

export function placeKey(o: { accountId?: string; region?: string }): string {
  return o.accountId === undefined ? HUB_KEY : `${o.accountId}/${o.region ?? ''}`;
}

/** `this account (000000000000/us-east-1)` (or `hub`), `111111111111/eu-west-1 (payments-prod)`. */
export function placeLabel(place: { accountId?: string; region?: string }, info: PlaceInfo): string {
  if (place.accountId === undefined) {
    const { accountId, region } = info.hub ?? {};
    if (accountId === undefined) return region === undefined ? HUB_KEY : `this account (${region})`;
    return `this account (${accountId}${region === undefined ? '' : `/${region}`})`;
  }
  const name = info.names.get(place.accountId);
  return name === undefined ? placeKey(place) : `${placeKey(place)} (${name})`;
}

/** The server's key where places are mixed: `111111111111/eu-west-1/s-…`, or the ServerId for the hub. */
export function serverKey(o: Outcome): string {
  return o.accountId === undefined ? o.serverId : `${placeKey(o)}/${o.serverId}`;
}

/** Whether any outcome is of another account: only then is output grouped. */
export function isOrgWide(outcomes: readonly { accountId?: string }[]): boolean {
  return outcomes.some((o) => o.accountId !== undefined);
}

export function groupByPlace<T extends { accountId?: string; region?: string }>(outcomes: readonly T[], info: PlaceInfo): PlaceGroup<T>[] {
  const groups = new Map<string, PlaceGroup<T>>();
  for (const o of outcomes) {
    const key = placeKey(o);
    let g = groups.get(key);
    if (g === undefined) {
      const where = o.accountId === undefined ? {} : { accountId: o.accountId, region: o.region ?? '' };
      g = { key, ...where, label: placeLabel(o, info), outcomes: [] };
      groups.set(key, g);
    }
    g.outcomes.push(o);
  }
  return [...groups.values()].sort((a, b) => (a.key === HUB_KEY ? -1 : b.key === HUB_KEY ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export const NO_PLACES: PlaceInfo = { names: new Map() };
