// One attempt of a reconcile: the document → static validation → observe → plan → (confirm the
// document) → act → verify. Terminal results (in-sync, updated, drift-detected, blocked, invalid)
// are returned; everything else is thrown for the retry loop (apply/converge.ts) and the one error
// mapper (error-outcome.ts). What the attempts did is kept in the RunRecord, across attempts.
import type { AwsClients } from './aws/clients.ts';
import { observeServer } from './aws/transfer-api.ts';
import { applyPlan } from './apply/apply-plan.ts';
import type { ApplyContext } from './apply/apply-plan.ts';
import type { Clock } from './apply/clock.ts';
import { waitForStable } from './apply/wait-for-state.ts';
import { DidNotConvergeError, DocumentNotFoundError, ServerStateFailedError } from './errors.ts';
import { desiredFromParameter } from './desired/load-desired-json.ts';
import { readDocument } from './desired/load-ssm.ts';
import type { ServerAddress } from './desired/server-address.ts';
import { isHubAddress, parameterName } from './desired/server-address.ts';
import type { ReadDocumentResult } from './desired/load-ssm.ts';
import { withExtras } from './observe-extras.ts';
import { plan as makePlan } from './plan/plan.ts';
import type { ObservedServer, Outcome, Plan, RunState, Trigger } from './types.ts';

export interface PreloadedDocument {
  name: string;
  text: string;
  version?: number;
  /** The parameter's type (String when not given); a StringList is not a document. */
  type?: string;
  /** `listing`: read from SSM earlier (confirmed before the first write); `file`: a local file (plan --dir). */
  origin?: 'listing' | 'file';
}

export interface AttemptOptions {
  clients: AwsClients;
  prefix: string;
  trigger: Trigger;
  deadline: number;
  clock: Clock;
  modeOverride?: 'detect';
  /** See ReconcileOptions.decryptHostKeys. */
  decryptHostKeys?: boolean;
  offlineWindowMs: number;
  /** The server's account and region (absent: the hub's); the document is `<prefix><key>` in the hub's SSM. */
  address?: ServerAddress;
}

export type Draft = Omit<Outcome, 'calls' | 'durationMs' | 'retries' | 'throttled'>;
type Found = Extract<ReadDocumentResult, { status: 'found' }>;

export interface RunRecord {
  draft: Draft;
  /** Writes carried out by every attempt, in order. */
  done: string[];
  /** The document the next attempt works from, and whether SSM confirmed it is still current. */
  document?: { read: Found; confirmed: boolean; origin: 'listing' | 'file' | 'ssm' };
  /** The server as last observed, the document's State and whether its first plan was recorded. */
  observed?: ObservedServer;
  documentState?: RunState;
  enforce: boolean;
  planned?: { version: number | undefined };
  /** An attempt began to apply a plan (a failure then says what was done before it). */
  applied?: boolean;
  applyContext?: ApplyContext;
}

function found(d: PreloadedDocument): Found {
  return { status: 'found', name: d.name, text: d.text, version: d.version, type: d.type ?? 'String' };
}

export function newRun(serverId: string, opts: AttemptOptions & { document?: PreloadedDocument }): RunRecord {
  const address = opts.address ?? { serverId };
  const name = opts.document?.name ?? parameterName(opts.prefix, address);
  const draft: Draft = {
    serverId,
    ...(isHubAddress(address) ? {} : { accountId: address.accountId, region: address.region }),
    parameter: { name, version: opts.document?.version },
    trigger: opts.trigger,
    mode: opts.modeOverride ?? 'enforce',
    result: 'failed',
    changes: [],
    warnings: [],
  };
  const origin = opts.document?.origin ?? 'listing';
  return {
    draft,
    done: [],
    enforce: false,
    ...(opts.document ? { document: { read: found(opts.document), confirmed: origin === 'file', origin } } : {}),
  };
}

/** A retry reads the document again (level-triggered); a local file is never replaced by SSM's copy. */
async function documentFor(run: RunRecord, retry: number, serverId: string, opts: AttemptOptions): Promise<Found> {
  if (run.document && (run.document.origin === 'file' || retry === 0)) return run.document.read;
  const read = await readDocument(opts.clients.ssm, opts.prefix, opts.address ?? serverId);
  if (read.status === 'not-found') throw new DocumentNotFoundError(serverId, read.name, { deleted: run.document !== undefined });
  run.document = { read, confirmed: true, origin: 'ssm' };
  return read;
}

