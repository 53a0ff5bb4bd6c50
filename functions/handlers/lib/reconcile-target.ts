// The work one Parameter Store change asks for, as outcomes: a document's server reconciled
// (or reported unmanaged when the document was deleted — the server is not even read), or
// every server whose document references a changed host key (one GetParametersByPath listing).
import { mapLimit } from '../../reconciler/concurrency.ts';
import { listDocuments } from '../../reconciler/desired/load-ssm.ts';
import { reconcileServer } from '../../reconciler/reconcile.ts';
import type { ReconcileOptions } from '../../reconciler/reconcile.ts';
import { unmanagedOutcome } from '../../reconciler/sweep.ts';
import type { Outcome } from '../../reconciler/types.ts';
import type { HandlerDeps } from './deps.ts';
import { documentsReferencing } from './host-key-references.ts';
import { targetOf } from './parameter-event.ts';
import type { ParameterChangeEvent } from './parameter-event.ts';

export type Handled = { ignored: string; outcomes?: undefined } | { ignored?: undefined; outcomes: Outcome[] };

export async function reconcileTarget(
  event: ParameterChangeEvent,
  deadline: number,
  deps: Pick<HandlerDeps, 'config' | 'clients' | 'clock'>,
): Promise<Handled> {
  const { config, clients, clock } = deps;
  const target = targetOf(event, config);
  const base: Omit<ReconcileOptions, 'document'> = {
    clients,
    prefix: config.prefix,
    trigger: 'event',
    deadline,
    offlineWindowMs: config.offlineWindowMs,
    ...(clock ? { clock } : {}),
    ...(config.mode === 'detect' ? { modeOverride: 'detect' as const } : {}),
  };
  switch (target.kind) {
    case 'ignored':
      return { ignored: target.reason };
    case 'document':
      if (target.deleted) {
        return {
          outcomes: [
            unmanagedOutcome(
              target.serverId,
              target.name,
              'event',
              config.mode,
              'the desired-state document was deleted; the server is no longer managed and was left as it is',
            ),
          ],
        };
      }
      return { outcomes: [await reconcileServer(target.serverId, base)] };
    case 'host-key': {
      const listed = await listDocuments(clients.ssm, config.prefix);
      const docs = documentsReferencing(listed.documents, target.name);
      const outcomes = await mapLimit(docs, config.concurrency, (doc) =>
        reconcileServer(doc.serverId, { ...base, document: { name: doc.name, text: doc.text, version: doc.version, type: doc.type } }),
      );
      return { outcomes };
    }
  }
}
