// plan(desired, observed): the pure heart of the reconciler. No I/O: the caller observes, plans,
// then applies (or, in detect mode, only reports — the plan is computed the same either way).
import type { DesiredServer, ObservedServer, Plan } from '../types.ts';
import { blockedIssues, planWarnings } from './blocked.ts';
import { diff } from './diff.ts';
import { effectiveIssues } from './effective-rules.ts';
import { failedState, failedStateWarning } from './run-state.ts';
import { buildSteps } from './steps.ts';
import { targetOf } from './target.ts';
import { customHostnameIssues } from './custom-hostname.ts';
import { securityGroupIssues } from './security-groups.ts';
import { planHostKeys } from './host-keys.ts';

export function plan(desired: DesiredServer, observed: ObservedServer): Plan {
  const target = targetOf(desired.document, observed);
  const hostKeys = planHostKeys(desired, observed);
  const changes = [...diff(desired, observed, target), ...(hostKeys?.changes ?? [])];
  const invalid = [
    ...effectiveIssues(desired, observed, target),
    ...securityGroupIssues(desired, observed, target),
    ...customHostnameIssues(desired, observed),
    ...(hostKeys?.invalid ?? []),
  ];
  const blocked = [...blockedIssues(desired, observed, changes), ...(hostKeys?.blocked ?? [])];
  const warnings = planWarnings(desired, observed, target);
  const stateFailed = failedState(desired, observed);
  const warning = stateFailed === undefined ? failedStateWarning(observed.State) : undefined;
  if (warning !== undefined) warnings.push(warning);
  // Invalid, blocked or a failed transition: zero writes for this server, tags and State included.
  const steps =
    invalid.length > 0 || blocked.length > 0 || stateFailed !== undefined
      ? []
      : buildSteps(desired, observed, changes, target, hostKeys?.steps);
  // Said before it happens: only when the plan will write (detect mode computes the same steps).
  if (steps.length > 0) warnings.push(...(hostKeys?.notices ?? []));
  return {
    serverId: desired.serverId,
    changes,
    steps,
    blocked,
    invalid,
    warnings,
    offline: steps.some((s) => s.kind === 'stop'),
    ...(stateFailed ? { failedState: stateFailed } : {}),
    ...(hostKeys ? { hostKeys: hostKeys.active } : {}),
  };
}

/** Nothing differs and nothing is wrong: the server is in sync. */
export function planIsEmpty(p: Plan): boolean {
  return p.changes.length === 0 && p.steps.length === 0 && p.blocked.length === 0 && p.invalid.length === 0;
}