/** Before the first write: the listed document must still exist at the version planned from. */
async function stillCurrent(run: RunRecord, serverId: string, opts: AttemptOptions): Promise<boolean> {
  const doc = run.document;
  if (doc === undefined || doc.confirmed) return true;
  const read = await readDocument(opts.clients.ssm, opts.prefix, opts.address ?? serverId);
  if (read.status === 'not-found') throw new DocumentNotFoundError(serverId, read.name, { deleted: true });
  run.document = { read, confirmed: true, origin: 'ssm' };
  return read.version === doc.read.version && read.text === doc.read.text;
}

function recordPlan(run: RunRecord, plan: Plan, version: number | undefined): void {
  // The changes an outcome reports are the drift first found for this document version.
  if (run.planned === undefined || run.planned.version !== version) {
    run.draft.changes = plan.changes;
    if (plan.hostKeys) run.draft.hostKeys = plan.hostKeys;
    else delete run.draft.hostKeys;
    run.planned = { version };
  }
  run.draft.warnings = [...new Set([...run.draft.warnings, ...plan.warnings])];
}

const issuesText = (issues: { path: string; message: string }[]): string => issues.map((i) => `${i.path}: ${i.message}`).join('; ');

export async function attempt(run: RunRecord, retry: number, serverId: string, opts: AttemptOptions): Promise<Draft> {
  for (;;) {
    const read = await documentFor(run, retry, serverId, opts);
    run.draft.parameter = { name: read.name, version: read.version };
    // Only a forced dry run may compare host keys by recorded fingerprint: it never writes a key.
    const decrypt = opts.modeOverride !== 'detect' || opts.decryptHostKeys !== false;
    const desired = await desiredFromParameter(read, serverId, opts.clients.ssm, { decrypt });
    const mode = opts.modeOverride ?? desired.policy.Mode;
    run.draft.mode = mode;
    run.enforce = mode === 'enforce';
    run.documentState = desired.document.State;
    run.draft.warnings = [...new Set([...run.draft.warnings, ...desired.warnings])];
    const wait = { transfer: opts.clients.transfer, serverId, deadline: opts.deadline, clock: opts.clock };
    const observed = await withExtras(
      opts.clients,
      desired,
      await waitForStable(wait, await observeServer(opts.clients.transfer, serverId)),
    );
    run.observed = observed;
    const ctx: ApplyContext = { ...wait, ec2: opts.clients.ec2, arn: observed.Arn, offlineWindowMs: opts.offlineWindowMs };
    run.applyContext = ctx;
    const plan = makePlan(desired, observed);
    recordPlan(run, plan, read.version);
    const draft = run.draft;
    if (plan.invalid.length > 0) {
      const error = { code: 'InvalidDesiredState', message: issuesText(plan.invalid), retryable: false };
      return { ...draft, result: 'invalid', issues: plan.invalid, error };
    }
    if (plan.failedState !== undefined) throw new ServerStateFailedError(serverId, plan.failedState);
    if (plan.changes.length === 0) return finished(run);
    if (mode === 'detect') return { ...draft, result: 'drift-detected', ...(plan.blocked.length ? { issues: plan.blocked } : {}) };
    if (plan.blocked.length > 0) {
      return {
        ...draft,
        result: 'blocked',
        issues: plan.blocked,
        error: { code: 'Blocked', message: issuesText(plan.blocked), retryable: false },
      };
    }
    if (!(await stillCurrent(run, serverId, opts))) continue;
    run.applied = true;
    await applyPlan(plan, ctx, run.done);
    const after = await withExtras(opts.clients, desired, await observeServer(opts.clients.transfer, serverId));
    run.observed = after;
    const residual = makePlan(desired, after).changes;
    if (residual.length > 0) {
      throw new DidNotConvergeError(residual.map((c) => `${c.path}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join('; '));
    }
    return finished(run);
  }
}

/** Nothing (left) to change: updated if this reconcile wrote anything, else in sync. */
function finished(run: RunRecord): Draft {
  const draft = { ...run.draft, ...(run.done.length > 0 ? { done: [...run.done] } : {}) };
  if (run.done.length > 0) return { ...draft, result: 'updated' };
  if (draft.changes.length === 0) return { ...draft, result: 'in-sync' };
  // Another reconcile of the same server applied the changes while this one waited on it.
  return {
    ...draft,
    result: 'in-sync',
    warnings: [...draft.warnings, 'another change of this server was in progress; it applied these changes'],
  };
}
