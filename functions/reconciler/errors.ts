// The reconciler's error hierarchy, all of it: every class is thrown somewhere and matched with
// instanceof, never by message text. What each one means for an outcome (result, code, retryable,
// whether the reconcile tries again) is decided in one place: error-outcome.ts.
import type { Issue, ServerState, Step } from './types.ts';

export class ReconcilerError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  constructor(code: string, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** The document (or its host key) is invalid: terminal until the document changes. */
export class InvalidDesiredStateError extends ReconcilerError {
  readonly source: string;
  readonly issues: Issue[];
  constructor(source: string, issues: Issue[], options: { cause?: unknown } = {}) {
    super('InvalidDesiredState', `${source}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, options);
    this.source = source;
    this.issues = issues;
  }
}

/** The server has no desired-state document (never had one, or it was deleted): it is not managed. */
export class DocumentNotFoundError extends ReconcilerError {
  readonly serverId: string;
  readonly parameter: string;
  constructor(serverId: string, parameter: string, options: { cause?: unknown; deleted?: boolean } = {}) {
    const why = options.deleted
      ? `the parameter ${parameter} was deleted while this reconcile worked from an earlier listing; nothing was written`
      : `the parameter ${parameter} does not exist`;
    super('DocumentNotFound', `no desired-state document for ${serverId}: ${why}`, options);
    this.serverId = serverId;
    this.parameter = parameter;
  }
}

/** The server does not exist: terminal. */
export class ServerNotFoundError extends ReconcilerError {
  readonly serverId: string;
  constructor(serverId: string, message: string, options: { cause?: unknown } = {}) {
    super('ServerNotFound', message, options);
    this.serverId = serverId;
  }
}

/**
 * The server is in START_FAILED or STOP_FAILED and its document does not say OFFLINE: it does not
 * serve, AWS refuses updates to it, and a failed transition needs a person to look at it. Terminal
 * (alarmed through the Failed metric), never reported in sync, and nothing is written.
 */
export class ServerStateFailedError extends ReconcilerError {
  readonly state: ServerState;
  constructor(serverId: string, state: ServerState) {
    const what = state === 'START_FAILED' ? 'AWS could not start it' : 'AWS could not stop it';
    super(
      'ServerStateFailed',
      `server ${serverId} is ${state}: ${what}, so it does not serve as its document asks and AWS refuses changes to it. Nothing was written. Check the server's endpoint (subnets, Elastic IPs, security groups) and logs, then start it (aws transfer start-server --server-id ${serverId}), or set "State": "OFFLINE" in the document if it should stay stopped.`,
    );
    this.state = state;
  }
}

/** A wait ran into the deadline, or too little time is left to begin an offline change: try again later. */
export class RetryLaterError extends ReconcilerError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('RetryLater', message, { ...options, retryable: true });
  }
}

/** The server reached START_FAILED or STOP_FAILED while this reconcile waited for it. */
export class StateFailedError extends ReconcilerError {
  readonly state: ServerState;
  constructor(serverId: string, state: ServerState) {
    super('StateFailed', `server ${serverId} went to ${state}`);
    this.state = state;
  }
}

/**
 * Another actor started or stopped the server while this reconcile applied its plan (two Lambdas,
 * a person): the rest of the plan was made for a server that no longer exists, so the reconcile
 * waits for the server to settle and plans again from what it is then (level-triggered).
 */
export class ConcurrentChangeError extends ReconcilerError {
  readonly state: ServerState;
  constructor(serverId: string, state: ServerState, options: { cause?: unknown } = {}) {
    super(
      'ConcurrentChange',
      `server ${serverId} went ${state} by another actor's StartServer/StopServer while this reconcile was applying its plan; another change is in progress`,
      { ...options, retryable: true },
    );
    this.state = state;
  }
}

/** One step of a plan failed; the cause (an SDK error, a wait's error) says why. */
export class StepFailedError extends ReconcilerError {
  readonly step: Step;
  constructor(step: Step, description: string, cause: unknown, classified: { code: string; message: string; retryable: boolean }) {
    super(classified.code, `${description} failed: ${classified.code}: ${classified.message}`, { cause, retryable: classified.retryable });
    this.step = step;
  }
}

/** The verifying DescribeServer still shows a difference after the writes were accepted. */
export class DidNotConvergeError extends ReconcilerError {
  constructor(differences: string) {
    super('DidNotConverge', `did not converge: still different after the update: ${differences}`, { retryable: true });
  }
}

/**
 * A host key known only by its recorded fingerprint (plan without --decrypt) was asked for its
 * text: nothing that writes runs on such a key, so this is a bug, never a reason to retry.
 */
export class HostKeyNotDecryptedError extends ReconcilerError {
  constructor(fingerprint: string) {
    super(
      'HostKeyNotDecrypted',
      `the host key ${fingerprint} was not decrypted (plan without --decrypt): it can be compared, never written`,
    );
  }
}

/**
 * plan without --decrypt found no fingerprint recorded for the current version of a referenced
 * host key, so it cannot tell whether the key would change: the server's plan is unknown (result
 * failed, plan exits 1), never reported in sync. `push` records it; `plan --decrypt` reads the key.
 */
export class HostKeyFingerprintUnknownError extends ReconcilerError {
  readonly parameters: string[];
  constructor(source: string, unknown: { parameter: string; why: string }[]) {
    super(
      'HostKeyFingerprintUnknown',
      `${source}: cannot compare host keys without decrypting them: ${unknown.map((u) => u.why).join('; ')}. Run push (it records each key's fingerprint), or plan --decrypt (needs kms:Decrypt).`,
    );
    this.parameters = unknown.map((u) => u.parameter);
  }
}

/**
 * STS refused (or could not answer) AssumeRole for an account's role: nothing of that account can
 * be read or written. The message names the account, the role and STS's error code, never the
 * external id. Not retried within the run; `retryable` only when STS itself failed (throttling, 5xx).
 */
export class AccountRoleUnavailableError extends ReconcilerError {
  readonly accountId: string;
  readonly roleArn: string;
  readonly stsCode: string;
  constructor(accountId: string, roleArn: string, stsCode: string, detail: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(
      'AccountRoleUnavailable',
      `cannot assume ${roleArn} for account ${accountId}: STS answered ${stsCode}${detail ? ` (${detail})` : ''}; check the spoke stack (its role, trust policy and external id) and the accounts file`,
      options,
    );
    this.accountId = accountId;
    this.roleArn = roleArn;
    this.stsCode = stsCode;
  }
}

/** An address whose account (or region under it) the accounts file does not list: terminal until the file lists it. */
export class AccountNotListedError extends ReconcilerError {
  readonly accountId: string;
  readonly region: string;
  constructor(accountId: string, region: string, why: string) {
    super(
      'AccountNotListed',
      `account ${accountId} region ${region} is not in the accounts file: ${why}; nothing was read or written for it`,
    );
    this.accountId = accountId;
    this.region = region;
  }
}
