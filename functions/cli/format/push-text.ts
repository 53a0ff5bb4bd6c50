// Lines `push` prints: `+ created  /prefix/s-…`, `~ updated …`, `= unchanged …`, `- deleted …`
// (with --dry-run: `+ would create …`), each with the file it came from, and a summary line.
import type { PushAction } from '../../reconciler/desired/push-plan.ts';
import type { Paint } from './colour.ts';

export interface PushResult {
  action: PushAction;
  /** Version and tier SSM answered (absent on a dry run, for unchanged and deleted parameters). */
  version?: number;
  tier?: string;
  error?: { code: string; message: string };
}

const DONE = { create: 'created', update: 'updated', unchanged: 'unchanged', delete: 'deleted' } as const;
const WOULD = { create: 'would create', update: 'would update', unchanged: 'unchanged', delete: 'would delete' } as const;
const SIGN = { create: '+', update: '~', unchanged: '=', delete: '-' } as const;

export function pushLine(r: PushResult, dryRun: boolean, p: Paint): string {
  const a = r.action;
  if (r.error) return p.red(`! failed     ${a.name}: ${r.error.code}: ${r.error.message}`);
  const verb = (dryRun ? WOULD : DONE)[a.kind];
  const details: string[] = [];
  if (r.version !== undefined) details.push(`v${r.version}`);
  else if (a.kind === 'unchanged' && a.version !== undefined) details.push(`v${a.version}`);
  if (a.kind === 'create' || a.kind === 'update') details.push(r.tier ?? a.tier);
  const from = a.kind === 'delete' ? 'its file is gone' : `from ${a.file}`;
  const line = `${SIGN[a.kind]} ${verb.padEnd(12)} ${a.name}  (${[...details, from].join(', ')})`;
  return a.kind === 'create' ? p.green(line) : a.kind === 'update' ? p.yellow(line) : a.kind === 'delete' ? p.red(line) : p.dim(line);
}

export interface PushCounts {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: number;
}

export function pushCounts(results: PushResult[]): PushCounts {
  const c: PushCounts = { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0 };
  for (const r of results) {
    if (r.error) c.failed += 1;
    else c[DONE[r.action.kind]] += 1;
  }
  return c;
}

export function pushSummaryLine(results: PushResult[], dryRun: boolean, pruned: boolean): string {
  const c = pushCounts(results);
  const deleted = pruned ? `, ${c.deleted} ${dryRun ? 'to delete' : 'deleted'}` : '';
  const failed = c.failed > 0 ? `, ${c.failed} failed` : '';
  if (dryRun)
    return `Push (dry run): ${c.created} to create, ${c.updated} to update, ${c.unchanged} unchanged${deleted}. Nothing was written.`;
  return `Push: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged${deleted}${failed}.`;
}
