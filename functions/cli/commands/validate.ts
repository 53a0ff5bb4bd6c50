// transfer-reconciler validate <file|dir>... — offline static validation of documents in git.
import { parseArgs } from 'node:util';
import { loadDocumentFiles } from '../../reconciler/desired/load-files.ts';
import { validateStatic } from '../../reconciler/desired/validate-static.ts';
import type { Issue } from '../../reconciler/types.ts';
import { UsageError } from '../options.ts';

const HELP = `usage: transfer-reconciler validate <file|dir>... [--json]

Checks desired-state documents (<ServerId>.json, .yaml or .yml; folders are searched) without
AWS: types, the service model's lengths, patterns and enums, the rules a document decides alone,
unknown keys (with the closest valid one), the parameter size limit.
Each problem is printed as <file>: <json-path>: <message>.
exit: 0 every document valid; 1 any invalid`;

export interface FileReport {
  path: string;
  serverId?: string;
  valid: boolean;
  issues: Issue[];
  warnings: string[];
}

export async function validatePaths(paths: string[]): Promise<FileReport[]> {
  const files = await loadDocumentFiles(paths);
  return files.map((f) => {
    if (!f.ok) {
      // A misnamed (or duplicate) file that parsed: its name problem first, then every problem
      // of its content, as for a well-named file (a misnamed one checked for no particular server).
      const content =
        f.raw === undefined ? undefined : validateStatic(f.raw, { source: f.path, expectedServerId: f.serverId, sizeBytes: undefined });
      const contentIssues = content && !content.ok ? content.issues : [];
      return {
        path: f.path,
        serverId: f.serverId,
        valid: false,
        issues: [...f.issues, ...contentIssues],
        warnings: content?.warnings ?? [],
      };
    }
    const r = validateStatic(f.raw, { source: f.path, expectedServerId: f.serverId, sizeBytes: undefined });
    return r.ok
      ? { path: f.path, serverId: f.serverId, valid: true, issues: [], warnings: r.warnings }
      : { path: f.path, serverId: f.serverId, valid: false, issues: r.issues, warnings: r.warnings };
  });
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
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
  const reports = await validatePaths(parsed.positionals);
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
