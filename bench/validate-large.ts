// Benchmark 6 — validating hostile documents: 20,000 unknown keys (the ~370 KB document that took
// ~55 s before validation was made linear) and documents of 2.4 MB built four ways (unknown keys,
// a long list, tags, one huge banner). Each goes through validateStatic in this process (median
// of 5 runs after a warm-up) and through `transfer-reconciler validate` in a fresh process (the
// built CLI when there is one; median of 3; includes Node's start, reading and parsing the file).
// Figures, not a test: the tests check the order, the cap and the linear work by counting.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateStatic } from '../functions/reconciler/desired/validate-static.ts';
import { median } from './lib/quota-math.ts';

export interface ValidateCase {
  name: string;
  bytes: number;
  issues: number;
  /** The first issue's message, cut: the size verdict. */
  firstIssue: string;
  inProcessMs: number[];
  medianInProcessMs: number;
  cliMs: number[];
  medianCliMs: number;
  cliExit: number | null;
}

export interface ValidateLargeResult {
  cases: ValidateCase[];
  /** `validate` of a small valid document: the process start that every CLI figure includes. */
  cliBaselineMs: number;
  cli: string;
  targetMs: number;
  /** When and on what Node it ran (with --merge the run's machine line is an older run's). */
  date: string;
  node: string;
}

const MB = 2.4e6;
const SERVER_ID = 's-0123456789abcdef0';

function unknownKeys(count: number): Record<string, unknown> {
  const doc: Record<string, unknown> = { Protocols: ['SFTP'] };
  for (let i = 0; i < count; i += 1) doc[`UnknownKey${i}`] = 1;
  return doc;
}

const CASES: Array<{ name: string; make: () => unknown }> = [
  { name: '20,000 unknown keys', make: () => unknownKeys(20_000) },
  { name: '2.4 MB: 120,000 unknown keys', make: () => unknownKeys(120_000) },
  { name: '2.4 MB: Protocols listing "SFTP" 340,000 times', make: () => ({ Protocols: Array.from({ length: 340_000 }, () => 'SFTP') }) },
  {
    name: '2.4 MB: 35,000 tags',
    make: () => ({ Tags: Array.from({ length: 35_000 }, (_, i) => ({ Key: `cost-centre-${i}`, Value: `team-${i}-finance-operations` })) }),
  },
  { name: '2.4 MB: one banner', make: () => ({ PreAuthenticationLoginBanner: 'Authorised users only. '.repeat(Math.ceil(MB / 23)) }) },
];

function cliCommand(): { argv: string[]; label: string } {
  const built = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
  if (existsSync(built)) return { argv: [built], label: 'dist/cli.mjs' };
  return { argv: [fileURLToPath(new URL('../functions/cli/main.ts', import.meta.url))], label: 'functions/cli/main.ts' };
}

function timeCli(cli: string[], file: string, runs: number): { ms: number[]; exit: number | null } {
  const ms: number[] = [];
  let exit: number | null = null;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    const r = spawnSync(process.execPath, [...cli, 'validate', file], { stdio: 'ignore' });
    ms.push(performance.now() - started);
    exit = r.status;
  }
  return { ms, exit };
}

export function runValidateLarge(log: (line: string) => void = () => {}): ValidateLargeResult {
  const cli = cliCommand();
  const dir = mkdtempSync(join(tmpdir(), 'tr-bench-validate-'));
  try {
    mkdirSync(join(dir, 'small'));
    const small = join(dir, 'small', `${SERVER_ID}.json`);
    writeFileSync(small, JSON.stringify({ Protocols: ['SFTP'] }));
    const cliBaselineMs = median(timeCli(cli.argv, small, 3).ms);
    const cases = CASES.map(({ name, make }): ValidateCase => {
      const doc = make();
      const text = JSON.stringify(doc);
      const file = join(dir, `${SERVER_ID}.json`);
      writeFileSync(file, text);
      validateStatic(doc, { source: file, expectedServerId: SERVER_ID });
      const inProcessMs: number[] = [];
      let result = validateStatic(doc, { source: file, expectedServerId: SERVER_ID });
      for (let i = 0; i < 5; i += 1) {
        const started = performance.now();
        result = validateStatic(doc, { source: file, expectedServerId: SERVER_ID });
        inProcessMs.push(performance.now() - started);
      }
      const issues = result.ok ? [] : result.issues;
      const timed = timeCli(cli.argv, file, 3);
      const row: ValidateCase = {
        name,
        bytes: Buffer.byteLength(text),
        issues: issues.length,
        firstIssue: (issues[0]?.message ?? '').slice(0, 60),
        inProcessMs,
        medianInProcessMs: median(inProcessMs),
        cliMs: timed.ms,
        medianCliMs: median(timed.ms),
        cliExit: timed.exit,
      };
      log(
        `  ${name}: ${row.bytes} bytes, ${row.issues} issues, ${row.medianInProcessMs.toFixed(0)} ms in process, ${row.medianCliMs.toFixed(0)} ms CLI`,
      );
      return row;
    });
    return { cases, cliBaselineMs, cli: cli.label, targetMs: 1000, date: new Date().toISOString(), node: process.versions.node };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
