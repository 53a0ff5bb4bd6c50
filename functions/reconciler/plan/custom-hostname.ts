// A custom hostname is two tags on the server (aws-behaviour.md, "Transfer: custom hostnames"):
// `transfer:customHostname` and `transfer:route53HostedZoneId`. Servers set up earlier, or in the
// console, carry `aws:transfer:…` versions, which callers cannot write or remove (aws: keys are
// AWS's). Both forms are read; the `transfer:` one wins when both are there; a value is written
// (always in the `transfer:` form) only when it differs. These tags stay out of Tags and PruneTags.
import type { Change, DesiredServer, Issue, ObservedServer, Step, Tag } from '../types.ts';

export const HOSTNAME_TAGS = { Hostname: 'transfer:customHostname', Route53HostedZoneId: 'transfer:route53HostedZoneId' } as const;
type Member = keyof typeof HOSTNAME_TAGS;
const MEMBERS: readonly Member[] = ['Hostname', 'Route53HostedZoneId'];

const tagValue = (observed: ObservedServer, key: string): string | undefined => observed.Tags.find((t) => t.Key === key)?.Value;

/** What the server's tags say, member by member, and whether a value sits only in the older aws: form. */
export function observedHostname(observed: ObservedServer): Partial<Record<Member, { value: string; legacyOnly: boolean }>> {
  const out: Partial<Record<Member, { value: string; legacyOnly: boolean }>> = {};
  for (const member of MEMBERS) {
    const current = tagValue(observed, HOSTNAME_TAGS[member]);
    const legacy = tagValue(observed, `aws:${HOSTNAME_TAGS[member]}`);
    if (current !== undefined) out[member] = { value: current, legacyOnly: false };
    else if (legacy !== undefined) out[member] = { value: legacy, legacyOnly: true };
  }
  return out;
}

function wanted(desired: DesiredServer): Partial<Record<Member, string>> | undefined {
  const doc = desired.document.CustomHostname;
  if (doc === undefined) return undefined;
  if (doc === '') return {};
  return { Hostname: doc.Hostname, ...(doc.Route53HostedZoneId !== undefined ? { Route53HostedZoneId: doc.Route53HostedZoneId } : {}) };
}

export function customHostnameChanges(desired: DesiredServer, observed: ObservedServer): Change[] {
  const want = wanted(desired);
  if (want === undefined) return [];
  const removing = desired.document.CustomHostname === '';
  const have = observedHostname(observed);
  const changes: Change[] = [];
  for (const member of MEMBERS) {
    const to = want[member];
    const from = have[member]?.value;
    // The zone is managed only when the document names it (or removes the hostname altogether).
    if (to === undefined && !removing) continue;
    if (to !== from) changes.push({ path: `CustomHostname.${member}`, from, to });
  }
  return changes;
}

export function customHostnameIssues(desired: DesiredServer, observed: ObservedServer): Issue[] {
  if (desired.document.CustomHostname !== '') return [];
  const legacy = MEMBERS.filter((m) => observedHostname(observed)[m]?.legacyOnly === true);
  if (legacy.length === 0) return [];
  return [
    {
      path: '$.CustomHostname',
      message: `the server's custom hostname is held in the older ${legacy.map((m) => `aws:${HOSTNAME_TAGS[m]}`).join(' and ')} tag(s), which only AWS can remove (aws: tag keys are reserved). Remove the custom hostname in the Transfer Family console, or leave CustomHostname out of the document.`,
    },
  ];
}

export function customHostnameSteps(observed: ObservedServer, changes: Change[]): Step[] {
  const mine = changes.filter((c) => c.path.startsWith('CustomHostname.'));
  const tags: Tag[] = mine
    .filter((c) => c.to !== undefined)
    .map((c) => ({ Key: HOSTNAME_TAGS[c.path.slice(15) as Member], Value: c.to as string }));
  const keys = mine
    .filter((c) => c.to === undefined)
    .map((c) => HOSTNAME_TAGS[c.path.slice(15) as Member])
    .filter((key) => tagValue(observed, key) !== undefined);
  const steps: Step[] = [];
  if (tags.length > 0) steps.push({ kind: 'tag', tags });
  if (keys.length > 0) steps.push({ kind: 'untag', keys });
  return steps;
}
