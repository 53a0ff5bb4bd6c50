// plan(desired, observed): the pure heart of the reconciler. No I/O: the caller observes, plans,
// then applies (or, in detect mode, only reports — the plan is computed the same either way).
import type { DesiredServer, ObservedServer, Plan } from '../types.ts';
import { blockedIssues, planWarnings } from './blocked.ts';
import { diff } from './diff.ts';
import { effectiveIssues } from './effective-rules.ts';
import { failedState, failedStateWarning } from './run-state.ts';
import { buildSteps } from './steps.ts';
import { targetOf } from './target.ts';

export function plan(desired: DesiredServer, observed: ObservedServer): Plan {
  const target = targetOf(desired.document, observed);
  const changes = diff(desired, observed, target);
  const invalid = effectiveIssues(desired, observed, target);
  const blocked = blockedIssues(desired, observed, changes);
  const warnings = planWarnings(desired, observed, target);
  const stateFailed = failedState(desired, observed);
  const warning = stateFailed === undefined ? failedStateWarning(observed.State) : undefined;
  if (warning !== undefined) warnings.push(warning);
  // Invalid, blocked or a failed transition: zero writes for this server, tags and State included.
  const steps = invalid.length > 0 || blocked.length > 0 || stateFailed !== undefined ? [] : buildSteps(desired, observed, changes, target);
  return {
    serverId: desired.serverId,
    changes,
    steps,
    blocked,
    invalid,
    warnings,
    offline: steps.some((s) => s.kind === 'stop'),
    ...(stateFailed ? { failedState: stateFailed } : {}),
  };
}

/** Nothing differs and nothing is wrong: the server is in sync. */
export function planIsEmpty(p: Plan): boolean {
  return p.changes.length === 0 && p.steps.length === 0 && p.blocked.length === 0 && p.invalid.length === 0;
}
