// Reconciles a selection of servers — named ones, or every document under the prefix — with
// bounded concurrency. With --all, the documents come from GetParametersByPath pages (10 per
// call) and are handed to each reconcile, so no server's document is read twice.
import type { SSMClient } from '@aws-sdk/client-ssm';
import { listDocuments } from './desired/load-ssm.ts';
import { mapLimit } from './concurrency.ts';
import { reconcileServer } from './reconcile.ts';
import type { PreloadedDocument, ReconcileOptions } from './reconcile.ts';
import type { Outcome } from './types.ts';

export type Selection = { all: true } | { serverIds: string[] };

/** One server to reconcile, with its document when it was already read (or comes from a file). */
export interface WorkItem {
  serverId: string;
  document?: PreloadedDocument;
}

export interface Problem {
  name: string;
  message: string;
}

export interface ManyOptions extends Omit<ReconcileOptions, 'document'> {
  concurrency: number;
  /** Called once the number of servers is known, before the first reconcile. */
  onStart?: (total: number) => void;
  /** Called as each outcome is ready (streaming output). */
  onOutcome?: (outcome: Outcome) => void;
}

export interface ManyResult {
  outcomes: Outcome[];
  /** Parameters under the prefix that are not documents of a server (bad name). */
  problems: Problem[];
}

export async function selectWork(selection: Selection, ssm: SSMClient, prefix: string): Promise<{ work: WorkItem[]; problems: Problem[] }> {
  if ('serverIds' in selection) return { work: [...new Set(selection.serverIds)].map((serverId) => ({ serverId })), problems: [] };
  const listed = await listDocuments(ssm, prefix);
  return {
    work: listed.documents.map((d) => ({
      serverId: d.serverId,
      document: { name: d.name, text: d.text, version: d.version, type: d.type },
    })),
    problems: listed.problems,
  };
}

export async function reconcileWork(work: readonly WorkItem[], opts: ManyOptions): Promise<Outcome[]> {
  const { concurrency, onOutcome, onStart: _onStart, ...one } = opts;
  return mapLimit(work, concurrency, async (w) => {
    const outcome = await reconcileServer(w.serverId, w.document ? { ...one, document: w.document } : one);
    onOutcome?.(outcome);
    return outcome;
  });
}

export async function reconcileSelection(selection: Selection, opts: ManyOptions): Promise<ManyResult> {
  const { work, problems } = await selectWork(selection, opts.clients.ssm, opts.prefix);
  opts.onStart?.(work.length);
  return { outcomes: await reconcileWork(work, opts), problems };
}
