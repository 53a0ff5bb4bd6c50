// transfer-reconciler reconcile (--server ID... | --all) [--mode detect] [--json]
import { runSelection } from '../run-selection.ts';
import { GLOBAL_HELP, UsageError, parse } from '../options.ts';

const HELP = `usage: transfer-reconciler reconcile (--server ID... | --all) [--mode detect] [--json]

Reads each server's document from SSM and the server with DescribeServer, applies the minimal
changes, verifies them, and prints one outcome per server.
  --server ID   a server to reconcile (repeatable)
  --all         every document under the prefix
  --mode detect report drift, write nothing
  --json        one outcome object per line (NDJSON) on stdout, nothing else
exit: 0 every server in-sync or updated; 1 otherwise (or an error)

${GLOBAL_HELP}`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    server: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    mode: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.mode !== undefined && values.mode !== 'detect' && values.mode !== 'enforce') {
    throw new UsageError(`--mode must be "detect" (or "enforce", the default), got "${values.mode}"`);
  }
  const result = await runSelection(values, { detect: values.mode === 'detect' });
  const ok = result.problems.length === 0 && result.outcomes.every((o) => o.result === 'in-sync' || o.result === 'updated');
  return ok ? 0 : 1;
}
