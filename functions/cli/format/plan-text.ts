// `plan` for people, in the style of `terraform plan`: a header per server, one line per change
// (`~` changed, `+` added, `-` removed; host keys are already fingerprints in the outcome), what
// blocks or invalidates a server, then the `Plan: …` summary line.
import { WITHHELD } from '../../reconciler/desired/user-text.ts';
import type { Change, Outcome } from '../../reconciler/types.ts';
import { normaliseFingerprint } from '../../shared/fingerprint.ts';
import { looksLikeKeyMaterial } from '../../shared/key-material.ts';
import type { Paint } from './colour.ts';
import { planStatus } from './plan-summary.ts';
import { HOST_KEYS_PREFIX, activeKeyLines, showHostKeyValue } from './host-key-lines.ts';

/**
 * A value in full (a plan shows what will be written), except text that looks like key material:
 * a value the server reports (a banner someone set by hand) has passed no validation, and plans
 * end up in pull-request comments.
 */
export function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return looksLikeKeyMaterial(text) ? WITHHELD : text;
}

/** A HostKey value is shown only as a fingerprint, or as "(unrecognised fingerprint)"; a HostKeys one by type and description. */
function showAt(path: string, value: unknown): string {
  if (path.startsWith(HOST_KEYS_PREFIX)) return showHostKeyValue(value);
  return path === 'HostKey' && typeof value === 'string' ? JSON.stringify(normaliseFingerprint(value)) : show(value);
}

function note(change: Change): string {
  return change.requires === 'restart' ? ' (needs restart)' : change.requires === 'offline' ? ' (needs OFFLINE)' : '';
}

export function changeSign(change: Change): '+' | '-' | '~' {
  return change.from === undefined ? '+' : change.to === undefined ? '-' : '~';
}

/** `~ ProtocolDetails.PassiveIp: "AUTO" → "203.0.113.10" (needs restart)`, `+ Tags.team: "x"`, `- Tags.old: "y"`. */
export function planChangeLine(change: Change): string {
  const sign = changeSign(change);
  const at = (v: unknown): string => showAt(change.path, v);
  const body = sign === '+' ? at(change.to) : sign === '-' ? at(change.from) : `${at(change.from)} → ${at(change.to)}`;
  return `${sign} ${change.path}: ${body}${note(change)}`;
}

function source(o: Outcome): string {
  return o.parameter.version !== undefined ? `${o.parameter.name} v${o.parameter.version}` : o.parameter.name;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** Issue lines (blocked, invalid) and error lines, without indentation. */
export function problemLinesOf(o: Outcome): string[] {
  const status = planStatus(o);
  const label = status === 'blocked' ? 'blocked' : status === 'invalid' ? 'invalid' : 'error';
  const lines = (o.issues ?? []).map((i) => `! ${label}: ${i.path}: ${i.message}`);
  if (o.error && lines.length === 0) lines.push(`! ${o.result}: ${o.error.code}: ${o.error.message}`);
  return lines;
}

export function headline(o: Outcome): string {
  switch (planStatus(o)) {
    case 'change':
      return `${count(o.changes.length, 'change')} to apply`;
    case 'in-sync':
      return 'in sync';
    case 'blocked':
      return `blocked: ${count(o.changes.length, 'change')}, nothing will be written`;
    case 'invalid':
      return 'invalid document, nothing will be written';
    case 'error':
      return o.result;
  }
}

export function planServerLines(o: Outcome, p: Paint): string[] {
  const status = planStatus(o);
  const title = `${p.bold(o.serverId)}  ${headline(o)}  ${p.dim(`(${source(o)})`)}`;
  const lines = [status === 'in-sync' ? title : status === 'change' ? p.yellow(title) : p.red(title)];
  for (const c of o.changes) {
    const line = `    ${planChangeLine(c)}`;
    const sign = changeSign(c);
    lines.push(sign === '+' ? p.green(line) : sign === '-' ? p.red(line) : p.yellow(line));
  }
  for (const line of activeKeyLines(o)) lines.push(p.bold(`    ${line}`));
  for (const line of problemLinesOf(o)) lines.push(p.red(`    ${line}`));
  for (const w of o.warnings) lines.push(p.dim(`    warning: ${w}`));
  return lines;
}
