// `npm run soak`: the fault soak on the pipeline (soak/soak.ts) with 300 servers, then the
// end-to-end fuzz test with 10,000 runs per property. Prints the table, writes soak/results/latest.json and the table into
// soak/README.md, and exits non-zero when anything was lost or the fuzz failed.
//   npm run soak -- --servers 60 --no-fuzz     (a quicker look; --workers K, default 4 as deployed)
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateHostKey } from '../functions/shared/ssh-key.ts';
import { lostTotal, runSoak } from './soak.ts';
import { markdownTable, soakRows, textTable } from './table.ts';
import type { FuzzFigures } from './table.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: '300' },
    workers: { type: 'string', default: '4' },
    seed: { type: 'string', default: '7' },
    'fuzz-runs': { type: 'string', default: '10000' },
    'no-fuzz': { type: 'boolean', default: false },
  },
});

async function runFuzz(runs: number): Promise<FuzzFigures> {
  const started = Date.now();
  const child = spawn(process.execPath, [join(root, 'scripts/run-tests.mjs'), 'test/integration/fuzz-no-writes.test.ts'], {
    cwd: root,
    env: { ...process.env, FUZZ_RUNS: String(runs) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const tests = Number(/ℹ tests (\d+)/.exec(output)?.[1] ?? NaN);
  if (code !== 0)
    process.stderr.write(
      output
        .split('\n')
        .filter((l) => /✖|not ok|Error|fail/.test(l))
        .slice(0, 40)
        .join('\n') + '\n',
    );
  return { runs, ok: code === 0, durationMs: Date.now() - started, ...(Number.isFinite(tests) ? { tests } : {}) };
}

const servers = Number(values.servers);
const log = (line: string): void => {
  process.stderr.write(`[soak] ${line}\n`);
};
const report = await runSoak({
  servers,
  seed: Number(values.seed),
  chaosRounds: 2,
  maxRounds: 10,
  workers: Number(values.workers),
  concurrency: 4,
  chaosEveryMs: 25,
  hostKey: () => generateHostKey('ed25519'),
  log,
});
for (const list of [report.lost.notConverged, report.lost.wrongRunState, report.lost.writesToHandsOff])
  for (const l of list.slice(0, 20)) log(`LOST: ${l}`);

let fuzz: FuzzFigures | undefined;
if (!values['no-fuzz']) {
  log(`fuzz: ${values['fuzz-runs']} runs per property`);
  fuzz = await runFuzz(Number(values['fuzz-runs']));
}

const rows = soakRows(report, fuzz);
process.stdout.write(`\n${textTable(rows)}\n`);
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results/latest.json'),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, report, fuzz, table: Object.fromEntries(rows) }, null, 2)}\n`,
);

const readme = join(here, 'README.md');
const BEGIN = '<!-- soak:begin -->';
const END = '<!-- soak:end -->';
const text = readFileSync(readme, 'utf8');
const at = text.indexOf(BEGIN);
const to = text.indexOf(END);
if (at !== -1 && to > at) {
  const stamp = `Last run: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, seed ${values.seed}.`;
  writeFileSync(readme, `${text.slice(0, at + BEGIN.length)}\n${markdownTable(rows)}\n\n${stamp}\n${text.slice(to)}`);
}

const failed = lostTotal(report.lost) > 0 || report.convergenceRounds === undefined || (fuzz !== undefined && !fuzz.ok);
if (failed) log('FAILED: see the table');
process.exit(failed ? 1 : 0);
