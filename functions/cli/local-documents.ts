// Desired-state files from a git checkout, statically validated: what `push` writes and what
// `plan --dir` plans. Every problem keeps its file and JSON path for the `<file>: <path>: <message>` lines.
import { loadDocumentFiles } from '../reconciler/desired/load-files.ts';
import { validateStatic } from '../reconciler/desired/validate-static.ts';
import type { Issue } from '../reconciler/types.ts';

export interface ValidFile {
  path: string;
  serverId: string;
  raw: unknown;
  warnings: string[];
}
export interface InvalidFile {
  path: string;
  serverId?: string;
  issues: Issue[];
  warnings: string[];
}

export interface LocalFiles {
  valid: ValidFile[];
  invalid: InvalidFile[];
}

export async function loadLocalDocuments(paths: string[]): Promise<LocalFiles> {
  const out: LocalFiles = { valid: [], invalid: [] };
  for (const f of await loadDocumentFiles(paths)) {
    if (!f.ok) {
      out.invalid.push({ path: f.path, ...(f.serverId ? { serverId: f.serverId } : {}), issues: f.issues, warnings: [] });
      continue;
    }
    const r = validateStatic(f.raw, { source: f.path, expectedServerId: f.serverId });
    if (r.ok) out.valid.push({ path: f.path, serverId: f.serverId, raw: f.raw, warnings: r.warnings });
    else out.invalid.push({ path: f.path, serverId: f.serverId, issues: r.issues, warnings: r.warnings });
  }
  return out;
}

export function problemLines(files: InvalidFile[]): string[] {
  return files.flatMap((f) => f.issues.map((i) => `${f.path}: ${i.path}: ${i.message}`));
}
