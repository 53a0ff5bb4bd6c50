// One reconcile of one server: load desired → observe → plan → act → verify → outcome.
// Every trigger (event, schedule, CLI) ends here with the *current* document and server, so
// duplicated, reordered or lost events cannot make it wrong (level-triggered).
import type { AwsClients } from './aws/clients.ts';
import { withCallTally } from './aws/call-count.ts';
import { classifyError } from './aws/classify.ts';
import { describeServer } from './aws/transfer-api.ts';
import { ApplyFailedError, applyPlan } from './apply/apply-plan.ts';
import { systemClock } from './apply/clock.ts';
import type { Clock } from './apply/clock.ts';
import { waitForStable } from './apply/wait-for-state.ts';
import { InvalidDesiredStateError, ServerNotFoundError } from './errors.ts';
import { DocumentNotFoundError } from './desired/document-not-found.ts';
import { desiredFromParameter } from './desired/load-desired.ts';
import { readDocument } from './desired/load-ssm.ts';
import { normaliseServer } from './observed/normalise.ts';
import { plan as makePlan } from './plan/plan.ts';
import type { DesiredServer, Outcome, Trigger } from './types.ts';

export const DEFAULT_PREFIX = '/transfer-reconciler/servers/';
/** Stopping and starting a real server takes minutes; don't begin one with less time than this. */
export const DEFAULT_OFFLINE_WINDOW_MS = 5 * 60_000;

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
      ? { status: 'found' as const, name: opts.document.name, text: opts.document.text, version: opts.document.version, type: opts.document.type ?? 'String' }
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
      return { ...withPlan, result: 'invalid', issues: plan.invalid, error: { code: 'InvalidDesiredState', message: plan.invalid.map((i) => `${i.path}: ${i.message}`).join('; '), retryable: false } };
    }
    if (plan.changes.length === 0) return { ...withPlan, result: 'in-sync' };
    if (mode === 'detect') return { ...withPlan, result: 'drift-detected', ...(plan.blocked.length ? { issues: plan.blocked } : {}) };
    if (plan.blocked.length > 0) {
      return { ...withPlan, result: 'blocked', issues: plan.blocked, error: { code: 'Blocked', message: plan.blocked.map((i) => `${i.path}: ${i.message}`).join('; '), retryable: false } };
    }
    const done = await applyPlan(plan, {
      transfer: opts.clients.transfer, serverId, arn: observed.Arn, deadline: opts.deadline, clock,
      offlineWindowMs: opts.offlineWindowMs ?? DEFAULT_OFFLINE_WINDOW_MS,
    });
    current = { ...withPlan, done };
    const after = normaliseServer(await describeServer(opts.clients.transfer, serverId));
    const residual = makePlan(desired, after).changes;
    if (residual.length > 0) {
      const list = residual.map((c) => `${c.path}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join('; ');
      return { ...withPlan, result: 'failed', done, serverState: after.State, error: { code: 'DidNotConverge', message: `did not converge: still different after the update: ${list}`, retryable: true } };
    }
    return { ...withPlan, result: 'updated', done };
  } catch (err) {
    if (err instanceof ServerNotFoundError) {
      return { ...current, result: 'not-found', error: { code: err.code, message: err.message, retryable: false } };
    }
    if (err instanceof ApplyFailedError) {
      return { ...current, result: 'failed', done: err.done, serverState: err.state, error: { code: err.code, message: err.message, retryable: err.retryable } };
    }
    return failedOutcome(current, err);
  }
}

function failedOutcome(base: Draft, err: unknown): Draft {
  const c = classifyError(err);
  return { ...base, result: 'failed', error: { code: c.code, message: c.message, retryable: c.retryable } };
}
