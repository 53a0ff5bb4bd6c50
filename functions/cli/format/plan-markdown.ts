// `plan --format markdown`: one document fit for a pull-request comment — the summary, a table of
// servers, then a ```diff block per server with changes. In a diff block GitHub colours `+` green,
// `-` red and `!` orange, so a changed value is written with `!` rather than the text form's `~`.
import type { Outcome } from '../../reconciler/types.ts';
import { codeSpan, escapeMarkdown, fencedBlock } from './markdown.ts';
import { planChangeLine, changeSign, headline } from './plan-text.ts';
import { planStatus, planSummaryLine } from './plan-summary.ts';
import { activeKeyLines } from './host-key-lines.ts';

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

function section(o: Outcome): string[] {
  const status = planStatus(o);
  const out = [`#### ${codeSpan(o.serverId)} — ${escapeMarkdown(headline(o))}`, ''];
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

export function planMarkdown(outcomes: Outcome[], problems: MarkdownProblem[] = []): string {
  const out = ['### transfer-reconciler plan', '', `**${planSummaryLine(outcomes, problems.length)}**`, ''];
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
  for (const o of outcomes) if (planStatus(o) !== 'in-sync') out.push(...section(o));
  if (problems.length > 0) {
    out.push('#### Problems', '');
    for (const p of problems) out.push(`- ${codeSpan(p.name)}: ${escapeMarkdown(p.message)}`);
    out.push('');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
