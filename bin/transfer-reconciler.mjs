#!/usr/bin/env node
// The CLI is built by `npm ci` (prepare) into dist/; this file only loads it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
if (!existsSync(built)) {
  console.error('transfer-reconciler: dist/cli.mjs is missing; run "npm ci" or "npm run build" first.');
  process.exit(1);
}
await import(built);
