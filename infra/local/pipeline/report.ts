// What the local pipeline prints per reconcile (`transfer-reconciler emulator --pipeline`): one
// line per server reconciled — server, trigger, reason(s), result — then the outcome's details in
// the CLI's own outcome format (never key material: outcomes carry fingerprints only). Built from
// the Lambdas' log lines: the worker logs each outcome, then one "batch" line naming every group's
// reasons; the enumerator logs the servers it found without a document (unmanaged).
import { outcomeLines } from '../../../functions/cli/format/outcome-text.ts';
import type { Outcome } from '../../../functions/reconciler/types.ts';
import type { LogLine } from '../lambda/captured-observability.ts';
import type { FunctionName } from './runner.ts';

interface BatchGroup {
  serverId?: string;
  reasons?: string[];
  result?: string;
}

/** A log-line listener that prints (through `print`) one block per reconcile. */
export function reconcileReporter(print: (line: string) => void): (from: FunctionName, raw: string, parsed: LogLine) => void {
  const pending = new Map<string, Outcome>();
  const block = (serverId: string, trigger: string, reasons: string, result: string, o: Outcome | undefined): void => {
    print(`reconcile ${serverId}  trigger: ${trigger}  reason: ${reasons}  result: ${result}`);
    for (const l of o ? outcomeLines(o).slice(1) : []) print(l);
  };
  return (from, _raw, parsed) => {
    if (parsed.message === 'outcome') {
      const o = parsed.outcome as Outcome;
      if (from === 'enumerator') block(o.serverId, 'schedule', 'schedule', o.result, o);
      else pending.set(o.serverId, o);
      return;
    }
    if (from !== 'worker' || parsed.message !== 'batch') return;
    for (const g of (parsed.groups as BatchGroup[] | undefined) ?? []) {
      if (g.serverId === undefined) continue;
      const o = pending.get(g.serverId);
      pending.delete(g.serverId);
      block(g.serverId, o?.trigger ?? '-', (g.reasons ?? []).join('+') || '-', g.result ?? 'failed (retried)', o);
    }
  };
}
