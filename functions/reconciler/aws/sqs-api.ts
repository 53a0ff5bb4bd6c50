// SQS adapter: the only module that builds SQS commands. SendMessageBatch in chunks of 10 (the
// API's limit); entries that fail for a reason that may pass (not a sender fault: throttling,
// an internal error) are sent again, up to `attempts` times. The SDK retries the call itself.
import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSClient, SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { mapLimit } from '../concurrency.ts';
import type { OutgoingMessage } from '../queue/message.ts';

export const BATCH_LIMIT = 10;

export interface SendReport {
  sent: number;
  /** Entries still failed after the retries: the caller reports them (the sweep is the backstop). */
  failed: { groupId: string; code: string; message: string }[];
}

export interface SendOptions {
  /** Sends of one entry, first included. */
  attempts?: number;
  /** Batches in flight at once. */
  concurrency?: number;
  sleep?: (ms: number) => Promise<void>;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function sendMessages(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly OutgoingMessage[],
  opts: SendOptions = {},
): Promise<SendReport> {
  const chunks: OutgoingMessage[][] = [];
  for (let i = 0; i < messages.length; i += BATCH_LIMIT) chunks.push(messages.slice(i, i + BATCH_LIMIT));
  const reports = await mapLimit(chunks, opts.concurrency ?? 4, (chunk) => sendChunk(sqs, queueUrl, chunk, opts));
  return { sent: reports.reduce((n, r) => n + r.sent, 0), failed: reports.flatMap((r) => r.failed) };
}

async function sendChunk(sqs: SQSClient, queueUrl: string, chunk: readonly OutgoingMessage[], opts: SendOptions): Promise<SendReport> {
  const attempts = opts.attempts ?? 3;
  const sleep = opts.sleep ?? pause;
  let pending = chunk.map((m, i) => ({ id: String(i), message: m }));
  const failed: SendReport['failed'] = [];
  let sent = 0;
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    const entries: SendMessageBatchRequestEntry[] = pending.map(({ id, message }) => ({
      Id: id,
      MessageBody: message.body,
      MessageGroupId: message.groupId,
      MessageDeduplicationId: message.deduplicationId,
    }));
    const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    sent += out.Successful?.length ?? 0;
    const errors = new Map((out.Failed ?? []).map((f) => [f.Id ?? '', f]));
    const again: typeof pending = [];
    for (const p of pending) {
      const e = errors.get(p.id);
      if (e === undefined) continue;
      const record = { groupId: p.message.groupId, code: e.Code ?? 'UnknownError', message: e.Message ?? '' };
      if (e.SenderFault === true || attempt >= attempts) failed.push(record);
      else again.push(p);
    }
    pending = again;
    if (pending.length > 0) await sleep(100 * 2 ** (attempt - 1));
  }
  return { sent, failed };
}

/**
 * Returns received messages to the queue after `seconds` each (ChangeMessageVisibilityBatch, ≤ 10
 * per call): the worker's backoff for a retryable failure, instead of the whole visibility
 * timeout (≥ 6 × the worker timeout). Best effort: a message whose change fails simply comes back
 * after the queue's visibility timeout. Returns how many changes failed.
 */
export async function returnAfter(
  sqs: SQSClient,
  queueUrl: string,
  entries: readonly { receiptHandle: string; seconds: number }[],
): Promise<number> {
  let failed = 0;
  for (let i = 0; i < entries.length; i += BATCH_LIMIT) {
    const chunk = entries.slice(i, i + BATCH_LIMIT);
    const out = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((e, j) => ({ Id: String(j), ReceiptHandle: e.receiptHandle, VisibilityTimeout: Math.round(e.seconds) })),
      }),
    );
    failed += out.Failed?.length ?? 0;
  }
  return failed;
}
