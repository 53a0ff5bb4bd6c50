// Desired-state files from a git checkout: one file per server, `<ServerId>.json|.yaml|.yml`, in
// any folder. Each path may be a file or a folder (searched recursively). Every file comes back,
// parsed or with its issues; two files for the same server are both reported.
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Issue } from '../types.ts';
import type { DocumentFormat } from './parse.ts';
import { formatOfPath, parseDocumentText } from './parse.ts';
import { isServerId } from './server-id.ts';

export type FileDocument =
  | { ok: true; path: string; serverId: string; format: DocumentFormat; raw: unknown; sizeBytes: number }
  | {
      ok: false;
      path: string;
      serverId?: string;
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
    } else if (entry.isFile() && formatOfPath(entry.name) !== undefined) {
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
  if (serverId === undefined) {
    issues.push({
      path: '$',
      message: `the file name must be <ServerId>.${format === 'json' ? 'json' : 'yaml'}, where ServerId is s- and 17 lowercase hex digits (for example s-0123456789abcdef0.${format}); rename the file.`,
    });
  }
  const parsed = parseDocumentText(text, format);
  if (!parsed.ok) issues.push(...parsed.issues);
  if (!parsed.ok) return { ok: false, path, format, ...(serverId ? { serverId } : {}), issues };
  if (serverId === undefined) return { ok: false, path, format, issues, raw: parsed.value };
  return { ok: true, path, serverId, format, raw: parsed.value, sizeBytes: Buffer.byteLength(text, 'utf8') };
}

export async function loadDocumentFiles(paths: string[]): Promise<FileDocument[]> {
  const files: string[] = [];
  const problems: FileDocument[] = [];
  for (const path of paths) await collect(path, files, problems);
  const unique = [...new Set(files)];
  const loaded = await Promise.all(unique.map(loadOne));
  const byServer = new Map<string, string[]>();
  for (const doc of loaded) {
    if (doc.serverId !== undefined) byServer.set(doc.serverId, [...(byServer.get(doc.serverId) ?? []), doc.path]);
  }
  const result = loaded.map((doc): FileDocument => {
    const same = doc.serverId === undefined ? [] : (byServer.get(doc.serverId) ?? []).filter((p) => p !== doc.path);
    if (same.length === 0) return doc;
    const issue: Issue = { path: '$', message: `${doc.serverId} is also defined in ${same.join(', ')}; keep one file per server.` };
    const raw = doc.raw === undefined ? {} : { raw: doc.raw };
    return {
      ok: false,
      path: doc.path,
      format: doc.format,
      serverId: doc.serverId,
      issues: [...(doc.ok ? [] : doc.issues), issue],
      ...raw,
    };
  });
  return [...problems, ...result];
}
