// transfer-reconciler validate <file|dir>... — offline static validation of documents in git,
// and of the accounts file that allows their accounts and regions (docs/accounts.md).
import { parseArgs } from 'node:util';
import { isAccountsFileName } from '../../reconciler/desired/accounts-file.ts';
import { unlistedProblem } from '../../reconciler/desired/accounts-listing.ts';
import { loadDocumentFiles } from '../../reconciler/desired/load-files.ts';
import type { ServerAddress } from '../../reconciler/desired/server-address.ts';
import { addressOfPath } from '../../reconciler/desired/server-address.ts';
import { validateStatic } from '../../reconciler/desired/validate-static.ts';
import type { Issue } from '../../reconciler/types.ts';
import { localAccounts } from '../local-documents.ts';
import { UsageError } from '../options.ts';
import type { AccountFilter } from '../selection.ts';
import { ACCOUNT_HELP, accountFiltersFrom, matchesAccount } from '../selection.ts';

const HELP = `usage: transfer-reconciler validate <file|dir>... [--accounts FILE] [--account A]... [--json]

Checks desired-state documents (<ServerId>.json, .yaml or .yml; folders are searched) without
AWS: types, the service model's lengths, patterns and enums, the rules a document decides alone,
unknown keys (with the closest valid one), the parameter size limit.
Documents of other accounts (<AccountId>/<Region>/<ServerId>.yaml) must be listed, with their
region, in the accounts file: accounts.yaml (.yml, .json) in the folder given or the nearest one
above it, up to the git root; the accounts file itself is checked too (give it as a path to check
it alone). Each problem is printed as <file>: <json-path>: <message>.
  --accounts FILE     the accounts file to use instead of looking for one
${ACCOUNT_HELP}
  --json              one JSON object per file on stdout
exit: 0 every document (and the accounts file) valid; 1 any invalid`;

export interface FileReport {
  path: string;
  /** Set on the accounts file's report. */
  kind?: 'accounts';
  serverId?: string;
  address?: ServerAddress;
  valid: boolean;
  issues: Issue[];
  warnings: string[];
}

export interface ValidateOptions {
  accountsFile?: string;
  accounts?: AccountFilter[];
}

export async function validatePaths(paths: string[], options: ValidateOptions = {}): Promise<FileReport[]> {
  const files = await loadDocumentFiles(paths.filter((p) => !isAccountsFileName(p)));
  const found = files.map((f) => f.path);
  const { accounts, known } = await localAccounts(
    paths,
    found,
    options.accountsFile === undefined ? {} : { accountsFile: options.accountsFile },
  );
  // A file whose name or folders give no address cannot be placed: it is reported whatever the filter.
  const selected = files.filter((f) => {
    const placed = addressOfPath(f.path);
    return !placed.ok || matchesAccount(options.accounts, placed.address);
  });
  const documents = selected.map((f): FileReport => {
    const where = { path: f.path, serverId: f.serverId, ...(f.address ? { address: f.address } : {}) };
    // A misnamed (or duplicate) file that parsed: its name problem first, then every problem
    // of its content, as for a well-named file (a misnamed one checked for no particular server).
    const content =
      f.raw === undefined ? undefined : validateStatic(f.raw, { source: f.path, expectedServerId: f.serverId, sizeBytes: undefined });
    const unlisted = f.address && (accounts === undefined || accounts.ok) ? unlistedProblem(f.address, known) : undefined;
    const issues = [
      ...(f.ok ? [] : f.issues),
      ...(unlisted ? [{ path: '$', message: unlisted }] : []),
      ...(content && !content.ok ? content.issues : []),
    ];
    return { ...where, valid: issues.length === 0, issues, warnings: content?.warnings ?? [] };
  });
  if (accounts === undefined) return documents;
  const report: FileReport = accounts.ok
    ? { path: accounts.path, kind: 'accounts', valid: true, issues: [], warnings: [] }
    : { path: accounts.path, kind: 'accounts', valid: false, issues: accounts.issues, warnings: [] };
  return [report, ...documents];
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean' },
        accounts: { type: 'string' },
        account: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (parsed.values.help) {
    console.log(HELP);
    return 0;
  }
  if (parsed.positionals.length === 0) throw new UsageError('give at least one file or folder to validate');
  const accounts = accountFiltersFrom(parsed.values);
  const reports = await validatePaths(parsed.positionals, {
    ...(parsed.values.accounts !== undefined ? { accountsFile: parsed.values.accounts } : {}),
    ...(accounts ? { accounts } : {}),
  });
  if (parsed.values.json) {
    for (const r of reports) process.stdout.write(`${JSON.stringify(r)}\n`);
  } else {
    for (const r of reports) {
      for (const i of r.issues) console.log(`${r.path}: ${i.path}: ${i.message}`);
      for (const w of r.warnings) console.log(`${r.path}: warning: ${w}`);
    }
    const invalid = reports.filter((r) => !r.valid).length;
    const summary = reports.length === 0 ? 'no documents found' : `${reports.length - invalid} valid, ${invalid} invalid`;
    (invalid > 0 || reports.length === 0 ? console.error : console.log)(summary);
  }
  return reports.length > 0 && reports.every((r) => r.valid) ? 0 : 1;
}
