// Changes the document's policy does not allow (desired-state.md, "Reconciler"), and the warnings
// about what the plan cannot verify. Blocked means zero writes for the server, tags included.
import type { Change, DesiredServer, Issue, ObservedServer } from '../types.ts';
import { securityGroupWarnings } from './security-groups.ts';
import type { Target } from './target.ts';

function show(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

function offlineMessage(change: Change, observed: ObservedServer): string {
  const what = `${change.path} would change from ${show(change.from)} to ${show(change.to)}`;
  const allow =
    'To let the reconciler stop the server for it, set "Reconciler": {"AllowOfflineChanges": true} in the document; nothing is written to this server until then.';
  if (change.requires === 'restart') {
    return `${what}. A new PassiveIp takes effect only after the server is stopped and started again. ${allow}`;
  }
  if (change.path === 'EndpointDetails.SubnetIds') {
    return `${what}. Elastic IPs are attached (${show(observed.EndpointDetails.AddressAllocationIds)}): AWS requires them detached before SubnetIds change and re-attached after, which it accepts only while the server is OFFLINE. ${allow}`;
  }
  return `${what}. AWS accepts this change only while the server is OFFLINE, so the server would have to be stopped. ${allow}`;
}

export function blockedIssues(desired: DesiredServer, observed: ObservedServer, changes: Change[]): Issue[] {
  const issues: Issue[] = [];
  if (!desired.policy.AllowOfflineChanges) {
    for (const change of changes) {
      if (change.requires !== undefined) issues.push({ path: `$.${change.path}`, message: offlineMessage(change, observed) });
    }
  }
  const hostKey = changes.find((c) => c.path === 'HostKey');
  // A server with no host key fingerprint gets its first key without permission.
  if (hostKey !== undefined && observed.HostKeyFingerprint !== undefined && !desired.policy.AllowHostKeyRotation) {
    issues.push({
      path: '$.HostKey',
      message: `The server's host key (${show(hostKey.from)}) differs from the desired key (${show(hostKey.to)}). Replacing it changes the identity clients have pinned. If the rotation is intended, set "Reconciler": {"AllowHostKeyRotation": true}; otherwise point HostKey at the key the server has.`,
    });
  }
  return issues;
}

export function planWarnings(desired: DesiredServer, observed: ObservedServer, target: Target): string[] {
  return securityGroupWarnings(desired, observed, target);
}
