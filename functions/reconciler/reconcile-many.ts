// Reconciles a selection of servers — named ones, or every document under the prefix — with
// bounded concurrency. With --all, the documents come from GetParametersByPath pages (10 per
// call) and are handed to each reconcile, so no server's document is read twice.
import { listDocuments } from './desired/load-ssm.ts';
import { mapLimit } from './concurrency.ts';
import { reconcileServer } from './reconcile.ts';
import type { ReconcileOptions } from './reconcile.ts';
import type { Outcome } from './types.ts';

export type Selection = { all: true } | { serverIds: string[] };

export interface ManyOptions extends Omit<ReconcileOptions, 'document'> {
  concurrency: number;
  /** Called as each outcome is ready (streaming output). */
  onOutcome?: (outcome: Outcome) => void;
}

export interface ManyResult {
  outcomes: Outcome[];
  /** Parameters under the prefix that are not documents of a server (bad name). */
  problems: { name: string; message: string }[];
}

export async function reconcileSelection(selection: Selection, opts: ManyOptions): Promise<ManyResult> {
  const { concurrency, onOutcome, ...one } = opts;
  const report = (o: Outcome): Outcome => {
    onOutcome?.(o);
    return o;
  };
  if ('serverIds' in selection) {
    const ids = [...new Set(selection.serverIds)];
    const outcomes = await mapLimit(ids, concurrency, async (id) => report(await reconcileServer(id, one)));
    return { outcomes, problems: [] };
  }
  const listed = await listDocuments(opts.clients.ssm, opts.prefix);
  const outcomes = await mapLimit(listed.documents, concurrency, async (doc) =>
    report(await reconcileServer(doc.serverId, { ...one, document: { name: doc.name, text: doc.text, version: doc.version, type: doc.type } })),
  );
  return { outcomes, problems: listed.problems };
}
