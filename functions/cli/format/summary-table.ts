// The table `reconcile` prints at the end: one row per server, columns padded to fit; across
// accounts, the rows are grouped by account-region (format/places.ts) under a first column.
import type { Outcome } from '../../reconciler/types.ts';
import type { PlaceInfo } from './places.ts';
import { NO_PLACES, groupByPlace, isOrgWide } from './places.ts';

export function totalCalls(o: Outcome): number {
  return Object.values(o.calls).reduce((a, b) => a + b, 0);
}

/** Columns from `rightFrom` on are numbers, aligned right. */
export function table(header: string[], rows: string[][], rightFrom = 2): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i >= rightFrom ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

const cells = (o: Outcome): string[] => [o.serverId, o.result, String(o.changes.length), String(totalCalls(o)), String(o.durationMs)];

export function summaryTable(outcomes: Outcome[], places: PlaceInfo = NO_PLACES): string[] {
  if (!isOrgWide(outcomes)) return table(['SERVER', 'RESULT', 'CHANGES', 'CALLS', 'MS'], outcomes.map(cells));
  const rows = groupByPlace(outcomes, places).flatMap((g) => g.outcomes.map((o) => [g.key, ...cells(o)]));
  return table(['ACCOUNT/REGION', 'SERVER', 'RESULT', 'CHANGES', 'CALLS', 'MS'], rows, 3);
}
