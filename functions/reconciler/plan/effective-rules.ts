// Effective validation: the document merged with the observed server. The seed's cross-field
// rules come from the one table (seed-rule-table.ts); the checks here are the ones only the merged
// server can decide (a type change and what it needs, an immutable VpcId or Domain, a host key
// that was not read). A rule is reported only when the document manages one of the fields it
// involves: a rule that only the observed server breaks is the server's own state, which AWS
// accepted, and not something this document can be blamed for.
import type { DesiredDocument, DesiredServer, Issue, ObservedServer } from '../types.ts';
import { IDENTITY_REQUIRED_MEMBERS } from './fields.ts';
import { SEED_RULES, settingsOf } from './seed-rule-table.ts';
import type { Settings } from './seed-rule-table.ts';
import type { Target } from './target.ts';
import { definedMembers } from './values.ts';

/** An issue with the id of the seed rule it comes from. */
export type SeedRuleIssue = Issue & { rule: string };

function manages(doc: DesiredDocument, path: string): boolean {
  const [field, member] = path.split('.') as [keyof DesiredDocument, string | undefined];
  const value = doc[field];
  if (value === undefined) return false;
  return member === undefined || (value as Record<string, unknown>)[member] !== undefined;
}

/** The first of `paths` the document manages, as a JSON path; undefined when it manages none. */
function blame(doc: DesiredDocument, paths: readonly string[]): string | undefined {
  const path = paths.find((p) => manages(doc, p));
  return path === undefined ? undefined : `$.${path}`;
}

function rule(issues: Issue[], doc: DesiredDocument, paths: readonly string[], broken: boolean, message: string): void {
  if (!broken) return;
  const path = blame(doc, paths);
  if (path !== undefined) issues.push({ path, message });
}

function typeChangeRules(doc: DesiredDocument, observed: ObservedServer, target: Target, issues: Issue[]): void {
  if (target.identityTypeChanged) {
    for (const member of IDENTITY_REQUIRED_MEMBERS[target.identityType]) {
      if (target.identityProviderDetails[member] !== undefined) continue;
      issues.push({
        path: `$.IdentityProviderDetails.${member}`,
        message: `IdentityProviderType ${target.identityType} needs IdentityProviderDetails.${member}; the members of the server's current type (${observed.IdentityProviderType}) do not carry over. Add IdentityProviderDetails.${member} to the document.`,
      });
    }
  }
  // Only reached when the document changes EndpointType; the path names the member to add.
  if (target.endpointTypeChanged && target.endpointType === 'VPC') {
    if ((target.endpointDetails.SubnetIds ?? []).length === 0) {
      issues.push({
        path: '$.EndpointDetails.SubnetIds',
        message: 'EndpointType VPC needs EndpointDetails.SubnetIds (the subnets that host the endpoint). Add them to the document.',
      });
    }
    if (target.endpointDetails.VpcId === undefined) {
      issues.push({ path: '$.EndpointDetails.VpcId', message: 'EndpointType VPC needs EndpointDetails.VpcId. Add it to the document.' });
    }
  }
  if (target.endpointTypeChanged && target.endpointType === 'VPC_ENDPOINT' && target.endpointDetails.VpcEndpointId === undefined) {
    issues.push({
      path: '$.EndpointDetails.VpcEndpointId',
      message:
        'EndpointType VPC_ENDPOINT needs EndpointDetails.VpcEndpointId. Add it, or use EndpointType VPC (VPC_ENDPOINT is deprecated).',
    });
  }
  const observedVpc = observed.EndpointDetails.VpcId;
  const desiredVpc = doc.EndpointDetails?.VpcId;
  rule(
    issues,
    doc,
    ['EndpointDetails.VpcId'],
    observed.EndpointType === 'VPC' &&
      target.endpointType === 'VPC' &&
      observedVpc !== undefined &&
      desiredVpc !== undefined &&
      desiredVpc !== observedVpc,
    `AWS does not support changing the VpcId of a VPC server (it has ${observedVpc}). Keep EndpointDetails.VpcId as it is, or create a new server in the other VPC.`,
  );
}

/** The Domain is fixed at creation: not a field of the document, so only the merged server can break this. */
function domainRule(doc: DesiredDocument, observed: ObservedServer, target: Target, issues: Issue[]): void {
  rule(
    issues,
    doc,
    ['Protocols'],
    target.protocols.includes('AS2') && observed.Domain !== 'S3',
    `Protocols includes AS2, which needs an S3 domain; this server's Domain is ${observed.Domain} and cannot change. Remove AS2.`,
  );
}

/**
 * The seed's cross-field rules over the merged target: the document's own members where it has
 * them (a member of the wrong type is the document's), the target's elsewhere.
 */
function targetSettings(doc: DesiredDocument, target: Target): Settings {
  return settingsOf({
    Protocols: target.protocols,
    Certificate: target.certificate,
    EndpointType: target.endpointType,
    IpAddressType: target.ipAddressType,
    IdentityProviderType: target.identityType,
    EndpointDetails: { ...target.endpointDetails, ...definedMembers(doc.EndpointDetails ?? {}) },
    IdentityProviderDetails: { ...target.identityProviderDetails, ...definedMembers(doc.IdentityProviderDetails ?? {}) },
  });
}

export function seedRuleIssues(doc: DesiredDocument, target: Target): SeedRuleIssue[] {
  const settings = targetSettings(doc, target);
  const out: SeedRuleIssue[] = [];
  for (const seedRule of SEED_RULES) {
    const path = seedRule.broken(settings) ? blame(doc, seedRule.fields) : undefined;
    if (path !== undefined) out.push({ rule: seedRule.id, path, message: seedRule.message(settings) });
  }
  return out;
}

/** A document that names a HostKey (or HostKeys) must come with the keys read: the plan never ignores a managed key. */
function hostKeyRule(desired: DesiredServer, observed: ObservedServer, issues: Issue[]): void {
  if (desired.document.HostKey !== undefined && desired.hostKey === undefined) {
    issues.push({
      path: '$.HostKey',
      message:
        "HostKey names a key that was not read, so the server's key cannot be compared. Check that the SecureString parameter exists and can be decrypted.",
    });
  }
  if (desired.document.HostKeys === undefined) return;
  if (desired.hostKeys === undefined) {
    issues.push({
      path: '$.HostKeys',
      message:
        "HostKeys names keys that were not read, so the server's keys cannot be compared. Check that every SecureString parameter exists and can be decrypted.",
    });
  } else if (observed.HostKeys === undefined) {
    // Planning against an unknown key set would import keys the server may already hold.
    issues.push({ path: '$.HostKeys', message: "the server's host keys were not listed (ListHostKeys), so they cannot be compared." });
  }
}

export function effectiveIssues(desired: DesiredServer, observed: ObservedServer, target: Target): Issue[] {
  const doc = desired.document;
  const issues: Issue[] = [];
  hostKeyRule(desired, observed, issues);
  issues.push(...seedRuleIssues(doc, target).map(({ path, message }) => ({ path, message })));
  typeChangeRules(doc, observed, target, issues);
  domainRule(doc, observed, target, issues);
  return issues;
}
