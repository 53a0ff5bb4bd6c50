// Shared by `plan` and `reconcile`: build clients, reconcile the selection, print as we go.
import { createClients } from '../reconciler/aws/clients.ts';
import { countCalls } from '../reconciler/aws/call-count.ts';
import { reconcileSelection } from '../reconciler/reconcile-many.ts';
import type { ManyResult } from '../reconciler/reconcile-many.ts';
import type { Outcome } from '../reconciler/types.ts';
import { outcomeLines, summaryLine } from './format/outcome-text.ts';
import { globalSettings } from './options.ts';
import { selectionFrom } from './selection.ts';

export async function runSelection(values: Record<string, unknown>, options: { detect: boolean }): Promise<ManyResult> {
  const selection = selectionFrom(values as { server?: string[]; all?: boolean });
  const settings = globalSettings(values);
  const clients = createClients(settings.aws);
  countCalls(clients.transfer);
  countCalls(clients.ssm);
  const json = values.json === true;
  const result = await reconcileSelection(selection, {
    clients,
    prefix: settings.prefix,
    trigger: 'cli',
    deadline: Date.now() + settings.timeoutMs,
    concurrency: settings.concurrency,
    ...(options.detect ? { modeOverride: 'detect' as const } : {}),
    onOutcome: (o: Outcome) => {
      if (json) process.stdout.write(`${JSON.stringify(o)}\n`);
      else console.log(outcomeLines(o).join('\n'));
    },
  });
  for (const p of result.problems) console.error(`${p.name}: ${p.message}`);
  if (!json) console.log(summaryLine(result.outcomes));
  return result;
}
