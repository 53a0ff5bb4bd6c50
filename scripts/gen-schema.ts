// Writes schema/desired-state.schema.json from the key catalogue (`node scripts/gen-schema.ts`).
// test/unit/desired-json-schema.test.ts checks that the committed file is current.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { documentSchemaText } from '../functions/reconciler/desired/json-schema.ts';

export const SCHEMA_FILE = fileURLToPath(new URL('../schema/desired-state.schema.json', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SCHEMA_FILE, documentSchemaText());
  console.log(`wrote ${SCHEMA_FILE}`);
}
