// Finding and reading the accounts file in a git checkout (docs/accounts.md): `--accounts FILE`,
// or an accounts file given as one of the paths; otherwise, for each document and each folder
// given that holds none, the nearest accounts.yaml (or .yml, .json) in its folder or one above, up to the
// git root (the folder holding .git). Outside a git repository the search stops at the path given,
// so a stray file in /tmp is never picked up. One run uses one accounts file: finding two is an error.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Issue } from '../types.ts';
import type { AccountsFile } from './accounts-rules.ts';
import { validateAccounts } from './accounts-rules.ts';
import { formatOfPath, parseDocumentText } from './parse.ts';

export const ACCOUNTS_FILE_NAMES = ['accounts.yaml', 'accounts.yml', 'accounts.json'] as const;

export function isAccountsFileName(path: string): boolean {
  return (ACCOUNTS_FILE_NAMES as readonly string[]).includes(basename(path).toLowerCase());
}

export type LoadedAccounts =
  { ok: true; path: string; accounts: AccountsFile; text: string } | { ok: false; path: string; issues: Issue[] };

export type FoundAccounts = { path?: string; problem?: undefined } | { path?: undefined; problem: string };

function gitRoot(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

function inFolder(dir: string): string[] {
  return ACCOUNTS_FILE_NAMES.map((n) => join(dir, n)).filter((p) => existsSync(p));
}

function folderOf(path: string): string {
  const full = resolve(path);
  return existsSync(full) && statSync(full).isDirectory() ? full : dirname(full);
}

/** The nearest accounts file from `start` up to `stop` (the git root, or the folder given). */
function nearest(start: string, stop: string): { path?: string; problem?: string } {
  for (let d = start; ; d = dirname(d)) {
    const here = inFolder(d);
    if (here.length > 1) return { problem: `${here.join(' and ')}: two accounts files in one folder; keep one` };
    if (here[0] !== undefined) return { path: here[0] };
    if (d === stop || dirname(d) === d || !d.startsWith(stop)) return {};
  }
}

/**
 * The one accounts file for these paths and the documents found under them, or why there is no
 * single one. `documents` are document files; each is looked up from its own folder.
 */
export function findAccountsFile(paths: readonly string[], documents: readonly string[], explicit?: string): FoundAccounts {
  if (explicit !== undefined) return { path: explicit };
  const given = paths.filter(isAccountsFileName);
  if (given.length > 1) return { problem: `${given.join(' and ')}: more than one accounts file given; give one` };
  if (given[0] !== undefined) return { path: given[0] };
  const found = new Map<string, string>();
  for (const root of paths) {
    const top = folderOf(root);
    const stop = gitRoot(top) ?? top;
    const inside = documents.filter((d) => resolve(d) === resolve(root) || resolve(d).startsWith(`${top}/`));
    // Each document looks from its own folder; a folder given with no documents, from itself.
    const starts = inside.length > 0 ? inside.map((d) => dirname(resolve(d))) : [top];
    for (const start of starts) {
      const n = nearest(start, stop);
      if (n.problem !== undefined) return { problem: n.problem };
      if (n.path !== undefined && !found.has(n.path)) found.set(n.path, start);
    }
  }
  if (found.size > 1)
    return {
      problem: `more than one accounts file applies (${[...found.keys()].join(', ')}): one run uses one accounts file; give --accounts FILE or push the folders separately`,
    };
  const [only] = found.keys();
  return only === undefined ? {} : { path: only };
}

export async function loadAccountsFile(path: string): Promise<LoadedAccounts> {
  const format = formatOfPath(path);
  if (format === undefined)
    return { ok: false, path, issues: [{ path: '$', message: 'an accounts file must end in .yaml, .yml or .json' }] };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return {
      ok: false,
      path,
      issues: [{ path: '$', message: `cannot read the accounts file (${(err as NodeJS.ErrnoException).code ?? 'error'})` }],
    };
  }
  const parsed = parseDocumentText(text, format);
  if (!parsed.ok) return { ok: false, path, issues: parsed.issues };
  const checked = validateAccounts(parsed.value);
  return checked.ok ? { ok: true, path, accounts: checked.accounts, text } : { ok: false, path, issues: checked.issues };
}
