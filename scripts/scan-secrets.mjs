// End-of-suite secret hygiene check (run by scripts/run-tests.mjs): every key line the tests
// registered (test/helpers/secrets.ts) is looked for in every captured output and in the test
// runner's own output. Prints one line with the figures; exits 1 on any hit.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export function scanSecrets(registry, runnerOutput) {
  const read = (dir) => (existsSync(dir) ? readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')) : []);
  const keyLines = new Set(
    read(join(registry, 'keys'))
      .flatMap((t) => t.split('\n'))
      .filter((l) => l.length >= 16),
  );
  const outputs = [...read(join(registry, 'outputs')), runnerOutput];
  const bytes = outputs.reduce((n, t) => n + t.length, 0);
  let hits = 0;
  for (const text of outputs) for (const line of keyLines) if (text.includes(line)) hits++;
  return { keyLines: keyLines.size, outputs: outputs.length, bytes, hits };
}
