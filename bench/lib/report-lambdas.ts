// The benchmarks' Markdown for single reconciles and single processes: reconcile overhead, the
// Lambdas' cold start and validate-large (printed, and put into bench/README.md).
import type { ColdStartResult } from '../cold-start.ts';
import type { OverheadResult } from '../overhead.ts';
import type { ValidateLargeResult } from '../validate-large.ts';
import { kib, ok, s1, s2, table } from './markdown-table.ts';

export function overheadSection(o: OverheadResult): string[] {
  const row = (name: string, c: OverheadResult['inSync']): string[] => [
    name,
    c.result,
    Object.entries(c.calls)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
    `${s2(c.medianWallMs)} ms`,
    `${s2(c.medianHttpMs)} ms`,
    `${s2(c.medianOutsideMs)} ms`,
    `${s2(c.p90OutsideMs)} ms`,
    `≤ ${o.targetMs} ms ${ok(c.medianOutsideMs <= o.targetMs)}`,
  ];
  return [
    `### 4. reconcile overhead (latency 0; ${o.inSync.iterations} iterations each after ${o.warmup} warm-up)`,
    '',
    ...table(
      ['reconcile', 'result', 'calls', 'total (median)', 'in HTTP (median)', 'outside HTTP (median)', 'outside HTTP (p90)', 'target'],
      [row('in-sync', o.inSync), row('drifted', o.drifted)],
    ),
  ];
}

export function coldStartSection(c: ColdStartResult): string[] {
  const row = (b: ColdStartResult['baseline'], isBase: boolean): string[] => [
    b.name,
    kib(b.bundleBytes),
    b.zipBytes !== undefined ? kib(b.zipBytes) : '',
    `${s1(b.medianMs)} ms`,
    isBase ? '1.00' : s2(b.ratio),
    isBase
      ? ''
      : `≤ 1.15 ${ok(b.ratio <= c.targets.ratio)}, ≤ 1.5 MiB ${ok(b.bundleBytes <= c.targets.bundleBytes && (b.zipBytes ?? 0) <= c.targets.bundleBytes)}`,
  ];
  return [
    `### 5. cold start (median of ${c.processes} fresh Node ${process.versions.node} processes each, NODE_OPTIONS="${c.nodeOptions}" as deployed; time to import the bundle and build the handler)`,
    '',
    ...table(
      ['bundle', 'size (.mjs)', 'zip (with source map)', 'import + build', 'ratio to baseline', 'targets'],
      [row(c.baseline, true), ...c.bundles.map((b) => row(b, false))],
    ),
  ];
}

export function validateSection(v: ValidateLargeResult): string[] {
  return [
    `### 6. validate-large (measured ${v.date}, Node ${v.node}; validateStatic: median of 5 in one process; \`validate\` (${v.cli}): median of 3 fresh processes, ${v.cliBaselineMs.toFixed(0)} ms for a small document)`,
    '',
    ...table(
      ['document', 'size', 'issues reported', 'first issue', 'validateStatic', 'CLI validate', 'target'],
      v.cases.map((c) => [
        c.name,
        `${(c.bytes / 1e6).toFixed(2)} MB`,
        String(c.issues),
        c.firstIssue.replace(/\|/g, '\\|'),
        `${c.medianInProcessMs.toFixed(0)} ms`,
        `${c.medianCliMs.toFixed(0)} ms (exit ${c.cliExit})`,
        `< ${v.targetMs} ms ${ok(c.medianInProcessMs < v.targetMs)}`,
      ]),
    ),
  ];
}
