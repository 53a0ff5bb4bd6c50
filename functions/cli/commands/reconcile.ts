// transfer-reconciler reconcile (--server ID... | --all) [--mode detect] [--quiet|--verbose] [--json]
import type { Outcome } from '../../reconciler/types.ts';
import { paintFor } from '../format/colour.ts';
import { outcomeLines, outcomeVerboseLines, summaryLine } from '../format/outcome-text.ts';
import { summaryTable } from '../format/summary-table.ts';
import { ProgressBar } from '../progress.ts';
import { runSelection } from '../run-selection.ts';
import { GLOBAL_HELP, UsageError, parse } from '../options.ts';
import { ACCOUNTS_PARAMETER_HELP, ACCOUNTS_PARAMETER_OPTION, ACCOUNT_HELP, ACCOUNT_OPTION } from '../selection.ts';
import { groupedOutcomeLines } from '../format/grouped-text.ts';

const HELP = `usage: transfer-reconciler reconcile (--server ID... | --all) [--mode detect] [--quiet | --verbose] [--json]

Reads each server's document from SSM and the server with DescribeServer, applies the minimal
changes, verifies them, and prints one outcome per server, then a table (server, result,
changes, calls, ms) and a summary line. On a terminal a progress bar runs on stderr.
Servers of other accounts (<prefix><AccountId>/<Region>/<ServerId>) are reached through the
account's role, from the accounts file push stored; their outcomes, the table and the lines are then
grouped by account and region (the lines once every server is done), the hub's own first.
  --server ID     a server to reconcile (repeatable)
  --all           every document under the prefix
  --mode detect   report drift, write nothing (exit codes as terraform's -detailed-exitcode)
  -q, --quiet     print only servers that are not in-sync/updated, problems and the summary line
  -v, --verbose   print each outcome in full: mode, writes done, AWS calls, retries
  --json          one outcome object per line (NDJSON) on stdout, nothing else
${ACCOUNTS_PARAMETER_HELP}
${ACCOUNT_HELP}
exit: 0 every server in-sync or updated; 1 otherwise (drift-detected, invalid, blocked,
      not-found, failed, a bad parameter name under the prefix, bad usage)
exit with --mode detect: 0 every server in-sync; 2 drift found (drift-detected, including a
      change the document's policy would block) and nothing failed; 1 any invalid, not-found,
      unmanaged (no document), failed, a bad parameter name under the prefix, bad usage (1 wins)

${GLOBAL_HELP}`;

function isFine(o: Outcome): boolean {
  return o.result === 'in-sync' || o.result === 'updated';
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    server: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    ...ACCOUNT_OPTION,
    ...ACCOUNTS_PARAMETER_OPTION,
    mode: { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    verbose: { type: 'boolean', short: 'v' },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.mode !== undefined && values.mode !== 'detect' && values.mode !== 'enforce') {
    throw new UsageError(`--mode must be "detect" (or "enforce", the default), got "${values.mode}"`);
  }
  if (values.quiet && values.verbose) throw new UsageError('give --quiet or --verbose, not both');
  if (values.json && (values.quiet || values.verbose)) throw new UsageError('--json prints outcome records only; drop --quiet/--verbose');
  const json = values.json === true;
  const p = paintFor(process.stdout);
  const progress = new ProgressBar(process.stderr, process.stderr.isTTY === true && !values.quiet);
  const linesOf = (o: Outcome): string[] => {
    if (values.quiet && isFine(o)) return [];
    const text = (values.verbose ? outcomeVerboseLines(o) : outcomeLines(o)).join('\n');
    return [isFine(o) ? text : p.red(text)];
  };
  // Across accounts the lines are printed grouped, once every server is done.
  let grouped = false;
  const print = (o: Outcome): void => {
    if (json) process.stdout.write(`${JSON.stringify(o)}\n`);
    else if (!grouped) for (const line of linesOf(o)) console.log(line);
  };
  const result = await runSelection(values, {
    detect: values.mode === 'detect',
    reporter: {
      start: (total, orgWide) => {
        grouped = orgWide;
        progress.start(total);
      },
      outcome: (o) => {
        progress.print(() => print(o));
        progress.tick();
      },
    },
  });
  progress.end();
  if (grouped && !json) console.log(groupedOutcomeLines(result.outcomes, result.places, linesOf, p).join('\n'));
  for (const pr of result.problems) console.error(`${pr.name}: ${pr.message}`);
  if (!json) {
    if (!values.quiet && result.outcomes.length > 0) console.log(['', ...summaryTable(result.outcomes, result.places), ''].join('\n'));
    console.log(p.bold(summaryLine(result.outcomes)));
  }
  return exitCode(result.outcomes, result.problems.length > 0, values.mode === 'detect');
}

/**
 * enforce: 0 when every server is in-sync or updated, else 1. detect (terraform's
 * -detailed-exitcode): 1 on any failure, else 2 when drift was found, else 0. In detect mode a
 * change the policy blocks is reported as drift-detected (with issues), so it counts as drift.
 */
export function exitCode(outcomes: readonly Outcome[], problems: boolean, detect: boolean): number {
  if (!detect) return !problems && outcomes.every((o) => isFine(o)) ? 0 : 1;
  if (problems || outcomes.some((o) => !isFine(o) && o.result !== 'drift-detected')) return 1;
  return outcomes.some((o) => o.result === 'drift-detected') ? 2 : 0;
}
