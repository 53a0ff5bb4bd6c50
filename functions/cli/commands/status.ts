// transfer-reconciler status [--all | --dir DIR... | --server ID...] [--account A]... [--json] —
// every managed server observed read-only (a forced detect: no write, ever), counted per
// account-region by result: one table across the organisation. Exit codes as reconcile --mode detect.
import type { Outcome } from '../../reconciler/types.ts';
import { paintFor } from '../format/colour.ts';
import { serverKey } from '../format/places.ts';
import { statusColumn, statusCounts, statusRows, statusSummaryLine, statusTable } from '../format/status-table.ts';
import { ProgressBar } from '../progress.ts';
import { runSelection } from '../run-selection.ts';
import { GLOBAL_HELP, UsageError, parse } from '../options.ts';
import { ACCOUNTS_PARAMETER_HELP, ACCOUNTS_PARAMETER_OPTION, ACCOUNT_HELP, ACCOUNT_OPTION } from '../selection.ts';
import { exitCode } from './reconcile.ts';

const HELP = `usage: transfer-reconciler status [--all | --dir DIR... | --server ID...] [--account A]... [--decrypt] [--json]

Observes every managed server, in every account and region, without writing anything (as
"reconcile --mode detect", whatever a document's Reconciler.Mode says), and prints one table:
per account-region (the hub's own first) how many servers are in sync, drifted, blocked (drift the
document's policy would not let reconcile repair), invalid or failed (missing, unreadable, a role
that cannot be assumed), a TOTAL row, then one line per server that is not in sync.
  --all               every document under the prefix in SSM, of every account (the default)
  --dir DIR           the documents in these files or folders instead (repeatable)
  --server ID         a server (repeatable): <ServerId>, or <AccountId>/<Region>/<ServerId>
  --accounts FILE     with --dir: the accounts file (default: accounts.yaml next to or above the files)
${ACCOUNTS_PARAMETER_HELP}
${ACCOUNT_HELP}
  --decrypt           read host keys with decryption instead of comparing recorded fingerprints
  --json              one JSON object on stdout: {ok, accounts: [{place, accountId, region, name,
                      servers, inSync, drift, blocked, invalid, failed, notInSync}], totals, problems}
exit: 0 every server in sync; 2 drift found (blocked included) and nothing failed; 1 any invalid,
      not-found, unmanaged, failed, a bad parameter name under the prefix, bad usage (1 wins)

${GLOBAL_HELP}`;

function notInSync(o: Outcome): Record<string, unknown> {
  return {
    serverId: o.serverId,
    result: o.result,
    changes: o.changes.length,
    parameter: o.parameter.name,
    ...(o.error ? { error: { code: o.error.code, message: o.error.message } } : {}),
  };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    server: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    dir: { type: 'string', multiple: true },
    ...ACCOUNT_OPTION,
    accounts: { type: 'string' },
    ...ACCOUNTS_PARAMETER_OPTION,
    decrypt: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.dir && (values.all || values.server)) throw new UsageError('--dir reads the files it is given; drop --all and --server');
  // Nothing named: every managed server.
  if (!values.dir && !values.server) values.all = true;
  const json = values.json === true;
  const progress = new ProgressBar(process.stderr, process.stderr.isTTY === true && !json);
  const result = await runSelection(values, {
    detect: true,
    decryptHostKeys: values.decrypt === true,
    alwaysPlaces: true,
    reporter: { start: (total) => progress.start(total), outcome: () => progress.tick() },
  });
  progress.end();
  const rows = statusRows(result.outcomes, result.places);
  const totals = statusCounts(result.outcomes);
  const code = exitCode(result.outcomes, result.problems.length > 0, true);
  if (json) {
    const accounts = rows.map((r) => ({
      ...r,
      notInSync: result.outcomes
        .filter((o) => (o.accountId ?? 'hub') === (r.accountId ?? 'hub') && o.region === r.region)
        .flatMap((o) => (statusColumn(o) === 'inSync' ? [] : [notInSync(o)])),
    }));
    process.stdout.write(`${JSON.stringify({ ok: code === 0, accounts, totals, problems: result.problems })}\n`);
    return code;
  }
  const p = paintFor(process.stdout);
  console.log(statusTable(rows, totals).join('\n'));
  const off = result.outcomes.filter((o) => statusColumn(o) !== 'inSync');
  if (off.length > 0) console.log('');
  for (const o of off) {
    const why = o.error ? `${o.error.code}: ${o.error.message}` : `${o.changes.length} change${o.changes.length === 1 ? '' : 's'}`;
    console.log(p.red(`${serverKey(o)}  ${o.result}  ${why}`));
  }
  for (const pr of result.problems) console.error(`${pr.name}: ${pr.message}`);
  console.log(p.bold(statusSummaryLine(rows, totals)));
  return code;
}
