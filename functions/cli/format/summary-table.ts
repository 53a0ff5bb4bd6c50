// The table `reconcile` prints at the end: one row per server, columns padded to fit.
import type { Outcome } from '../../reconciler/types.ts';

export function totalCalls(o: Outcome): number {
  return Object.values(o.calls).reduce((a, b) => a + b, 0);
}

export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const right = (i: number): boolean => i >= 2;
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (right(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function summaryTable(outcomes: Outcome[]): string[] {
  const rows = outcomes.map((o) => [o.serverId, o.result, String(o.changes.length), String(totalCalls(o)), String(o.durationMs)]);
  return table(['SERVER', 'RESULT', 'CHANGES', 'CALLS', 'MS'], rows);
}
