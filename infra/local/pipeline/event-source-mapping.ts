// Lambda's SQS event source mapping for a FIFO queue, played locally: pollers ReceiveMessage (10,
// every system attribute, a 1 s long poll so a stop is prompt), at most `maximumConcurrency`
// invocations in flight, each slot its own handler instance (a warm Lambda instance: own clients,
// own logger and metrics), records shaped as Lambda shapes SQSRecords, then ReportBatchItemFailures:
// every record not listed is deleted; a handler that throws deletes nothing (the batch comes back
// after the visibility timeout).
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaContext } from '../lambda/context.ts';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface EventSourceMappingOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  /** A new handler instance (called at most maximumConcurrency times, lazily). */
  createHandler: () => SqsHandler;
  /** The mapping's BatchSize (1–10; deployed 10). */
  batchSize?: number;
  maximumConcurrency: number;
  /** The function's timeout (the worker's: 600 s). */
  timeoutMs: number;
  functionName: string;
  /** Long-poll seconds per ReceiveMessage (default 1). */
  waitSeconds?: number;
  onBatch?: (records: number, error?: unknown) => void;
}

export interface Polled {
  records: SQSRecord[];
  response: SQSBatchResponse;
}

export function toRecord(m: Message, queueArn: string, region: string): SQSRecord {
  return {
    messageId: m.MessageId ?? '',
    receiptHandle: m.ReceiptHandle ?? '',
    body: m.Body ?? '',
    attributes: (m.Attributes ?? {}) as unknown as SQSRecord['attributes'],
    messageAttributes: Object.fromEntries(
      Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
        k,
        { dataType: v.DataType ?? 'String', ...(v.StringValue !== undefined ? { stringValue: v.StringValue } : {}) },
      ]),
    ) as SQSRecord['messageAttributes'],
    md5OfBody: m.MD5OfBody ?? '',
    ...(m.MD5OfMessageAttributes ? { md5OfMessageAttributes: m.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

export class EventSourceMapping {
  private readonly idle: SqsHandler[] = [];
  private created = 0;
  private inFlight = 0;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly abort = new AbortController();
  private readonly o: EventSourceMappingOptions;
  constructor(options: EventSourceMappingOptions) {
    this.o = options;
  }

  /** Invocations running now. */
  get busy(): number {
    return this.inFlight;
  }

  /** Starts `maximumConcurrency` pollers in the background. */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (let i = 0; i < this.o.maximumConcurrency; i++) this.loops.push(this.loop());
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        await this.poll(this.o.timeoutMs, this.o.waitSeconds ?? 1);
      } catch {
        if (this.running) await new Promise((r) => setTimeout(r, 100)); // a receive that failed: try again shortly
      }
    }
  }

  /** One poll: receive up to 10, invoke, delete. Undefined when the queue gave nothing (or the handler threw). */
  async poll(remainingMs = this.o.timeoutMs, waitSeconds = 0): Promise<Polled | undefined> {
    const out = await this.o.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.o.queueUrl,
        MaxNumberOfMessages: this.o.batchSize ?? 10,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: waitSeconds,
      }),
      { abortSignal: this.abort.signal },
    );
    const records = (out.Messages ?? []).map((m) => toRecord(m, this.o.queueArn, this.o.region));
    if (records.length === 0) return undefined;
    const handler = this.idle.pop() ?? (this.created++, this.o.createHandler());
    this.inFlight++;
    let response: SQSBatchResponse;
    try {
      response = (await handler({ Records: records }, lambdaContext(remainingMs, this.o.functionName))) ?? { batchItemFailures: [] };
    } catch (error) {
      this.o.onBatch?.(records.length, error);
      return undefined; // nothing deleted: the records come back after the visibility timeout
    } finally {
      this.inFlight--;
      this.idle.push(handler);
    }
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    const done = records.filter((r) => !failed.has(r.messageId));
    // The records' deletes in one DeleteMessageBatch (a batch is at most 10 records, SQS's batch
    // limit); an entry SQS fails to delete simply comes back after the visibility timeout.
    if (done.length > 0)
      await this.o.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.o.queueUrl,
          Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
        }),
      );
    this.o.onBatch?.(records.length);
    return { records, response };
  }

  /** Builds instances ahead of the first poll, up to `n` (and maximumConcurrency): warm ones, as a running deployment has. */
  warm(n: number): SqsHandler[] {
    const made: SqsHandler[] = [];
    while (this.created < Math.min(n, this.o.maximumConcurrency)) {
      this.created++;
      const h = this.o.createHandler();
      this.idle.push(h);
      made.push(h);
    }
    return made;
  }

  /** Handler instances built so far (never more than maximumConcurrency in background mode). */
  get instances(): number {
    return this.created;
  }

  /** Stops polling (an open long poll is abandoned) and waits for the invocations in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await Promise.all(this.loops);
  }
}
