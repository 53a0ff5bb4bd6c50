// Human-readable lines for outcomes (the CLI's default output; --json gives the records).
import type { Outcome } from '../../reconciler/types.ts';
import { activeKeyLines } from './host-key-lines.ts';
import { planChangeLine } from './plan-text.ts';

export function outcomeLines(o: Outcome): string[] {
  const version = o.parameter.version !== undefined ? ` v${o.parameter.version}` : '';
  const lines = [`${o.serverId}  ${o.result}  (${o.parameter.name}${version}, ${o.durationMs} ms)`];
  for (const c of o.changes) lines.push(`    ${planChangeLine(c)}`);
  for (const line of activeKeyLines(o)) lines.push(`    ${line}`);
  for (const step of o.done ?? []) lines.push(`    done: ${step}`);
  for (const i of o.issues ?? [])
    lines.push(`    ${o.result === 'blocked' || o.result === 'drift-detected' ? 'blocked' : 'error'}: ${i.path}: ${i.message}`);
  if (o.error && !o.issues?.length) lines.push(`    ${o.result === 'unmanaged' ? 'note' : 'error'}: ${o.error.code}: ${o.error.message}`);
  for (const w of o.warnings) lines.push(`    warning: ${w}`);
  return lines;
}

export function summaryLine(outcomes: Outcome[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(o.result, (counts.get(o.result) ?? 0) + 1);
  const parts = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([r, n]) => `${n} ${r}`);
  return `${outcomes.length} server${outcomes.length === 1 ? '' : 's'}: ${parts.join(', ') || 'none'}`;
}

/** `--verbose`: the outcome in full — mode, trigger, every write done, each AWS operation counted. */
export function outcomeVerboseLines(o: Outcome): string[] {
  const lines = outcomeLines(o);
  const calls = Object.entries(o.calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op}×${n}`)
    .join(', ');
  lines.push(`    mode: ${o.mode}, trigger: ${o.trigger}`);
  lines.push(
    `    calls: ${calls || 'none'}${o.retries ? `; retries: ${o.retries}` : ''}${o.throttled ? `; throttled: ${o.throttled}` : ''}`,
  );
  if (o.serverState !== undefined) lines.push(`    server left: ${o.serverState}`);
  return lines;
}
