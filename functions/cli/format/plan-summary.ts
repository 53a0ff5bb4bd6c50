// How a plan counts its servers, shared by the text and Markdown forms so both say the same.
import type { Outcome } from '../../reconciler/types.ts';

export type PlanStatus = 'change' | 'in-sync' | 'blocked' | 'invalid' | 'error';

/** A drift-detected outcome with issues has changes that its policy blocks: nothing will be written. */
export function planStatus(o: Outcome): PlanStatus {
  switch (o.result) {
    case 'in-sync':
      return 'in-sync';
    case 'drift-detected':
      return o.issues && o.issues.length > 0 ? 'blocked' : 'change';
    case 'updated':
      return 'change';
    case 'blocked':
      return 'blocked';
    case 'invalid':
      return 'invalid';
    default:
      return 'error';
  }
}

export interface PlanCounts {
  change: number;
  inSync: number;
  blocked: number;
  invalid: number;
  error: number;
}

export function planCounts(outcomes: Outcome[], problems = 0): PlanCounts {
  const counts: PlanCounts = { change: 0, inSync: 0, blocked: 0, invalid: 0, error: problems };
  for (const o of outcomes) {
    const s = planStatus(o);
    if (s === 'change') counts.change += 1;
    else if (s === 'in-sync') counts.inSync += 1;
    else if (s === 'blocked') counts.blocked += 1;
    else if (s === 'invalid') counts.invalid += 1;
    else counts.error += 1;
  }
  return counts;
}

/** `Plan: 2 to change, 3 in sync, 1 blocked, 1 invalid.` (and the errors, when there are any). */
export function planSummaryLine(outcomes: Outcome[], problems = 0): string {
  return `Plan: ${planCountsText(outcomes, problems)}.`;
}

/** `2 to change, 3 in sync, 1 blocked, 1 invalid` (and the errors, when there are any): one group's counts. */
export function planCountsText(outcomes: Outcome[], problems = 0): string {
  const c = planCounts(outcomes, problems);
  const errors = c.error > 0 ? `, ${c.error} error${c.error === 1 ? '' : 's'}` : '';
  return `${c.change} to change, ${c.inSync} in sync, ${c.blocked} blocked, ${c.invalid} invalid${errors}`;
}
