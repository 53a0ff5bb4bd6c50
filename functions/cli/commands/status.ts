// transfer-reconciler status [--all | --dir DIR... | --server ID...] [--account A]... [--json] —
// every managed server observed read-only (a forced detect: no write, ever), counted per
// account-region by result: one table across the organisation. With --all (the default) also the
// servers ListServers returns that have no document, per account-region (unmanaged-servers.ts).
// Exit codes as reconcile --mode detect, where a server without a document is `unmanaged`: 1.
import type { Outcome } from '../../reconciler/types.ts';
import { paintFor } from '../format/colour.ts';
import { placeKey, serverKey } from '../format/places.ts';
import type { StatusRow } from '../format/status-table.ts';
import { statusColumn, statusCounts, statusRows, statusSummaryLine, statusTable } from '../format/status-table.ts';
import { ProgressBar } from '../progress.ts';
import { runSelection } from '../run-selection.ts';
import { GLOBAL_HELP, UsageError, parse } from '../options.ts';
import { ACCOUNTS_PARAMETER_HELP, ACCOUNTS_PARAMETER_OPTION, ACCOUNT_HELP, ACCOUNT_OPTION } from '../selection.ts';
import type { UnmanagedServer } from '../unmanaged-servers.ts';
import { exitCode } from './reconcile.ts';

const HELP = `usage: transfer-reconciler status [--all | --dir DIR... | --server ID...] [--account A]... [--decrypt] [--json]

Observes every managed server, in every account and region, without writing anything (as
"reconcile --mode detect", whatever a document's Reconciler.Mode says), and prints one table:
per account-region (the hub's own first) how many servers are in sync, drifted, blocked (drift the
document's policy would not let reconcile repair), invalid or failed (missing, unreadable, a role
that cannot be assumed), a TOTAL row, then one line per server that is not in sync.
With --all (the default) an UNMANAGED column too: the servers ListServers returns in the hub's own
account-region and in each account-region of the accounts file (through its read-only role) that
have no document (SERVERS includes them); they are listed as "unmanaged" with the not-in-sync ones.
An account-region that cannot be listed (role refused, ListServers error) is a problem line naming
it and the error code; the others are still counted. With --dir or --server the documents are only
a part of them: no unmanaged count.
  --all               every document under the prefix in SSM, of every account, and the servers
                      without one (the default)
  --dir DIR           the documents in these files or folders instead (repeatable)
  --server ID         a server (repeatable): <ServerId>, or <AccountId>/<Region>/<ServerId>
  --accounts FILE     with --dir: the accounts file (default: accounts.yaml next to or above the files)
${ACCOUNTS_PARAMETER_HELP}
${ACCOUNT_HELP}
  --decrypt           read host keys with decryption instead of comparing recorded fingerprints
  --json              one JSON object on stdout: {ok, accounts: [{place, accountId, region, name,
                      servers, inSync, drift, blocked, invalid, failed, unmanaged (--all only),
                      notInSync}], totals, problems}
exit: 0 every server in sync; 2 drift found (blocked included) and nothing failed; 1 any invalid,
      not-found, unmanaged (with --all: any server without a document, as reconcile --mode detect
      gives a server without one), failed, an account-region that could not be listed, a bad
      parameter name under the prefix, bad usage (1 wins)

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

function unmanagedEntry(u: UnmanagedServer): Record<string, unknown> {
  return { serverId: u.serverId, result: 'unmanaged', changes: 0, parameter: u.parameter };
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
  // Only every document (--all) tells which servers have none.
  const countUnmanaged = !values.dir && !values.server;
  const result = await runSelection(values, {
    detect: true,
    decryptHostKeys: values.decrypt === true,
    alwaysPlaces: true,
    listUnmanaged: countUnmanaged,
    reporter: { start: (total) => progress.start(total), outcome: () => progress.tick() },
  });
  progress.end();
  const unmanaged = result.unmanaged?.servers;
  const problems = [...result.problems, ...(result.unmanaged?.problems ?? [])];
  const rows = statusRows(result.outcomes, result.places, unmanaged);
  const totals = statusCounts(result.outcomes, unmanaged?.length);
  const code = exitCode(result.outcomes, problems.length > 0 || (unmanaged?.length ?? 0) > 0, true);
  const at = (r: StatusRow) => (p: { accountId?: string; region?: string }) => placeKey(p) === r.place;
  if (json) {
    const accounts = rows.map((r) => ({
      ...r,
      notInSync: [
        ...result.outcomes.filter(at(r)).flatMap((o) => (statusColumn(o) === 'inSync' ? [] : [notInSync(o)])),
        ...(unmanaged ?? []).filter(at(r)).map(unmanagedEntry),
      ],
    }));
    process.stdout.write(`${JSON.stringify({ ok: code === 0, accounts, totals, problems })}\n`);
    return code;
  }
  const p = paintFor(process.stdout);
  console.log(statusTable(rows, totals).join('\n'));
  const off = result.outcomes.filter((o) => statusColumn(o) !== 'inSync');
  if (off.length > 0 || (unmanaged?.length ?? 0) > 0) console.log('');
  for (const o of off) {
    const why = o.error ? `${o.error.code}: ${o.error.message}` : `${o.changes.length} change${o.changes.length === 1 ? '' : 's'}`;
    console.log(p.red(`${serverKey(o)}  ${o.result}  ${why}`));
  }
  for (const u of unmanaged ?? [])
    console.log(
      p.red(`${u.accountId === undefined ? u.serverId : `${placeKey(u)}/${u.serverId}`}  unmanaged  no document (${u.parameter})`),
    );
  for (const pr of problems) console.error(`${pr.name}: ${pr.message}`);
  console.log(p.bold(statusSummaryLine(rows, totals)));
  return code;
}
