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
  const p = r.pipeline;
  const settled = r.rounds.filter((s) => s.during === 'settling').length;
  return [
    [
      'Load held',
      `${n(r.options.servers)} servers (${Object.entries(r.profiles)
        .map(([k, v]) => `${v} ${k}`)
        .join(
          ', ',
        )}) on the pipeline: ${r.rounds.length} enumerations drained by ${r.options.workers} workers (${r.options.concurrency} groups at once each); ${n(p.eventsMatched)} events matched by the rules (document puts and people's edits, in bursts), ${n(p.routerInvocations)} router invocations, ${n(p.workerBatches)} worker batches of ${n(p.workerRecords)} messages`,
    ],
    [
      'Faults survived',
      `${n(c.faults.throttled)} throttled (${pct(c.faults.throttled, c.total)} of the reconciler's calls), ${n(c.faults.error500)} × 500, ${n(c.faults.error503)} × 503, ${n(c.faults.dropped)} dropped connections, latency 1–13 ms (Transfer and SSM); ${n(r.chaos.transitional)} servers caught STARTING/STOPPING, ${n(c.conflicts)} ConflictExceptions; ${n(r.chaos.drift)} settings changed by a person (${n(r.chaos.refused)} of their edits refused or faulted) and ${n(r.chaos.documentVersions)} new document versions during the enumerations`,
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
      'One reconcile per server at a time',
      `overlapping reconciles of one server ${r.lost.overlappingReconciles} (${n(r.overlaps.reconciles)} reconciles in ${n(r.overlaps.invocations)} worker invocations); worker Transfer calls outside their server's reconcile ${r.lost.callsOutsideReconcile} of ${n(r.overlaps.workerCalls)}; the worker's own writes: ${n(r.ownWrites.events)} CloudTrail events, ${r.lost.ownWritesReconciled} of them reconciled`,
    ],
    [
      'Failed reconciles (retried)',
      `${n(r.failures.outcomes)} outcomes, each with its reason: ${
        Object.entries(r.failures.byCode)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none'
      }; worker batches that threw ${p.workerErrors}; router retries ${p.routerRetries}, router events given up ${p.deadLettered}; messages in the dead-letter queue ${p.deadLetterQueue}`,
    ],
    [
      'Calls used',
      `${n(c.total)} by the reconciler (Transfer ${n(transfer)}, SSM ${n(c.total - transfer)}); ${c.perServerPerRound} per server per enumeration, retries and event-driven reconciles included; ${r.cycles.stops} stop/start cycles for ${r.cycles.offlineChanges} offline changes (at most ${r.cycles.maxStopsOneServer} on one server)`,
    ],
    [
      'Convergence',
      `${r.convergenceRounds === undefined ? `did not converge in ${r.rounds.length} enumerations` : `${r.convergenceRounds} enumerations (${r.options.chaosRounds} under chaos, then ${settled} until one had nothing left to write)`}; enumerations whose listing failed part-way (throttled past the SDK retries, covered by the next): ${r.incompleteEnumerations}`,
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
