// The pull-request comment the action writes: the marker that finds it again, one status line,
// the validation problems, the CLI's own Markdown plan, and where it came from. Pure (no I/O), so
// the action's test can check it through the fake GitHub API and nothing else builds it twice.

// GitHub refuses comment bodies over 65,536 characters; a plan of a large fleet can be longer.
export const MAX_BODY = 65_536;
const FOOTER_ROOM = 1_000;

/** A fenced block whose fence is longer than any run of backticks in the text (the CLI's rule). */
export function fenced(text) {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text.replace(/\n+$/, '')}\n${fence}`;
}

function cut(text, max) {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n… (cut: ${text.length - max} more characters; the job log and summary have all of it)`;
}

/** The one-line verdict: exit 1 of either command fails the check, exit 2 of plan is pending changes. */
export function statusLine({ validateCode, planCode }) {
  if (validateCode !== 0) return `❌ **Invalid documents** (validate exited ${validateCode}): nothing can be pushed until they are fixed.`;
  if (planCode === 2) return '🟡 **Changes pending** (plan exited 2): merging applies the plan below.';
  if (planCode === 0) return '✅ **No changes**: every server already matches its document.';
  return `❌ **Plan failed** (plan exited ${planCode}): see the problems below.`;
}

/**
 * @param {{ marker: string, validateCode: number, validateOutput: string, planCode: number,
 *   planMarkdown: string, planStderr: string, sha?: string, runUrl?: string }} r
 */
export function commentBody(r) {
  const parts = [r.marker, '', statusLine(r), ''];
  if (r.validateCode !== 0) parts.push('#### Validation', '', fenced(cut(r.validateOutput || '(no output)', 20_000)), '');
  const plan = r.planMarkdown.trim();
  if (plan !== '') parts.push(plan, '');
  // stderr matters only when the plan failed (credentials, a missing server); its text has been
  // through the CLI's redaction like every other output.
  if (r.planCode !== 0 && r.planCode !== 2 && r.planStderr.trim() !== '')
    parts.push('#### Plan errors', '', fenced(cut(r.planStderr, 10_000)), '');
  const where = [`validate exit ${r.validateCode}`, `plan exit ${r.planCode}`];
  if (r.sha) where.push(`commit ${r.sha.slice(0, 12)}`);
  if (r.runUrl) where.push(`[run](${r.runUrl})`);
  const footer = `<sub>transfer-reconciler · ${where.join(' · ')} · updated in place on every push</sub>\n`;
  const body = parts.join('\n');
  return `${cut(body, MAX_BODY - FOOTER_ROOM)}\n${footer}`;
}
