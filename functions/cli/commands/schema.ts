// transfer-reconciler schema [document|accounts] — prints the desired-state document's JSON Schema
// (draft 2020-12), the same text as the committed schema/desired-state.schema.json, or the
// accounts file's (schema/accounts.schema.json).
import { parseArgs } from 'node:util';
import { accountsSchemaText } from '../../reconciler/desired/accounts-schema.ts';
import { documentSchemaText } from '../../reconciler/desired/json-schema.ts';
import { UsageError } from '../options.ts';

const HELP = `usage: transfer-reconciler schema [document | accounts]

Prints the JSON Schema (draft 2020-12) of a desired-state document (the default) or of the
accounts file (accounts.yaml, docs/accounts.md) on stdout, for editors ("$schema") and other
tools. It checks types, enums, lengths and patterns; "validate" also checks the rules between
fields that a schema cannot state.
exit: 0 printed; 1 bad usage`;

export async function run(argv: string[]): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const [which = 'document', ...rest] = positionals;
  if (rest.length > 0 || (which !== 'document' && which !== 'accounts'))
    throw new UsageError(`schema takes "document" (the default) or "accounts", got "${positionals.join(' ')}"`);
  process.stdout.write(which === 'accounts' ? accountsSchemaText() : documentSchemaText());
  return 0;
}
