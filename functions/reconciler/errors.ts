// The reconciler's error hierarchy. Match with instanceof, never by message text.
import type { Issue } from './types.ts';

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

/** The server (or the document's parameter) does not exist: terminal. */
export class ServerNotFoundError extends ReconcilerError {
  readonly serverId: string;
  constructor(serverId: string, message: string, options: { cause?: unknown } = {}) {
    super('ServerNotFound', message, options);
    this.serverId = serverId;
  }
}

export class BlockedChangeError extends ReconcilerError {
  readonly issues: Issue[];
  constructor(issues: Issue[]) {
    super('Blocked', issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    this.issues = issues;
  }
}

/** The server is in a transitional state, or a deadline was reached: try again later. */
export class RetryLaterError extends ReconcilerError {
  readonly afterMs: number;
  constructor(message: string, afterMs: number, options: { cause?: unknown } = {}) {
    super('RetryLater', message, { ...options, retryable: true });
    this.afterMs = afterMs;
  }
}
