// Desired-state files from a git checkout: one file per server, `<ServerId>.json|.yaml|.yml`, in
// any folder (`<AccountId>/<Region>/<ServerId>.yaml` for another account: server-address.ts).
// Each path may be a file or a folder (searched recursively; accounts files are not documents and
// are skipped). Every file comes back, parsed or with its issues; two files for the same server
// are both reported.
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Issue } from '../types.ts';
import type { DocumentFormat } from './parse.ts';
import { formatOfPath, parseDocumentText } from './parse.ts';
import { isAccountsFileName } from './accounts-file.ts';
import type { ServerAddress } from './server-address.ts';
import { addressKey, addressOfPath } from './server-address.ts';
import { isServerId } from './server-id.ts';

export type FileDocument =
  | {
      ok: true;
      path: string;
      serverId: string;
      /** Only for a document of another account (<AccountId>/<Region>/<ServerId>.yaml); absent: the hub's. */
      address?: ServerAddress;
      format: DocumentFormat;
      raw: unknown;
      sizeBytes: number;
    }
  | {
      ok: false;
      path: string;
      serverId?: string;
      /** As above: set only for a well-formed address of another account. */
      address?: ServerAddress;
      format?: DocumentFormat;
      issues: Issue[];
      /** The parsed content when the text parsed (a misnamed or duplicate file): its own problems are still worth reporting. */
      raw?: unknown;
    };

/** Folders that never hold documents (and can be huge). */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

async function collect(path: string, out: string[], problems: FileDocument[]): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch {
    problems.push({ ok: false, path, issues: [{ path: '$', message: 'no such file or folder' }] });
    return;
  }
  if (info.isFile()) {
    out.push(path);
    return;
  }
  if (!info.isDirectory()) return;
  const entries = await readdir(path, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) await collect(child, out, problems);
    } else if (entry.isFile() && formatOfPath(entry.name) !== undefined && !isAccountsFileName(entry.name)) {
      out.push(child);
    }
  }
}

async function loadOne(path: string): Promise<FileDocument> {
  const format = formatOfPath(path);
  if (format === undefined)
    return { ok: false, path, issues: [{ path: '$', message: 'not a document: the file name must end in .json, .yaml or .yml' }] };
  const stem = basename(path).replace(/\.(?:json|ya?ml)$/i, '');
  const serverId = isServerId(stem) ? stem : undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return {
      ok: false,
      path,
      format,
      issues: [{ path: '$', message: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})` }],
    };
  }
  const issues: Issue[] = [];
  const placed = addressOfPath(path);
  const address = placed.ok ? placed.address : undefined;
  const other = address?.accountId !== undefined ? { address } : {};
  if (!placed.ok && serverId !== undefined) issues.push({ path: '$', message: `${placed.message}.` });
  if (serverId === undefined) {
    issues.push({
      path: '$',
      message: `the file name must be <ServerId>.${format === 'json' ? 'json' : 'yaml'}, where ServerId is s- and 17 lowercase hex digits (for example s-0123456789abcdef0.${format}); rename the file.`,
    });
  }
  const parsed = parseDocumentText(text, format);
  if (!parsed.ok) issues.push(...parsed.issues);
  const where = { ...(serverId ? { serverId } : {}), ...other };
  if (!parsed.ok) return { ok: false, path, format, ...where, issues };
  if (serverId === undefined || address === undefined) return { ok: false, path, format, ...where, issues, raw: parsed.value };
  return { ok: true, path, serverId, ...other, format, raw: parsed.value, sizeBytes: Buffer.byteLength(text, 'utf8') };
}

export async function loadDocumentFiles(paths: string[]): Promise<FileDocument[]> {
  const files: string[] = [];
  const problems: FileDocument[] = [];
  for (const path of paths) await collect(path, files, problems);
  const unique = [...new Set(files)];
  const loaded = await Promise.all(unique.map(loadOne));
  // One server per address: the same ServerId in two accounts (or regions) is two servers.
  const keyOf = (doc: FileDocument): string | undefined =>
    doc.address ? addressKey(doc.address) : doc.serverId !== undefined && addressOfPath(doc.path).ok ? doc.serverId : undefined;
  const byServer = new Map<string, string[]>();
  for (const doc of loaded) {
    const key = keyOf(doc);
    if (key !== undefined) byServer.set(key, [...(byServer.get(key) ?? []), doc.path]);
  }
  const result = loaded.map((doc): FileDocument => {
    const key = keyOf(doc);
    const same = key === undefined ? [] : (byServer.get(key) ?? []).filter((p) => p !== doc.path);
    if (same.length === 0) return doc;
    const issue: Issue = { path: '$', message: `${key} is also defined in ${same.join(', ')}; keep one file per server.` };
    const raw = doc.raw === undefined ? {} : { raw: doc.raw };
    return {
      ok: false,
      path: doc.path,
      format: doc.format,
      serverId: doc.serverId,
      ...(doc.address ? { address: doc.address } : {}),
      issues: [...(doc.ok ? [] : doc.issues), issue],
      ...raw,
    };
  });
  return [...problems, ...result];
}
