// The seed's cross-field rules (plan/seed-rule-table.ts) over the document alone: a rule applies
// only when every field it involves is in the document. A field the document leaves out may be
// set on the server; effective validation in plan/ decides those over the merged target.
import type { Finding } from '../issue-path.ts';
import { SEED_RULES, settingsOf } from '../../plan/seed-rule-table.ts';

export interface SeedRuleFinding extends Finding {
  rule: string;
}

export function seedRuleFindings(doc: Record<string, unknown>): SeedRuleFinding[] {
  const settings = settingsOf(doc);
  return SEED_RULES.filter((rule) => rule.fields.every((field) => settings[field] !== undefined) && rule.broken(settings)).map((rule) => ({
    rule: rule.id,
    path: (rule.fields[0] ?? '').split('.'),
    message: rule.message(settings),
  }));
}

export function seedFindings(doc: Record<string, unknown>): Finding[] {
  return seedRuleFindings(doc).map(({ path, message }) => ({ path, message }));
}
