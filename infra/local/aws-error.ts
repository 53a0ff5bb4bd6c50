// An error the emulator answers with, in the awsJson 1.1 wire shape:
// HTTP `status`, body {"__type": code, "Message"|"message": message, ...fields}, extra headers.

export interface AwsErrorOptions {
  status?: number;
  /** Extra members of the error body (Resource, ResourceType, QuotaCode, ...). */
  fields?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** SSM's shapes spell it `message` for some exceptions. */
  messageKey?: 'Message' | 'message';
}

export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fields: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly messageKey: 'Message' | 'message';

  constructor(code: string, message: string, options: AwsErrorOptions = {}) {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.status = options.status ?? 400;
    this.fields = options.fields ?? {};
    this.headers = options.headers ?? {};
    this.messageKey = options.messageKey ?? 'Message';
  }

  body(): Record<string, unknown> {
    return { __type: this.code, [this.messageKey]: this.message, ...this.fields };
  }
}
