// The SQS back end: queues by name in the emulator's account, queue URLs
// http://127.0.0.1:<port>/<account>/<name>, ARNs arn:aws:sqs:<region>:<account>:<name>, the
// queue operations here and the message ones in messages.ts. Long polls (ReceiveMessage
// WaitTimeSeconds ≤ 20) wake on any change and end when the emulator stops.
import type { ServiceBackend } from '../types.ts';
import { DEFAULT_ATTRIBUTES, checkAttributes, renderAttributes, settingsOf } from './attributes.ts';
import { MessageOps } from './messages.ts';
import { DEDUPLICATION_WINDOW_MS, SqsQueue } from './queue.ts';
import { sqsError } from './sqs-errors.ts';

export interface SqsOptions {
  region: string;
  accountId: string;
  /** The emulator's URL (known once it listens). */
  baseUrl: () => string;
  now?: () => number;
  /** FIFO deduplication interval (SQS: 5 minutes). */
  deduplicationWindowMs?: number;
}

export interface QueueRecord {
  queue: SqsQueue;
  attrs: Record<string, string>;
  created: number;
  modified: number;
}

type Input = Record<string, unknown>;
const PATHS_KEPT = 1000;

export class SqsBackend implements ServiceBackend {
  readonly name = 'sqs' as const;
  readonly targetPrefix = 'AmazonSQS';
  readonly options: SqsOptions;
  readonly now: () => number;
  deduplicationWindowMs: number;
  readonly queues = new Map<string, QueueRecord>();
  private readonly messages: MessageOps;
  private waiters = new Set<() => void>();
  private closed = false;
  /** QueueUrl → its path (resolve). */
  private readonly paths = new Map<string, string>();

  constructor(options: SqsOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.deduplicationWindowMs = options.deduplicationWindowMs ?? DEDUPLICATION_WINDOW_MS;
    this.messages = new MessageOps(this);
  }

  async handle(operation: string, input: Input): Promise<unknown> {
    switch (operation) {
      case 'CreateQueue':
        return this.createQueue(input);
      case 'GetQueueUrl':
        return { QueueUrl: this.urlOf(this.named(String(input.QueueName)).queue.name) };
      case 'GetQueueAttributes': {
        const r = this.resolve(input.QueueUrl);
        const names = (input.AttributeNames as string[] | undefined) ?? [];
        return { Attributes: renderAttributes(r.queue, r.attrs, r, names) };
      }
      case 'SetQueueAttributes':
        return this.setAttributes(input);
      case 'ListQueues': {
        const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
        const names = [...this.queues.keys()].filter((n) => n.startsWith(prefix)).sort();
        return names.length === 0 ? {} : { QueueUrls: names.slice(0, Number(input.MaxResults ?? 1000)).map((n) => this.urlOf(n)) };
      }
      case 'DeleteQueue':
        this.queues.delete(this.resolve(input.QueueUrl).queue.name);
        this.notify();
        return {};
      case 'PurgeQueue':
        this.resolve(input.QueueUrl).queue.purge();
        this.notify();
        return {};
      default:
        return this.messages.handle(operation, input);
    }
  }

  urlOf(name: string): string {
    return `${this.options.baseUrl()}/${this.options.accountId}/${name}`;
  }

  /** The queue a QueueUrl names (any host: the path /<account>/<name> decides). */
  resolve(url: unknown): QueueRecord {
    const text = String(url);
    let path = this.paths.get(text);
    if (path === undefined) {
      try {
        path = new URL(text).pathname;
      } catch {
        throw sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
      }
      // Every message operation names its queue by URL; the few URLs in use are parsed once.
      if (this.paths.size >= PATHS_KEPT) this.paths.clear();
      this.paths.set(text, path);
    }
    const [account, name, ...rest] = path.split('/').filter((p) => p !== '');
    if (account !== this.options.accountId || name === undefined || rest.length > 0)
      throw sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
    return this.named(decodeURIComponent(name));
  }

  named(name: string): QueueRecord {
    const r = this.queues.get(name);
    if (!r) throw sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
    return r;
  }

  byArn(arn: string): QueueRecord | undefined {
    return [...this.queues.values()].find((r) => r.queue.arn === arn);
  }

  /** Wakes every long poll (something changed, or the emulator stops). */
  notify(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }

  /** Resolves on the next change or after `ms`; false once the back end is closed. */
  wait(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(!this.closed);
      };
      const timer = setTimeout(wake, Math.max(1, ms));
      this.waiters.add(wake);
    });
  }

  close(): void {
    this.closed = true;
    this.notify();
  }

  reset(): void {
    this.queues.clear();
    this.notify();
  }

  // Queues live in memory only: the state file keeps Transfer, SSM and EC2.
  snapshot(): unknown {
    return undefined;
  }

  restore(): void {}

  private createQueue(input: Input): unknown {
    const name = String(input.QueueName);
    const given = (input.Attributes as Record<string, string> | undefined) ?? {};
    const fifo = given.FifoQueue === 'true';
    if (!/^[A-Za-z0-9_-]{1,75}(\.fifo)?$/.test(name) || name.length > 80 || name.endsWith('.fifo') !== fifo)
      throw sqsError(
        'InvalidParameterValue',
        fifo || name.endsWith('.fifo')
          ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
          : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    checkAttributes(given, fifo, true);
    const attrs = { ...DEFAULT_ATTRIBUTES, ...(fifo ? { ContentBasedDeduplication: 'false' } : {}), ...given };
    const existing = this.queues.get(name);
    if (existing) {
      const same = Object.entries(given).every(([k, v]) => existing.attrs[k] === v);
      if (!same)
        throw sqsError(
          'QueueNameExists',
          `A queue already exists with the same name and a different value for attribute(s) ${Object.keys(given).join(', ')}`,
        );
      return { QueueUrl: this.urlOf(name) };
    }
    const arn = `arn:aws:sqs:${this.options.region}:${this.options.accountId}:${name}`;
    const now = this.now();
    const queue = new SqsQueue(name, arn, settingsOf(attrs), this.now, () => this.deduplicationWindowMs);
    this.queues.set(name, { queue, attrs, created: now, modified: now });
    return { QueueUrl: this.urlOf(name) };
  }

  private setAttributes(input: Input): unknown {
    const r = this.resolve(input.QueueUrl);
    const given = (input.Attributes as Record<string, string> | undefined) ?? {};
    checkAttributes(given, r.queue.settings.fifo, false);
    r.attrs = { ...r.attrs, ...given };
    if (given.RedrivePolicy === '') delete r.attrs.RedrivePolicy;
    r.queue.settings = settingsOf(r.attrs);
    r.modified = this.now();
    this.notify();
    return {};
  }
}
