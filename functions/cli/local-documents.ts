// Desired-state files from a git checkout, statically validated, with the accounts file that
// allows their accounts and regions (docs/accounts.md): what `push` writes and what `plan --dir`
// plans. Every problem keeps its file and JSON path for the `<file>: <path>: <message>` lines; an
// invalid accounts file is one more invalid file.
import { findAccountsFile, isAccountsFileName, loadAccountsFile } from '../reconciler/desired/accounts-file.ts';
import type { LoadedAccounts } from '../reconciler/desired/accounts-file.ts';
import type { KnownAccounts } from '../reconciler/desired/accounts-listing.ts';
import { unlistedProblem } from '../reconciler/desired/accounts-listing.ts';
import { loadDocumentFiles } from '../reconciler/desired/load-files.ts';
import type { ServerAddress } from '../reconciler/desired/server-address.ts';
import { validateStatic } from '../reconciler/desired/validate-static.ts';
import type { Issue } from '../reconciler/types.ts';

export interface ValidFile {
  path: string;
  serverId: string;
  address: ServerAddress;
  raw: unknown;
  warnings: string[];
}
export interface InvalidFile {
  path: string;
  serverId?: string;
  address?: ServerAddress;
  issues: Issue[];
  warnings: string[];
}

export interface LocalFiles {
  valid: ValidFile[];
  invalid: InvalidFile[];
  /** The accounts file found or given (valid or not); absent when there is none. */
  accounts?: LoadedAccounts;
}

export interface LocalOptions {
  /** `--accounts FILE`; otherwise found next to or above the paths (accounts-file.ts). */
  accountsFile?: string;
}

/** The accounts file for these paths, loaded; an unusable one is an invalid file. */
export async function localAccounts(
  paths: string[],
  documents: string[],
  options: LocalOptions = {},
): Promise<{ accounts?: LoadedAccounts; known?: KnownAccounts }> {
  const found = findAccountsFile(paths, documents, options.accountsFile);
  if (found.problem !== undefined)
    return { accounts: { ok: false, path: options.accountsFile ?? paths.join(', '), issues: [{ path: '$', message: found.problem }] } };
  if (found.path === undefined) return {};
  const accounts = await loadAccountsFile(found.path);
  return { accounts, ...(accounts.ok ? { known: { source: accounts.path, accounts: accounts.accounts } } : {}) };
}

export async function loadLocalDocuments(paths: string[], options: LocalOptions = {}): Promise<LocalFiles> {
  const files = await loadDocumentFiles(paths.filter((p) => !isAccountsFileName(p)));
  const { accounts, known } = await localAccounts(
    paths,
    files.map((f) => f.path),
    options,
  );
  const out: LocalFiles = { valid: [], invalid: [], ...(accounts ? { accounts } : {}) };
  if (accounts && !accounts.ok) out.invalid.push({ path: accounts.path, issues: accounts.issues, warnings: [] });
  for (const f of files) {
    const where = { ...(f.serverId ? { serverId: f.serverId } : {}), ...(f.address ? { address: f.address } : {}) };
    if (!f.ok) {
      out.invalid.push({ path: f.path, ...where, issues: f.issues, warnings: [] });
      continue;
    }
    const address = f.address ?? { serverId: f.serverId };
    const unlisted = unlistedProblem(address, known);
    // With an unusable accounts file, its own problems are reported instead of one per document.
    const listing: Issue[] = unlisted !== undefined && (accounts === undefined || accounts.ok) ? [{ path: '$', message: unlisted }] : [];
    const r = validateStatic(f.raw, { source: f.path, expectedServerId: f.serverId });
    const issues = [...listing, ...(r.ok ? [] : r.issues)];
    if (issues.length === 0) out.valid.push({ path: f.path, serverId: f.serverId, address, raw: f.raw, warnings: r.warnings });
    else out.invalid.push({ path: f.path, ...where, issues, warnings: r.warnings });
  }
  return out;
}

export function problemLines(files: InvalidFile[]): string[] {
  return files.flatMap((f) => f.issues.map((i) => `${f.path}: ${i.path}: ${i.message}`));
}
