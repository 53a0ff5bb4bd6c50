// The seed's cross-field rules are declared once (plan/seed-rule-table.ts) and evaluated twice:
// over the document alone (static) and over the document merged with the server (effective). A
// broken rule must read the same whichever side reports it; only the blamed path may differ.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { seedRuleFindings } from '../../functions/reconciler/desired/rules/seed-rules.ts';
import { seedRuleIssues } from '../../functions/reconciler/plan/effective-rules.ts';
import { ENDPOINT_MEMBER_TYPES, IDENTITY_MEMBER_TYPES } from '../../functions/reconciler/plan/fields.ts';
import { SEED_RULES } from '../../functions/reconciler/plan/seed-rule-table.ts';
import type { SeedField, SeedRule, Settings } from '../../functions/reconciler/plan/seed-rule-table.ts';
import { targetOf } from '../../functions/reconciler/plan/target.ts';
import type { DesiredDocument } from '../../functions/reconciler/types.ts';
import { observedOf } from './plan-fixtures.ts';

const EIPS = ['eipalloc-1'];
const VPC = { EndpointType: 'VPC', EndpointDetails: { VpcId: 'vpc-1', SubnetIds: ['subnet-a'] } };
const MEMBER_VALUES: Record<string, string | string[]> = {
  AddressAllocationIds: EIPS,
  SubnetIds: ['subnet-a'],
  VpcId: 'vpc-1',
  SecurityGroupIds: ['sg-0123456789abcdef0'],
  VpcEndpointId: 'vpce-0123456789abcdef0',
  Url: 'https://auth.example.com',
  InvocationRole: 'arn:aws:iam::111122223333:role/invoke',
  Function: 'arn:aws:lambda:eu-west-1:111122223333:function:auth',
  DirectoryId: 'd-0123456789',
  SftpAuthenticationMethods: 'PASSWORD',
};

// The wrong types are not the defaults, so a view that took them from anywhere but the merged server would show.
interface Case {
  /** Values of the rule's fields that break it and nothing else the rule reads. */
  breaks: Settings;
  /** What else the server needs for `breaks` to reach the merged target. */
  server?: Record<string, unknown>;
}

const CASES: Record<string, Case> = {
  'ftps-certificate': { breaks: { Certificate: '', Protocols: ['SFTP', 'FTPS'] } },
  'protocols-vpc': { breaks: { EndpointType: 'VPC_ENDPOINT', Protocols: ['FTP', 'AS2'] } },
  'ftp-identity-provider': { breaks: { IdentityProviderType: 'SERVICE_MANAGED', Protocols: ['FTPS', 'FTP'] } },
  'ftp-elastic-ips': { breaks: { 'EndpointDetails.AddressAllocationIds': EIPS, Protocols: ['FTP'] }, server: VPC },
  'dualstack-elastic-ips': { breaks: { 'EndpointDetails.AddressAllocationIds': EIPS, IpAddressType: 'DUALSTACK' }, server: VPC },
  'elastic-ips-subnets': {
    breaks: { 'EndpointDetails.AddressAllocationIds': EIPS, 'EndpointDetails.SubnetIds': [] },
    server: { EndpointType: 'VPC', EndpointDetails: { VpcId: 'vpc-1' } },
  },
};
for (const [member, types] of Object.entries(ENDPOINT_MEMBER_TYPES)) {
  const other = ['VPC_ENDPOINT', 'VPC', 'PUBLIC'].find((t) => !(types as readonly string[]).includes(t)) ?? '';
  CASES[`endpoint-member.${member}`] = { breaks: { [`EndpointDetails.${member}`]: MEMBER_VALUES[member], EndpointType: other } };
}
for (const [member, types] of Object.entries(IDENTITY_MEMBER_TYPES)) {
  const other = ['AWS_DIRECTORY_SERVICE', 'AWS_LAMBDA', 'API_GATEWAY'].find((t) => !(types as readonly string[]).includes(t)) ?? '';
  CASES[`identity-member.${member}`] = {
    breaks: { [`IdentityProviderDetails.${member}`]: MEMBER_VALUES[member], IdentityProviderType: other },
  };
}

