// Shared by `plan` and `reconcile`: build clients, decide which servers (named ones, every
// document under the prefix, or — plan only — every file under --dir), reconcile them with the
// engine's bounded concurrency and hand each outcome to the command's reporter as it is ready.
import { createClients } from '../reconciler/aws/clients.ts';
import type { AwsClients } from '../reconciler/aws/clients.ts';
import { countCalls } from '../reconciler/aws/call-count.ts';
import { parameterText } from '../reconciler/desired/push-plan.ts';
import { reconcileWork, selectWork } from '../reconciler/reconcile-many.ts';
import type { Problem, WorkItem } from '../reconciler/reconcile-many.ts';
import type { Outcome } from '../reconciler/types.ts';
import { loadLocalDocuments } from './local-documents.ts';
import type { InvalidFile } from './local-documents.ts';
import { globalSettings } from './options.ts';
import type { GlobalSettings } from './options.ts';
import { selectionFrom, serverIdsFrom } from './selection.ts';

export type { Problem };

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
type Work = WorkItem | { outcome: Outcome };

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
    error: {
      code: 'InvalidDesiredState',
      message: `${f.path}: ${f.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      retryable: false,
    },
  };
}

/** `plan --dir`: the documents come from files (source name = the path); nothing is read from SSM for them. */
async function workFromFiles(dirs: string[], only: Set<string> | undefined): Promise<{ work: Work[]; problems: Problem[] }> {
  const files = await loadLocalDocuments(dirs);
  const problems: Problem[] = [];
  const entries: Array<{ path: string; work: Work }> = [];
  for (const f of files.valid) {
    if (!only || only.has(f.serverId))
      entries.push({
        path: f.path,
        work: { serverId: f.serverId, document: { name: f.path, text: parameterText(f.raw), origin: 'file' } },
      });
  }
  for (const f of files.invalid) {
    if (f.serverId === undefined) {
      for (const i of f.issues) problems.push({ name: f.path, message: `${i.path}: ${i.message}` });
    } else if (!only || only.has(f.serverId)) {
      entries.push({ path: f.path, work: { outcome: invalidFileOutcome({ ...f, serverId: f.serverId }) } });
    }
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (files.valid.length + files.invalid.length === 0)
    problems.push({ name: dirs.join(', '), message: 'no documents found (<ServerId>.json, .yaml or .yml)' });
  return { work: entries.map((e) => e.work), problems };
}

async function workFromSsm(
  values: Record<string, unknown>,
  clients: AwsClients,
  prefix: string,
): Promise<{ work: Work[]; problems: Problem[] }> {
  return selectWork(selectionFrom(values as { server?: string[]; all?: boolean }), clients.ssm, prefix);
}

export async function runSelection(
  values: Record<string, unknown>,
  options: { detect: boolean; reporter?: SelectionReporter; settings?: GlobalSettings; decryptHostKeys?: boolean },
): Promise<SelectionRun> {
  const settings = options.settings ?? globalSettings(values);
  const dirs = Array.isArray(values.dir) ? (values.dir as string[]) : undefined;
  const clients = createClients(settings.aws);
  countCalls(clients.transfer);
  countCalls(clients.ssm);
  countCalls(clients.ec2);
  try {
    const { work, problems } = dirs
      ? await workFromFiles(dirs, serverIdsFrom(values as { server?: string[] }))
      : await workFromSsm(values, clients, settings.prefix);
    options.reporter?.start?.(work.length);
    const known = work.flatMap((w) => ('outcome' in w ? [w.outcome] : []));
    for (const o of known) options.reporter?.outcome?.(o);
    const reconciled = await reconcileWork(
      work.filter((w): w is WorkItem => !('outcome' in w)),
      {
        clients,
        prefix: settings.prefix,
        trigger: 'cli',
        deadline: Date.now() + settings.timeoutMs,
        concurrency: settings.concurrency,
        ...(options.detect ? { modeOverride: 'detect' as const } : {}),
        ...(options.decryptHostKeys === false ? { decryptHostKeys: false } : {}),
        onOutcome: (o) => options.reporter?.outcome?.(o),
      },
    );
    const outcomes = [...known, ...reconciled];
    return { outcomes, problems };
  } finally {
    clients.transfer.destroy();
    clients.ssm.destroy();
    clients.ec2.destroy();
  }
}
