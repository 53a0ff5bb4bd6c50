// SQS's message operations: send (FIFO needs MessageGroupId, and a deduplication id unless the
// queue has content-based deduplication), receive (long polling, redrive, system and message
// attributes), delete, change visibility, and their batches (≤ 10 entries, distinct ids,
// per-entry failures beside the successes).
import { AwsError } from '../aws-error.ts';
import type { SqsBackend } from './backend.ts';
import type { MessageAttributeValue } from './md5.ts';
import type { StoredMessage } from './queue.ts';
import { md5OfAttributes } from './md5.ts';
import { sqsError } from './sqs-errors.ts';

type Input = Record<string, unknown>;
const MAX_WAIT_SECONDS = 20;

export class MessageOps {
  private readonly sqs: SqsBackend;

  constructor(sqs: SqsBackend) {
    this.sqs = sqs;
  }

  async handle(operation: string, input: Input): Promise<unknown> {
    switch (operation) {
      case 'SendMessage':
        return this.send(input.QueueUrl, input);
      case 'SendMessageBatch':
        return this.batch(input, (entry) => this.send(input.QueueUrl, entry));
      case 'ReceiveMessage':
        return this.receive(input);
      case 'DeleteMessage':
        this.delete(input.QueueUrl, input);
        return {};
      case 'DeleteMessageBatch':
        return this.batch(input, (entry) => (this.delete(input.QueueUrl, entry), {}));
      case 'ChangeMessageVisibility':
        this.changeVisibility(input.QueueUrl, input);
        return {};
      case 'ChangeMessageVisibilityBatch':
        return this.batch(input, (entry) => (this.changeVisibility(input.QueueUrl, entry), {}));
    }
    throw sqsError('UnsupportedOperation', `The local emulator does not serve ${operation}.`);
  }

  private send(url: unknown, m: Input): Record<string, unknown> {
    const r = this.sqs.resolve(url);
    const { fifo, contentBasedDeduplication } = r.queue.settings;
    const body = String(m.MessageBody ?? '');
    if (body === '') throw sqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
    if (Buffer.byteLength(body) > Number(r.attrs.MaximumMessageSize))
      throw sqsError(
        'InvalidParameterValue',
        "One or more parameters are invalid. Reason: Message must be shorter than the queue's MaximumMessageSize.",
      );
    const groupId = m.MessageGroupId as string | undefined;
    const dedupId = m.MessageDeduplicationId as string | undefined;
    if (fifo) {
      if (groupId === undefined) throw sqsError('MissingParameter', 'The request must contain the parameter MessageGroupId.');
      if (dedupId === undefined && !contentBasedDeduplication)
        throw sqsError(
          'InvalidParameterValue',
          'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
        );
      if (m.DelaySeconds !== undefined)
        throw sqsError(
          'InvalidParameterValue',
          'Value for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
        );
    } else if (dedupId !== undefined) {
      throw sqsError(
        'InvalidParameterValue',
        'The request include parameter MessageDeduplicationId that is not valid for this queue type.',
      );
    }
    const delay = m.DelaySeconds as number | undefined;
    if (delay !== undefined && (delay < 0 || delay > 900))
      throw sqsError('InvalidParameterValue', 'Value for parameter DelaySeconds is invalid. Reason: must be between 0 and 900.');
    const sent = r.queue.send({
      body,
      ...(m.MessageAttributes ? { attributes: m.MessageAttributes as Record<string, MessageAttributeValue> } : {}),
      ...(groupId !== undefined ? { groupId } : {}),
      ...(dedupId !== undefined ? { dedupId } : {}),
      ...(delay !== undefined ? { delaySeconds: delay } : {}),
    });
    this.sqs.notify();
    const out: Record<string, unknown> = { MessageId: sent.id, MD5OfMessageBody: sent.md5 };
    if (sent.md5Attributes) out.MD5OfMessageAttributes = sent.md5Attributes;
    if (sent.sequenceNumber) out.SequenceNumber = sent.sequenceNumber;
    return out;
  }

  private async receive(input: Input): Promise<unknown> {
    const r = this.sqs.resolve(input.QueueUrl);
    const max = (input.MaxNumberOfMessages as number | undefined) ?? 1;
    if (max < 1 || max > 10)
      throw sqsError(
        'InvalidParameterValue',
        `Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
      );
    const wait = (input.WaitTimeSeconds as number | undefined) ?? Number(r.attrs.ReceiveMessageWaitTimeSeconds);
    if (wait < 0 || wait > MAX_WAIT_SECONDS)
      throw sqsError(
        'InvalidParameterValue',
        `Value ${wait} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
      );
    const visibility = input.VisibilityTimeout as number | undefined;
    if (visibility !== undefined && (visibility < 0 || visibility > 43_200))
      throw sqsError(
        'InvalidParameterValue',
        `Value ${visibility} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.`,
      );
    const deadline = Date.now() + wait * 1000;
    let asked: Set<string> | undefined;
    for (;;) {
      // The queue may be deleted while a poll waits: resolve it again each round.
      const queue = this.sqs.resolve(input.QueueUrl).queue;
      const got = queue.receive(max, visibility, (m) => this.redrive(queue.arn, m));
      const left = deadline - Date.now();
      if (got.length > 0 || left <= 0)
        return got.length === 0
          ? {}
          : { Messages: got.map((m) => render(m, input, (asked ??= askedAttributes(input)), this.sqs.options.accountId)) };
      const next = queue.nextChangeAt();
      const timeout = next === undefined ? left : Math.min(left, next - this.sqs.now());
      if (!(await this.sqs.wait(timeout))) return {};
    }
  }