/** A document-shaped object: dotted fields nested, merged into `base`. */
function nest(settings: Settings, base: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base);
  for (const [field, value] of Object.entries(settings)) {
    const [key, member] = field.split('.') as [string, string | undefined];
    if (member === undefined) out[key] = value;
    else out[key] = { ...(out[key] as Record<string, unknown> | undefined), [member]: value };
  }
  return out;
}

function only(settings: Settings, keep: (field: SeedField) => boolean): Settings {
  return Object.fromEntries(Object.entries(settings).filter(([field]) => keep(field as SeedField)));
}

function caseOf(rule: SeedRule): Case {
  const c = CASES[rule.id];
  assert.ok(c !== undefined, `no case for seed rule ${rule.id}`);
  assert.deepEqual(Object.keys(c.breaks).sort(), [...rule.fields].sort(), `${rule.id}: the case must set exactly the rule's fields`);
  return c;
}

function staticOf(rule: SeedRule, doc: Record<string, unknown>) {
  return seedRuleFindings(doc).filter((f) => f.rule === rule.id);
}

function effectiveOf(rule: SeedRule, doc: Record<string, unknown>, server: Record<string, unknown>) {
  const document = doc as DesiredDocument;
  return seedRuleIssues(document, targetOf(document, observedOf(server))).filter((i) => i.rule === rule.id);
}

/**
 * Which field the document may hold while the server holds the rest. A member of the type the
 * server is leaving is dropped with that type, so only the document's own member breaks a member rule.
 */
function documentFields(rule: SeedRule): readonly SeedField[] {
  return rule.id.includes('-member.') ? rule.fields.slice(0, 1) : rule.fields;
}

describe('the seed rule table', () => {
  test('rule ids are unique and every rule has a case', () => {
    assert.equal(new Set(SEED_RULES.map((r) => r.id)).size, SEED_RULES.length);
    for (const rule of SEED_RULES) caseOf(rule);
    assert.equal(Object.keys(CASES).length, SEED_RULES.length);
  });

  test('a document that breaks a rule alone gets one finding, at its first field', () => {
    for (const rule of SEED_RULES) {
      const found = staticOf(rule, nest(caseOf(rule).breaks));
      assert.deepEqual(
        found.map((f) => f.path.join('.')),
        [rule.fields[0]],
        rule.id,
      );
    }
  });

  test('statically, a rule does not apply while the document leaves out one of its fields', () => {
    for (const rule of SEED_RULES) {
      for (const field of rule.fields) {
        const doc = nest(only(caseOf(rule).breaks, (f) => f !== field));
        assert.deepEqual(staticOf(rule, doc), [], `${rule.id} without ${field}`);
      }
    }
  });

  test('the same broken rule gives the same message whether the server already had the field or not', () => {
    for (const rule of SEED_RULES) {
      const c = caseOf(rule);
      const [finding] = staticOf(rule, nest(c.breaks));
      assert.ok(finding !== undefined, rule.id);
      for (const field of documentFields(rule)) {
        const doc = nest(only(c.breaks, (f) => f === field));
        const server = nest(
          only(c.breaks, (f) => f !== field),
          c.server,
        );
        const issues = effectiveOf(rule, doc, server);
        assert.deepEqual(
          issues,
          [{ rule: rule.id, path: `$.${field}`, message: finding.message }],
          `${rule.id}, the document holding ${field}`,
        );
      }
    }
  });

  test('a rule only the server breaks is not blamed on the document', () => {
    for (const rule of SEED_RULES) {
      const c = caseOf(rule);
      assert.deepEqual(effectiveOf(rule, { LoggingRole: '' }, nest(c.breaks, c.server)), [], rule.id);
    }
  });
});
