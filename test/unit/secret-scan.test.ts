import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error -- plain ESM script without type declarations
import { scanSecrets } from '../../scripts/scan-secrets.mjs';
import { generateHostKey } from '../../functions/shared/ssh-key.ts';
import { keyMaterialLines } from '../helpers/secrets.ts';

function registryWith(key: string, outputs: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'scan-test-'));
  mkdirSync(join(dir, 'keys'));
  mkdirSync(join(dir, 'outputs'));
  writeFileSync(join(dir, 'keys', '1.txt'), keyMaterialLines(key).join('\n'));
  outputs.forEach((o, i) => writeFileSync(join(dir, 'outputs', `${i}.txt`), o));
  return dir;
}

test('the end-of-suite scan finds a key line in any captured output or in the runner output', () => {
  const key = generateHostKey('rsa');
  const line = keyMaterialLines(key)[3] as string;
  assert.ok(line.length >= 16);
  const clean = scanSecrets(registryWith(key, ['fingerprint SHA256:abc', 'nothing here']), 'runner says hi');
  assert.equal(clean.hits, 0);
  assert.ok(clean.keyLines > 10);
  assert.equal(scanSecrets(registryWith(key, [`leaked: ${line}`]), '').hits, 1);
  assert.equal(scanSecrets(registryWith(key, []), `runner printed ${line}`).hits, 1);
});
