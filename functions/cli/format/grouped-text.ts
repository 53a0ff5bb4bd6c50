// Text output of a run across accounts (format/places.ts): a header per account-region with its
// counts, then that group's lines; `plan` and `reconcile` each give the lines of one server.
import type { Outcome } from '../../reconciler/types.ts';
import type { Paint } from './colour.ts';
import type { PlaceInfo } from './places.ts';
import { groupByPlace } from './places.ts';
import { planCountsText } from './plan-summary.ts';
import { planServerLines } from './plan-text.ts';
import { summaryLine } from './outcome-text.ts';

/** `== 111111111111/eu-west-1 (payments-prod): 1 to change, 0 in sync, 0 blocked, 0 invalid` */
export function groupHeader(label: string, counts: string): string {
  return `== ${label}: ${counts}`;
}

export function groupedLines(
  outcomes: Outcome[],
  places: PlaceInfo,
  counts: (group: Outcome[]) => string,
  linesOf: (o: Outcome) => string[],
  p: Paint,
): string[] {
  const out: string[] = [];
  for (const g of groupByPlace(outcomes, places)) {
    if (out.length > 0) out.push('');
    out.push(p.bold(groupHeader(g.label, counts(g.outcomes))));
    for (const o of g.outcomes) out.push(...linesOf(o));
  }
  return out;
}

/** `plan`: the servers of each account-region under its header. */
export function groupedPlanLines(outcomes: Outcome[], places: PlaceInfo, p: Paint): string[] {
  return groupedLines(
    outcomes,
    places,
    (g) => planCountsText(g),
    (o) => planServerLines(o, p),
    p,
  );
}

/** `reconcile`: the outcome lines of each account-region under its header (`3 servers: 2 in-sync, 1 updated`). */
export function groupedOutcomeLines(outcomes: Outcome[], places: PlaceInfo, linesOf: (o: Outcome) => string[], p: Paint): string[] {
  return groupedLines(outcomes, places, (g) => summaryLine(g), linesOf, p);
}
