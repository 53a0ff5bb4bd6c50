// Test host keys that the suite can look for afterwards. Every key made with `markedHostKey` has
// its base64 body lines recorded in the run's secret registry (a folder that scripts/run-tests.mjs
// creates and scans at the end); `captureOutput` records text the product printed (CLI output,
// log lines, outcomes). After the last test the runner checks that no recorded key line appears in
// any captured output or in the runner's own output — the hygiene check covers the whole suite.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateHostKey } from '../../functions/shared/ssh-key.ts';

const registry = process.env.TR_SECRET_REGISTRY;

/** Lines of a private key that are key material (not the BEGIN/END armour). */
export function keyMaterialLines(privateKey: string): string[] {
  return privateKey
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length >= 16 && !l.startsWith('-----'));
}

export function markedHostKey(kind: 'rsa' | 'ecdsa' | 'ed25519' = 'ed25519', format: 'pem' | 'openssh' = 'pem'): string {
  return markKey(generateHostKey(kind, { format }));
}

/** Records an existing key (a fixture) for the end-of-suite scan, as markedHostKey does; returns it. */
export function markKey(key: string): string {
  if (registry) {
    mkdirSync(join(registry, 'keys'), { recursive: true });
    appendFileSync(join(registry, 'keys', `${process.pid}.txt`), `${keyMaterialLines(key).join('\n')}\n`);
  }
  return key;
}

/** Records output the product produced, for the end-of-suite scan. */
export function captureOutput(label: string, text: string): void {
  if (!registry || text.length === 0) return;
  mkdirSync(join(registry, 'outputs'), { recursive: true });
  appendFileSync(join(registry, 'outputs', `${process.pid}.txt`), `### ${label}\n${text}\n`);
}

/** Fails the calling test at once if `text` holds a line of `privateKey`. */
export function assertNoKeyMaterial(text: string, privateKey: string): void {
  for (const line of keyMaterialLines(privateKey)) {
    if (text.includes(line)) throw new Error('host-key material found in output');
  }
}
