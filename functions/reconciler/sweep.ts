// The drift sweep: every document under the prefix, reconciled with bounded concurrency, plus
// the servers that have no document (reported `unmanaged`, never touched). It stops *starting*
// servers once the time left falls under a margin and names the ones it left for the next run,
// so a sweep that outgrows its Lambda timeout degrades into several runs instead of being killed
// half-way through an update. No Lambda types here: the handler passes plain numbers.
import type { Clock } from './apply/clock.ts';
import { systemClock } from './apply/clock.ts';
import { withCallTally } from './aws/call-count.ts';
import type { CallTally } from './aws/call-count.ts';
import { classifyError, ranOutOfTime } from './error-outcome.ts';
import { listServerIds } from './aws/transfer-api.ts';
import { mapLimitStream } from './concurrency.ts';
import { listDocumentPage } from './desired/load-ssm.ts';
import type { ListResult, ListedDocument } from './desired/load-ssm.ts';
import { reconcileServer } from './reconcile.ts';
import type { ReconcileOptions } from './reconcile.ts';
import type { Outcome, Result } from './types.ts';

export interface SweepOptions extends Omit<ReconcileOptions, 'document' | 'trigger' | 'clock'> {
  concurrency: number;
  /** Epoch ms after which no new server is started (the reconcile deadline minus a margin). */
  stopStartingAt: number;
  clock?: Clock;
  onOutcome?: (outcome: Outcome) => void;
}

export interface SweepSummary {
  servers: number;
  results: Partial<Record<Result, number>>;
  /** Servers in the account with no document under the prefix. */
  unmanaged: string[];
  /** Documents not reconciled because the run was out of time; the next run takes them. */
  leftForNextRun: string[];
  /**
   * Servers reconciled this run that ran out of time (RetryLater: an offline change not begun for
   * lack of time, or a server still STARTING/STOPPING at the deadline); the next run takes them.
   */
  unfinished: string[];
  /** Parameters under the prefix that are not a server's document. */
  problems: { name: string; message: string }[];
  /** ListServers failed: unmanaged servers are unknown this run. */
  listServersError?: { code: string; message: string };
  /**
   * Listing the documents failed part-way (e.g. throttled past the SDK's retries): the documents
   * listed before it were reconciled, the rest wait for the next run, and no server is called
   * unmanaged this run (the list of managed servers is incomplete).
   */
  listingError?: { code: string; message: string };
  calls: Record<string, number>;
  durationMs: number;
}

export interface SweepReport {
  outcomes: Outcome[];
  summary: SweepSummary;
}

export async function sweep(opts: SweepOptions): Promise<SweepReport> {
  const { concurrency, stopStartingAt, onOutcome, clock = systemClock, ...one } = opts;
  const started = clock.now();
  const listed: ListResult = { documents: [], problems: [] };
  const tallies: CallTally[] = [];
  // Each page's documents are reconciled as soon as it arrives: waiting for the whole listing
  // (⌈N/10⌉ sequential GetParametersByPath) would leave the Transfer quota unused meanwhile.
  let listingError: SweepSummary['listingError'];
  async function* pages(): AsyncGenerator<ListedDocument[]> {
    let nextToken: string | undefined;
    do {
      let read;
      try {
        read = await withCallTally(() => listDocumentPage(opts.clients.ssm, opts.prefix, nextToken));
      } catch (err) {
        const c = classifyError(err);
        listingError = { code: c.code, message: c.message };
        return;
      }
      const { value: page, tally } = read;
      tallies.push(tally);
      listed.documents.push(...page.documents);
      listed.problems.push(...page.problems);
      yield page.documents;
      nextToken = page.nextToken;
    } while (nextToken);
  }
  const leftForNextRun: string[] = [];
  const reconciled = await mapLimitStream(pages(), concurrency, async (doc) => {
    if (clock.now() >= stopStartingAt) {
      leftForNextRun.push(doc.serverId);
      return undefined;
    }
    const outcome = await reconcileServer(doc.serverId, {
      ...one,
      clock,
      trigger: 'schedule',
      document: { name: doc.name, text: doc.text, version: doc.version, type: doc.type },
    });
    onOutcome?.(outcome);
    return outcome;
  });
  const outcomes = reconciled.filter((o): o is Outcome => o !== undefined);

  let listServersError: SweepSummary['listServersError'];
  const unmanaged: string[] = [];
  if (!listingError) {
    try {
      const managed = new Set(listed.documents.map((d) => d.serverId));
      const { value: serverIds, tally } = await withCallTally(() => listServerIds(opts.clients.transfer));
      tallies.push(tally);
      for (const id of serverIds) {
        if (managed.has(id)) continue;
        unmanaged.push(id);
        const outcome = unmanagedOutcome(
          id,
          `${opts.prefix}${id}`,
          'schedule',
          opts.modeOverride ?? 'enforce',
          'the server has no desired-state document; it is left as it is',
        );
        onOutcome?.(outcome);
        outcomes.push(outcome);
      }
    } catch (err) {
      const c = classifyError(err);
      listServersError = { code: c.code, message: c.message };
    }
  }

  const results: Partial<Record<Result, number>> = {};
  const calls: Record<string, number> = {};
  for (const o of outcomes) results[o.result] = (results[o.result] ?? 0) + 1;
  for (const c of [...tallies.map((t) => t.calls), ...outcomes.map((o) => o.calls)]) {
    for (const [op, n] of Object.entries(c)) calls[op] = (calls[op] ?? 0) + n;
  }
  const summary: SweepSummary = {
    servers: outcomes.length + leftForNextRun.length,
    results,
    unmanaged,
    leftForNextRun: leftForNextRun.sort(),
    unfinished: outcomes
      .filter(ranOutOfTime)
      .map((o) => o.serverId)
      .sort(),
    problems: listed.problems,
    calls,
    durationMs: clock.now() - started,
    ...(listServersError ? { listServersError } : {}),
    ...(listingError ? { listingError } : {}),
  };
  return { outcomes, summary };
}

/** The outcome for a server whose document is absent or was deleted: reported, never touched. */
export function unmanagedOutcome(
  serverId: string,
  parameterName: string,
  trigger: Outcome['trigger'],
  mode: Outcome['mode'],
  message: string,
): Outcome {
  return {
    serverId,
    parameter: { name: parameterName },
    trigger,
    mode,
    result: 'unmanaged',
    changes: [],
    calls: {},
    durationMs: 0,
    warnings: [],
    error: { code: 'Unmanaged', message, retryable: false },
  };
}
