// One reconcile of one server: load desired → observe → plan → act → verify → outcome.
// Every trigger (event, schedule, CLI) ends here with the *current* document and server, so
// duplicated, reordered or lost events cannot make it wrong (level-triggered).
import type { AwsClients } from './aws/clients.ts';
import { withCallTally } from './aws/call-count.ts';
import { classifyError } from './aws/classify.ts';
import { describeServer } from './aws/transfer-api.ts';
import { ApplyFailedError, applyPlan } from './apply/apply-plan.ts';
import type { ApplyContext, Carried } from './apply/apply-plan.ts';
import { ConcurrentChangeError } from './apply/concurrent-change.ts';
import { systemClock } from './apply/clock.ts';
import type { Clock } from './apply/clock.ts';
import { waitForStable } from './apply/wait-for-state.ts';
import { InvalidDesiredStateError, ServerNotFoundError } from './errors.ts';
import { DocumentNotFoundError } from './desired/document-not-found.ts';
import { desiredFromParameter } from './desired/load-desired-json.ts';
import { readDocument } from './desired/load-ssm.ts';
import { normaliseServer } from './observed/normalise.ts';
import { plan as makePlan } from './plan/plan.ts';
import { runState } from './plan/run-state.ts';
import type { DesiredServer, ObservedServer, Outcome, Plan, Trigger } from './types.ts';

export const DEFAULT_PREFIX = '/transfer-reconciler/servers/';
/** Stopping and starting a real server takes minutes; don't begin one with less time than this. */
export const DEFAULT_OFFLINE_WINDOW_MS = 5 * 60_000;
/** Fresh plans after another actor moved the server mid-apply, before giving up for this run. */
export const MAX_REPLANS = 3;

export interface PreloadedDocument {
  name: string;
  text: string;
  version?: number;
  /** The parameter's type (String when not given); a StringList is not a document. */
  type?: string;
}

export interface ReconcileOptions {
  clients: AwsClients;
  prefix: string;
  trigger: Trigger;
  /** Epoch ms after which no new wait or offline change starts (Lambda remaining time, CLI timeout). */
  deadline: number;
  clock?: Clock;
  /** `detect` forces a dry run whatever the document's Reconciler.Mode says. */
  modeOverride?: 'detect';
  offlineWindowMs?: number;
  /** The document as GetParametersByPath returned it, so it is not read again. */
  document?: PreloadedDocument;
}

type Draft = Omit<Outcome, 'calls' | 'durationMs' | 'retries' | 'throttled'>;

export async function reconcileServer(serverId: string, opts: ReconcileOptions): Promise<Outcome> {
  const clock = opts.clock ?? systemClock;
  const started = clock.now();
  const { value: draft, tally } = await withCallTally(() => reconcileInner(serverId, opts, clock));
  return { ...draft, calls: tally.calls, retries: tally.retries, throttled: tally.throttled, durationMs: clock.now() - started };
}

