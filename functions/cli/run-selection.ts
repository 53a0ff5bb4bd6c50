// Shared by `plan` and `reconcile`: build clients, decide which servers (named ones, every
// document under the prefix, or — plan only — every file under --dir), reconcile them with bounded
// concurrency and hand each outcome to the command's reporter as it is ready. It does what
// reconcileSelection does (one listing, documents handed over, never read twice) with two more
// needs of a terminal: the total before the first outcome (progress bar) and documents from files.
import { createClients } from '../reconciler/aws/clients.ts';
import type { AwsClients } from '../reconciler/aws/clients.ts';
import { countCalls } from '../reconciler/aws/call-count.ts';
import { mapLimit } from '../reconciler/concurrency.ts';
import { listDocuments } from '../reconciler/desired/load-ssm.ts';
import { parameterText } from '../reconciler/desired/push-plan.ts';
import { reconcileServer } from '../reconciler/reconcile.ts';
import type { PreloadedDocument } from '../reconciler/reconcile.ts';
import type { Outcome } from '../reconciler/types.ts';
import { loadLocalDocuments } from './local-documents.ts';
import type { InvalidFile } from './local-documents.ts';
import { globalSettings } from './options.ts';
import type { GlobalSettings } from './options.ts';
import { selectionFrom, serverIdsFrom } from './selection.ts';

export interface Problem { name: string; message: string }

export interface SelectionRun {
  outcomes: Outcome[];
  /** Parameters or files that are not a server's document (bad name). */
  problems: Problem[];
}

export interface SelectionReporter {
  /** How many servers will be reconciled (known once the documents are listed). */
  start?(total: number): void;
  outcome?(o: Outcome): void;
}

/** One server to reconcile, or a file whose outcome is known without AWS (it is invalid). */
type Work = { serverId: string; document?: PreloadedDocument } | { outcome: Outcome };

function invalidFileOutcome(f: InvalidFile & { serverId: string }): Outcome {
  return {
    serverId: f.serverId,
    parameter: { name: f.path },
    trigger: 'cli',
    mode: 'detect',
    result: 'invalid',
    changes: [],
    calls: {},
    durationMs: 0,
    warnings: f.warnings,
    issues: f.issues,
    error: { code: 'InvalidDesiredState', message: `${f.path}: ${f.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, retryable: false },
  };
}

/** `plan --dir`: the documents come from files (source name = the path); nothing is read from SSM for them. */
async function workFromFiles(dirs: string[], only: Set<string> | undefined): Promise<{ work: Work[]; problems: Problem[] }> {
  const files = await loadLocalDocuments(dirs);
  const problems: Problem[] = [];
  const entries: Array<{ path: string; work: Work }> = [];
  for (const f of files.valid) {
    if (!only || only.has(f.serverId)) entries.push({ path: f.path, work: { serverId: f.serverId, document: { name: f.path, text: parameterText(f.raw) } } });
  }
  for (const f of files.invalid) {
    if (f.serverId === undefined) {
      for (const i of f.issues) problems.push({ name: f.path, message: `${i.path}: ${i.message}` });
    } else if (!only || only.has(f.serverId)) {
      entries.push({ path: f.path, work: { outcome: invalidFileOutcome({ ...f, serverId: f.serverId }) } });
    }
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (files.valid.length + files.invalid.length === 0) problems.push({ name: dirs.join(', '), message: 'no documents found (<ServerId>.json, .yaml or .yml)' });
  return { work: entries.map((e) => e.work), problems };
}

async function workFromSsm(values: Record<string, unknown>, clients: AwsClients, prefix: string): Promise<{ work: Work[]; problems: Problem[] }> {
  const selection = selectionFrom(values as { server?: string[]; all?: boolean });
  if ('serverIds' in selection) return { work: [...new Set(selection.serverIds)].map((serverId) => ({ serverId })), problems: [] };
  const listed = await listDocuments(clients.ssm, prefix);
  return {
    work: listed.documents.map((d) => ({ serverId: d.serverId, document: { name: d.name, text: d.text, type: d.type, ...(d.version !== undefined ? { version: d.version } : {}) } })),
    problems: listed.problems,
  };
}

export async function runSelection(values: Record<string, unknown>, options: { detect: boolean; reporter?: SelectionReporter; settings?: GlobalSettings }): Promise<SelectionRun> {
  const settings = options.settings ?? globalSettings(values);
  const dirs = Array.isArray(values.dir) ? (values.dir as string[]) : undefined;
  const clients = createClients(settings.aws);
  countCalls(clients.transfer);
  countCalls(clients.ssm);
  try {
    const { work, problems } = dirs
      ? await workFromFiles(dirs, serverIdsFrom(values as { server?: string[] }))
      : await workFromSsm(values, clients, settings.prefix);
    options.reporter?.start?.(work.length);
    const deadline = Date.now() + settings.timeoutMs;
    const outcomes = await mapLimit(work, settings.concurrency, async (w) => {
      const outcome = 'outcome' in w
        ? w.outcome
        : await reconcileServer(w.serverId, {
          clients, prefix: settings.prefix, trigger: 'cli', deadline,
          ...(options.detect ? { modeOverride: 'detect' as const } : {}),
          ...(w.document ? { document: w.document } : {}),
        });
      options.reporter?.outcome?.(outcome);
      return outcome;
    });
    return { outcomes, problems };
  } finally {
    clients.transfer.destroy();
    clients.ssm.destroy();
  }
}
