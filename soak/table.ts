// The soak's figures as the table the README shows.
import { lostTotal } from './soak.ts';
import type { SoakReport } from './soak.ts';

export interface FuzzFigures {
  runs: number;
  ok: boolean;
  tests?: number;
  durationMs: number;
}

const pct = (n: number, of: number): string => (of === 0 ? '0 %' : `${((100 * n) / of).toFixed(1)} %`);
const n = (x: number): string => x.toLocaleString('en-GB');

export function soakRows(r: SoakReport, fuzz: FuzzFigures | undefined): Array<[string, string]> {
  const c = r.calls;
  const transfer = Object.entries(c.byOperation)
    .filter(([op]) => !/Parameter/.test(op))
    .reduce((s, [, v]) => s + v, 0);
  const lost = lostTotal(r.lost);
  const settled = r.sweeps.filter((s) => s.during === 'settling').length;
  return [
    [
      'Load held',
      `${n(r.options.servers)} servers (${Object.entries(r.profiles)
        .map(([k, v]) => `${v} ${k}`)
        .join(
          ', ',
        )}); ${r.sweeps.length} sweeps at concurrency ${r.options.concurrency}; ${n(r.events.delivered)} Parameter Store events on ${r.options.eventInstances} event-Lambda instances racing the sweeps`,
    ],
    [
      'Faults survived',
      `${n(c.faults.throttled)} throttled (${pct(c.faults.throttled, c.total)} of calls), ${n(c.faults.error500)} × 500, ${n(c.faults.error503)} × 503, ${n(c.faults.dropped)} dropped connections, latency 1–13 ms; ${n(r.chaos.transitional)} servers caught STARTING/STOPPING, ${n(c.conflicts)} ConflictExceptions; ${n(r.chaos.drift)} settings changed by hand and ${n(r.chaos.documentVersions)} new document versions while sweeping`,
    ],
    [
      'Bad inputs tried',
      `${r.badInputs.invalidDocuments} invalid documents (typos, wrong types, null, inline private key, broken JSON, FTP on PUBLIC, …) and ${r.badInputs.blockedDocuments} offline changes without permission in the fleet${fuzz ? `; fuzz: ${n(fuzz.runs)} runs per property${fuzz.ok ? ', all passed' : ', FAILED'}` : ''}`,
    ],
    [
      'Lost',
      `${lost} (not converged ${r.lost.notConverged.length}, wrong run state ${r.lost.wrongRunState.length}, writes to detect/blocked/invalid servers ${r.lost.writesToHandsOff.length}, UpdateServer refused as invalid ${r.lost.invalidUpdates}, failures without a reason ${r.lost.silentFailures}, host-key lines in ${'output'} ${r.lost.keyLeaks})`,
    ],
    [
      'Failed reconciles (retried)',
      `${n(r.failures.outcomes)} outcomes, each with its reason: ${
        Object.entries(r.failures.byCode)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none'
      }; event retries ${r.events.retries}, dead-lettered ${r.events.deadLettered}`,
    ],
    [
      'Calls used',
      `${n(c.total)} (Transfer ${n(transfer)}, SSM ${n(c.total - transfer)}); ${c.perServerPerSweep} per server per sweep, retries included; ${r.cycles.stops} stop/start cycles for ${r.cycles.offlineChanges} offline changes (at most ${r.cycles.maxStopsOneServer} on one server)`,
    ],
    [
      'Convergence sweeps',
      `${r.convergenceSweeps === undefined ? `did not converge in ${r.sweeps.length}` : `${r.convergenceSweeps} (${r.options.chaosSweeps} under chaos, then ${settled} until a sweep had nothing left to write)`}; sweep runs that failed as a whole (document listing throttled past the SDK retries, retried by the next run): ${r.sweeps.filter((s) => s.error).length}`,
    ],
    ['Time', `${(r.durationMs / 1000).toFixed(1)} s soak${fuzz ? ` + ${(fuzz.durationMs / 1000).toFixed(1)} s fuzz` : ''}`],
  ];
}

export function markdownTable(rows: Array<[string, string]>): string {
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`)].join('\n');
}

export function textTable(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