async function reconcileInner(serverId: string, opts: ReconcileOptions, clock: Clock): Promise<Draft> {
  const parameterName = opts.document?.name ?? `${opts.prefix}${serverId}`;
  const base: Draft = {
    serverId,
    parameter: { name: parameterName, version: opts.document?.version },
    trigger: opts.trigger,
    mode: opts.modeOverride ?? 'enforce',
    result: 'failed',
    changes: [],
    warnings: [],
  };
  let desired: DesiredServer;
  try {
    // Read first, then validate: an invalid document's outcome still names the version that is invalid.
    const read = opts.document
      ? {
          status: 'found' as const,
          name: opts.document.name,
          text: opts.document.text,
          version: opts.document.version,
          type: opts.document.type ?? 'String',
        }
      : await readDocument(opts.clients.ssm, opts.prefix, serverId);
    if (read.status === 'not-found') throw new DocumentNotFoundError(serverId, read.name);
    base.parameter = { name: read.name, version: read.version };
    desired = await desiredFromParameter(read, serverId, opts.clients.ssm);
  } catch (err) {
    if (err instanceof InvalidDesiredStateError) {
      return { ...base, result: 'invalid', issues: err.issues, error: { code: err.code, message: err.message, retryable: false } };
    }
    if (err instanceof DocumentNotFoundError) {
      return { ...base, result: 'unmanaged', error: { code: err.code, message: err.message, retryable: false } };
    }
    return failedOutcome(base, err);
  }
  const mode = opts.modeOverride ?? desired.policy.Mode;
  base.mode = mode;
  base.parameter = { name: desired.source.name, version: desired.source.version };
  base.warnings = [...desired.warnings];

  // What the outcome says if anything below throws: the plan's changes and warnings, once known.
  let current = base;
  try {
    const waitOpts = { transfer: opts.clients.transfer, serverId, deadline: opts.deadline, clock };
    const described = await waitForStable(waitOpts, await describeServer(opts.clients.transfer, serverId));
    const observed = normaliseServer(described);
    const plan = makePlan(desired, observed);
    const warnings = [...new Set([...base.warnings, ...plan.warnings])];
    const withPlan: Draft = { ...base, warnings, changes: plan.changes };
    current = withPlan;
    if (plan.invalid.length > 0) {
      return {
        ...withPlan,
        result: 'invalid',
        issues: plan.invalid,
        error: { code: 'InvalidDesiredState', message: plan.invalid.map((i) => `${i.path}: ${i.message}`).join('; '), retryable: false },
      };
    }
    if (plan.changes.length === 0) return { ...withPlan, result: 'in-sync' };
    if (mode === 'detect') return { ...withPlan, result: 'drift-detected', ...(plan.blocked.length ? { issues: plan.blocked } : {}) };
    if (plan.blocked.length > 0) {
      return {
        ...withPlan,
        result: 'blocked',
        issues: plan.blocked,
        error: { code: 'Blocked', message: plan.blocked.map((i) => `${i.path}: ${i.message}`).join('; '), retryable: false },
      };
    }
    const applyCtx: ApplyContext = {
      transfer: opts.clients.transfer,
      serverId,
      arn: observed.Arn,
      deadline: opts.deadline,
      clock,
      offlineWindowMs: opts.offlineWindowMs ?? DEFAULT_OFFLINE_WINDOW_MS,
    };
    const done = await applyWithReplans(desired, observed, plan, applyCtx, (d) => {
      current = { ...withPlan, done: d };
    });
    current = { ...withPlan, done };
    const after = normaliseServer(await describeServer(opts.clients.transfer, serverId));
    const residual = makePlan(desired, after).changes;
    if (residual.length > 0) {
      const list = residual.map((c) => `${c.path}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join('; ');
      return {
        ...withPlan,
        result: 'failed',
        done,
        serverState: after.State,
        error: { code: 'DidNotConverge', message: `did not converge: still different after the update: ${list}`, retryable: true },
      };
    }
    if (done.length === 0) {
      // Another reconcile of the same server applied these changes while this one waited on it.
      return {
        ...withPlan,
        result: 'in-sync',
        done,
        warnings: [...warnings, 'another change of this server was in progress; it applied these changes'],
      };
    }
    return { ...withPlan, result: 'updated', done };
  } catch (err) {
    if (err instanceof ServerNotFoundError) {
      return { ...current, result: 'not-found', error: { code: err.code, message: err.message, retryable: false } };
    }
    if (err instanceof ApplyFailedError) {
      return {
        ...current,
        result: 'failed',
        done: err.done,
        serverState: err.state,
        error: { code: err.code, message: err.message, retryable: err.retryable },
      };
    }
    return failedOutcome(current, err);
  }
}

/**
 * Applies the plan; when another actor starts or stops the server meanwhile (ConcurrentChangeError),
 * waits for it to settle and applies a fresh plan from what the server is now, bounded.
 * The run state to end in is the one this reconcile first saw, never one another actor made: a
 * server this reconcile found ONLINE and meant to stop and start again is not left OFFLINE because
 * the other reconcile had stopped it when we looked again. Writes already done are not repeated
 * (the fresh plan sees them), so one reconcile sends each write at most once.
 */
async function applyWithReplans(
  desired: DesiredServer,
  first: ObservedServer,
  firstPlan: Plan,
  ctx: ApplyContext,
  progress: (done: string[]) => void,
): Promise<string[]> {
  const keepOnline = firstPlan.offline && desired.document.State === undefined && runState(first.State) === 'ONLINE';
  const planned: DesiredServer = keepOnline ? { ...desired, document: { ...desired.document, State: 'ONLINE' } } : desired;
  let plan = firstPlan;
  let carried: Carried = { done: [], stoppedByUs: false };
  for (let replans = 0; ; replans++) {
    try {
      return await applyPlan(plan, ctx, carried);
    } catch (err) {
      if (!(err instanceof ConcurrentChangeError)) throw err;
      progress(err.done);
      const settled = normaliseServer(await waitForStable(ctx));
      // ONLINE is forced only when this reconcile stopped the server: a stop made by someone else
      // (a person, a newer document with State OFFLINE) is theirs to keep.
      const fresh = makePlan(err.stoppedByUs ? planned : desired, settled);
      if (replans >= MAX_REPLANS || fresh.invalid.length > 0 || fresh.blocked.length > 0) {
        const done = [...err.done];
        let state: string = settled.State;
        const meantOnline = keepOnline || desired.document.State === 'ONLINE';
        if (err.stoppedByUs && meantOnline && runState(settled.State) !== 'ONLINE') {
          // Never leave a server this reconcile stopped stopped: one plain start, as after any failure.
          try {
            await applyPlan({ ...fresh, steps: [{ kind: 'start' }], offline: false }, ctx);
            done.push('StartServer (restore)');
            state = 'ONLINE';
          } catch (restartErr) {
            state = restartErr instanceof ApplyFailedError && restartErr.state !== undefined ? restartErr.state : state;
          }
        }
        throw new ApplyFailedError(`${err.message}; gave up after ${replans + 1} fresh plan(s); server is ${state}`, {
          cause: err,
          done,
          state,
          restored: state === 'ONLINE' && done.includes('StartServer (restore)'),
          retryable: true,
          code: err.code,
        });
      }
      plan = fresh;
      carried = { done: err.done, stoppedByUs: err.stoppedByUs && runState(settled.State) !== 'ONLINE' };
    }
  }
}

function failedOutcome(base: Draft, err: unknown): Draft {
  const c = classifyError(err);
  return { ...base, result: 'failed', error: { code: c.code, message: c.message, retryable: c.retryable } };
}
