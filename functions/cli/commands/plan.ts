// transfer-reconciler plan (--server ID... | --all) [--json] — a dry run: reads SSM and
// DescribeServer, writes nothing.
import type { Outcome } from '../../reconciler/types.ts';
import { runSelection } from '../run-selection.ts';
import { GLOBAL_HELP, parse } from '../options.ts';

const HELP = `usage: transfer-reconciler plan (--server ID... | --all) [--json]

Shows what reconcile would change, without writing anything.
  --server ID   a server to plan (repeatable)
  --all         every document under the prefix
  --json        one outcome object per line (NDJSON) on stdout
exit: 0 no changes; 2 changes pending; 1 an error (invalid document, missing server, ...)

${GLOBAL_HELP}`;

export function planExitCode(outcomes: Outcome[], problems: number): number {
  if (problems > 0 || outcomes.some((o) => o.result !== 'in-sync' && o.result !== 'drift-detected')) return 1;
  return outcomes.some((o) => o.result === 'drift-detected') ? 2 : 0;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    server: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const result = await runSelection(values, { detect: true });
  return planExitCode(result.outcomes, result.problems.length);
}
