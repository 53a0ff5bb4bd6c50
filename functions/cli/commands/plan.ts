// transfer-reconciler plan (--server ID... | --all | --dir DIR...) [--format text|markdown|json]
// — a dry run: reads the documents (SSM or files) and DescribeServer, writes nothing. Host keys
// are compared by the fingerprint push recorded (no kms:Decrypt) unless --decrypt.
import type { Outcome } from '../../reconciler/types.ts';
import { paintFor } from '../format/colour.ts';
import { planMarkdown } from '../format/plan-markdown.ts';
import { planSummaryLine } from '../format/plan-summary.ts';
import { planServerLines } from '../format/plan-text.ts';
import { ProgressBar } from '../progress.ts';
import { runSelection } from '../run-selection.ts';
import { GLOBAL_HELP, UsageError, parse } from '../options.ts';
import { ACCOUNTS_PARAMETER_HELP, ACCOUNTS_PARAMETER_OPTION, ACCOUNT_HELP, ACCOUNT_OPTION } from '../selection.ts';
import { groupedPlanLines } from '../format/grouped-text.ts';
import { isOrgWide } from '../format/places.ts';

const HELP = `usage: transfer-reconciler plan (--server ID... | --all | --dir DIR...) [--decrypt] [--format text|markdown|json]

Shows what reconcile would change, without writing anything: per server each change
(~ changed, + added, - removed; "needs restart" / "needs OFFLINE" where AWS requires it; host
keys as fingerprints), blocked changes with their reason, invalid documents with their problems,
and a final "Plan: N to change, M in sync, K blocked, J invalid." line. Servers of other accounts
(<AccountId>/<Region>/<ServerId> documents) are read through the account's role from the accounts
file, and the plan is grouped by account and region, the hub's own first.
  --server ID         a server to plan (repeatable; with --dir, limits the files planned)
  --all               every document under the prefix in SSM
  --dir DIR           plan the documents in these files or folders instead of SSM (repeatable),
                      e.g. a pull request's checkout before it is merged and pushed
  --decrypt           read host keys with decryption (needs kms:Decrypt) instead of comparing
                      the fingerprint push recorded on each key's parameter; without it a key
                      whose fingerprint is not recorded for its current version fails the plan
  --format F          text (default; colour only on a terminal), markdown (a pull-request
                      comment: summary, table, a diff block per server) or json
  --json              same as --format json: one outcome object per line (NDJSON) on stdout
  --accounts FILE     with --dir: the accounts file (default: accounts.yaml next to or above the files)
${ACCOUNTS_PARAMETER_HELP}
${ACCOUNT_HELP}
exit: 0 no changes; 2 changes pending (including blocked ones); 1 an error (invalid document,
      missing server, unreadable parameter, an account whose role cannot be assumed, bad usage)

${GLOBAL_HELP}`;

export function planExitCode(outcomes: Outcome[], problems: number): number {
  if (problems > 0 || outcomes.some((o) => o.result !== 'in-sync' && o.result !== 'drift-detected')) return 1;
  return outcomes.some((o) => o.result === 'drift-detected') ? 2 : 0;
}

type Format = 'text' | 'markdown' | 'json';

function formatFrom(values: { format?: string; json?: boolean }): Format {
  const f = values.format;
  if (f !== undefined && f !== 'text' && f !== 'markdown' && f !== 'json')
    throw new UsageError(`--format must be text, markdown or json, got "${f}"`);
  if (values.json && f !== undefined && f !== 'json') throw new UsageError(`--json and --format ${f} disagree; give one`);
  return values.json ? 'json' : (f ?? 'text');
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    server: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    ...ACCOUNT_OPTION,
    accounts: { type: 'string' },
    ...ACCOUNTS_PARAMETER_OPTION,
    dir: { type: 'string', multiple: true },
    format: { type: 'string' },
    json: { type: 'boolean' },
    decrypt: { type: 'boolean' },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const format = formatFrom(values);
  if (values.dir && values.all) throw new UsageError('--dir plans the files it is given; drop --all');
  const progress = new ProgressBar(process.stderr, process.stderr.isTTY === true && format !== 'json');
  const result = await runSelection(values, {
    detect: true,
    // The pull-request role may not decrypt the keys: compare by recorded fingerprint unless asked.
    decryptHostKeys: values.decrypt === true,
    reporter: {
      start: (total) => progress.start(total),
      outcome: (o) => {
        if (format === 'json') process.stdout.write(`${JSON.stringify(o)}\n`);
        progress.tick();
      },
    },
  });
  progress.end();
  if (format === 'markdown') {
    process.stdout.write(planMarkdown(result.outcomes, result.problems, result.places));
  } else if (format === 'text') {
    const p = paintFor(process.stdout);
    if (isOrgWide(result.outcomes)) console.log(groupedPlanLines(result.outcomes, result.places, p).join('\n'));
    else for (const o of result.outcomes) console.log(planServerLines(o, p).join('\n'));
    for (const pr of result.problems) console.error(`${pr.name}: ${pr.message}`);
    console.log(p.bold(planSummaryLine(result.outcomes, result.problems.length)));
  } else {
    for (const pr of result.problems) console.error(`${pr.name}: ${pr.message}`);
  }
  return planExitCode(result.outcomes, result.problems.length);
}