  /** Moves a message to its queue's dead-letter queue; false (keep it) when that queue is gone. */
  private redrive(sourceArn: string, m: StoredMessage): boolean {
    const source = [...this.sqs.queues.values()].find((q) => q.queue.arn === sourceArn);
    const target = source?.queue.settings.redrive && this.sqs.byArn(source.queue.settings.redrive.deadLetterTargetArn);
    if (!target) return false;
    target.queue.accept(m, sourceArn);
    return true;
  }

  private delete(url: unknown, m: Input): void {
    const r = this.sqs.resolve(url);
    if (r.queue.delete(String(m.ReceiptHandle)) === 'invalid')
      throw sqsError('ReceiptHandleIsInvalid', `The input receipt handle "${String(m.ReceiptHandle)}" is not a valid receipt handle.`);
    this.sqs.notify();
  }

  private changeVisibility(url: unknown, m: Input): void {
    const r = this.sqs.resolve(url);
    const seconds = Number(m.VisibilityTimeout);
    if (!(seconds >= 0 && seconds <= 43_200))
      throw sqsError(
        'InvalidParameterValue',
        `Value ${seconds} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200.`,
      );
    const answer = r.queue.changeVisibility(String(m.ReceiptHandle), seconds);
    if (answer === 'invalid')
      throw sqsError('ReceiptHandleIsInvalid', `The input receipt handle "${String(m.ReceiptHandle)}" is not a valid receipt handle.`);
    if (answer === 'not-in-flight') throw sqsError('MessageNotInflight', 'The message referred to is not in flight.');
    this.sqs.notify();
  }

  private batch(input: Input, one: (entry: Input) => Record<string, unknown>): unknown {
    this.sqs.resolve(input.QueueUrl);
    const entries = (input.Entries as Input[] | undefined) ?? [];
    if (entries.length === 0)
      throw sqsError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
    if (entries.length > 10)
      throw sqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${entries.length}.`);
    const ids = entries.map((e) => String(e.Id));
    for (const id of ids) {
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(id))
        throw sqsError(
          'InvalidBatchEntryId',
          'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
        );
    }
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup !== undefined) throw sqsError('BatchEntryIdsNotDistinct', `Id ${dup} repeated.`);
    const total = entries.reduce((sum, e) => sum + Buffer.byteLength(String(e.MessageBody ?? '')), 0);
    if (total > 1_048_576) throw sqsError('BatchRequestTooLong', 'Batch requests cannot be longer than 1048576 bytes.');
    const Successful: Record<string, unknown>[] = [];
    const Failed: Record<string, unknown>[] = [];
    for (const entry of entries) {
      try {
        Successful.push({ Id: entry.Id, ...one(entry) });
      } catch (err) {
        if (!(err instanceof AwsError)) throw err;
        Failed.push({ Id: entry.Id, SenderFault: err.status < 500, Code: err.code, Message: err.message });
      }
    }
    return { Successful, Failed };
  }
}

/** The system attributes a ReceiveMessage asks for (both spellings of the member). */
function askedAttributes(input: Input): Set<string> {
  return new Set([
    ...((input.AttributeNames as string[] | undefined) ?? []),
    ...((input.MessageSystemAttributeNames as string[] | undefined) ?? []),
  ]);
}

/** A received message on the wire, with the system and message attributes asked for. */
function render(m: StoredMessage, input: Input, asked: ReadonlySet<string>, accountId: string): Record<string, unknown> {
  const system: Record<string, string | undefined> = {
    SenderId: accountId,
    SentTimestamp: String(m.sentAt),
    ApproximateReceiveCount: String(m.receiveCount),
    ApproximateFirstReceiveTimestamp: m.firstReceiveAt === undefined ? undefined : String(m.firstReceiveAt),
    MessageGroupId: m.groupId,
    MessageDeduplicationId: m.dedupId,
    SequenceNumber: m.sequenceNumber,
    DeadLetterQueueSourceArn: m.sourceArn,
  };
  const attributes = Object.fromEntries(
    Object.entries(system).filter(([k, v]) => v !== undefined && (asked.has('All') || asked.has(k))),
  ) as Record<string, string>;
  const out: Record<string, unknown> = { MessageId: m.id, ReceiptHandle: m.handle, MD5OfBody: m.md5, Body: m.body };
  if (Object.keys(attributes).length > 0) out.Attributes = attributes;
  const names = (input.MessageAttributeNames as string[] | undefined) ?? [];
  if (m.attributes && names.length > 0) {
    const wanted = Object.entries(m.attributes).filter(([k]) =>
      names.some((n) => n === 'All' || n === '.*' || n === k || (n.endsWith('.*') && k.startsWith(n.slice(0, -1)))),
    );
    if (wanted.length > 0) {
      out.MessageAttributes = Object.fromEntries(wanted);
      out.MD5OfMessageAttributes = md5OfAttributes(Object.fromEntries(wanted));
    }
  }
  return out;
}
