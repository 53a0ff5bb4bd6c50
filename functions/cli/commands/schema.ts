// transfer-reconciler schema — prints the desired-state document's JSON Schema (draft 2020-12),
// the same text as the committed schema/desired-state.schema.json.
import { parseArgs } from 'node:util';
import { documentSchemaText } from '../../reconciler/desired/json-schema.ts';
import { UsageError } from '../options.ts';

const HELP = `usage: transfer-reconciler schema

Prints the JSON Schema (draft 2020-12) of a desired-state document on stdout, for editors
("$schema" in a document) and other tools. It checks types, enums, lengths and patterns;
"validate" also checks the rules between fields that a schema cannot state.
exit: 0 printed; 1 bad usage`;

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: false, strict: true }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  process.stdout.write(documentSchemaText());
  return 0;
}
