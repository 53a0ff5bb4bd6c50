// `plan --format markdown`: one document fit for a pull-request comment — the summary, a table of
// servers, then a ```diff block per server with changes. In a diff block GitHub colours `+` green,
// `-` red and `!` orange, so a changed value is written with `!` rather than the text form's `~`.
// Across accounts (format/places.ts) the one comment covers the whole organisation: the summary
// across every account-region, a table of their counts, then one section per account-region.
import type { Outcome } from '../../reconciler/types.ts';
import { codeSpan, escapeMarkdown, fencedBlock } from './markdown.ts';
import { planChangeLine, changeSign, headline } from './plan-text.ts';
import { planCounts, planStatus, planSummaryLine } from './plan-summary.ts';
import { activeKeyLines } from './host-key-lines.ts';
import type { PlaceInfo } from './places.ts';
import { NO_PLACES, groupByPlace, isOrgWide } from './places.ts';

export interface MarkdownProblem {
  name: string;
  message: string;
}

function diffLines(o: Outcome): string[] {
  return o.changes.map((c) => {
    const line = planChangeLine(c);
    return changeSign(c) === '~' ? `!${line.slice(1)}` : line;
  });
}

function section(o: Outcome, level: string): string[] {
  const status = planStatus(o);
  const out = [`${level} ${codeSpan(o.serverId)} — ${escapeMarkdown(headline(o))}`, ''];
  if (o.changes.length > 0) out.push(fencedBlock('diff', diffLines(o)), '');
  for (const line of activeKeyLines(o)) out.push(`- ${escapeMarkdown(line)}`);
  const label = status === 'blocked' ? 'Blocked' : status === 'invalid' ? 'Invalid' : 'Error';
  for (const i of o.issues ?? []) out.push(`- **${label}** ${codeSpan(i.path)}: ${escapeMarkdown(i.message)}`);
  if (o.error && !(o.issues && o.issues.length > 0))
    out.push(`- **${label}** ${codeSpan(o.error.code)}: ${escapeMarkdown(o.error.message)}`);
  for (const w of o.warnings) out.push(`- Warning: ${escapeMarkdown(w)}`);
  if (out.at(-1) !== '') out.push('');
  return out;
}

/** The servers' table and a section per server that is not in sync. */
function servers(outcomes: Outcome[], level: string): string[] {
  const out: string[] = [];
  if (outcomes.length > 0) {
    out.push('| Server | Plan | Changes | Document |', '| --- | --- | --- | --- |');
    for (const o of outcomes) {
      const version = o.parameter.version !== undefined ? ` v${o.parameter.version}` : '';
      out.push(
        `| ${codeSpan(o.serverId)} | ${escapeMarkdown(headline(o))} | ${o.changes.length} | ${codeSpan(o.parameter.name)}${version} |`,
      );
    }
    out.push('');
  }
  for (const o of outcomes) if (planStatus(o) !== 'in-sync') out.push(...section(o, level));
  return out;
}

function organisation(outcomes: Outcome[], places: PlaceInfo): string[] {
  const groups = groupByPlace(outcomes, places);
  const out = [`${groups.length} account-regions, ${outcomes.length} servers.`, ''];
  out.push(
    '| Account/Region | Servers | To change | In sync | Blocked | Invalid | Errors |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const g of groups) {
    const c = planCounts(g.outcomes);
    out.push(
      `| ${escapeMarkdown(g.label)} | ${g.outcomes.length} | ${c.change} | ${c.inSync} | ${c.blocked} | ${c.invalid} | ${c.error} |`,
    );
  }
  out.push('');
  for (const g of groups)
    out.push(`#### ${escapeMarkdown(g.label)}`, '', `**${planSummaryLine(g.outcomes)}**`, '', ...servers(g.outcomes, '#####'));
  return out;
}

export function planMarkdown(outcomes: Outcome[], problems: MarkdownProblem[] = [], places: PlaceInfo = NO_PLACES): string {
  const out = ['### transfer-reconciler plan', '', `**${planSummaryLine(outcomes, problems.length)}**`, ''];
  out.push(...(isOrgWide(outcomes) ? organisation(outcomes, places) : servers(outcomes, '####')));
  if (problems.length > 0) {
    out.push('#### Problems', '');
    for (const p of problems) out.push(`- ${codeSpan(p.name)}: ${escapeMarkdown(p.message)}`);
    out.push('');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
