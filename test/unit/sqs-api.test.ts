// The SQS adapter: SendMessageBatch in chunks of 10, per-entry failures sent again unless the
// sender is at fault, and what is still unsent reported by group.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { returnAfter, sendMessages } from '../../functions/reconciler/aws/sqs-api.ts';
import type { OutgoingMessage } from '../../functions/reconciler/queue/message.ts';

type Entry = { Id: string; MessageGroupId: string; MessageDeduplicationId: string; MessageBody: string };

/** A client whose SendMessageBatch answers with `fail(entry, attempt)` (an error entry or undefined). */
function fakeSqs(fail: (e: Entry, attempt: number) => { Code: string; SenderFault: boolean } | undefined) {
  const batches: Entry[][] = [];
  const attempts = new Map<string, number>();
  const client = {
    send: async (command: SendMessageBatchCommand) => {
      const entries = (command.input.Entries ?? []) as Entry[];
      batches.push(entries);
      const Successful: { Id: string }[] = [];
      const Failed: { Id: string; Code: string; SenderFault: boolean; Message: string }[] = [];
      for (const e of entries) {
        const n = (attempts.get(e.MessageDeduplicationId) ?? 0) + 1;
        attempts.set(e.MessageDeduplicationId, n);
        const f = fail(e, n);
        if (f) Failed.push({ Id: e.Id, Message: 'no', ...f });
        else Successful.push({ Id: e.Id });
      }
      return { Successful, Failed };
    },
  };
  return { client: client as unknown as SQSClient, batches };
}

const messages = (n: number): OutgoingMessage[] =>
  Array.from({ length: n }, (_, i) => ({ groupId: `g${i}`, deduplicationId: `d${i}`, body: `{"i":${i}}` }));
const noSleep = async (): Promise<void> => {};

describe('sendMessages', () => {
  test('25 messages → batches of 10, 10, 5 carrying group, deduplication id and body', async () => {
    const { client, batches } = fakeSqs(() => undefined);
    const report = await sendMessages(client, 'q.fifo', messages(25), { sleep: noSleep, concurrency: 1 });
    assert.deepEqual(report, { sent: 25, failed: [] });
    assert.deepEqual(
      batches.map((b) => b.length),
      [10, 10, 5],
    );
    assert.deepEqual(batches[0]?.[3], { Id: '3', MessageGroupId: 'g3', MessageDeduplicationId: 'd3', MessageBody: '{"i":3}' });
  });

  test('an entry throttled once is sent again (alone) and succeeds', async () => {
    const { client, batches } = fakeSqs((e, n) =>
      e.MessageGroupId === 'g2' && n === 1 ? { Code: 'ThrottlingException', SenderFault: false } : undefined,
    );
    const report = await sendMessages(client, 'q.fifo', messages(4), { sleep: noSleep });
    assert.deepEqual(report, { sent: 4, failed: [] });
    assert.deepEqual(
      batches.map((b) => b.map((e) => e.MessageGroupId)),
      [['g0', 'g1', 'g2', 'g3'], ['g2']],
    );
  });

  test('a sender fault is not retried; a failure that persists stops after the attempts; both are reported', async () => {
    const { client, batches } = fakeSqs((e) => {
      if (e.MessageGroupId === 'g0') return { Code: 'InvalidParameterValue', SenderFault: true };
      if (e.MessageGroupId === 'g1') return { Code: 'InternalError', SenderFault: false };
      return undefined;
    });
    const report = await sendMessages(client, 'q.fifo', messages(3), { sleep: noSleep, attempts: 3 });
    assert.equal(report.sent, 1);
    assert.deepEqual(report.failed.map((f) => `${f.groupId}:${f.code}`).sort(), ['g0:InvalidParameterValue', 'g1:InternalError']);
    assert.equal(batches.length, 3);
  });

  test('nothing to send → no call', async () => {
    const { client, batches } = fakeSqs(() => undefined);
    assert.deepEqual(await sendMessages(client, 'q.fifo', []), { sent: 0, failed: [] });
    assert.equal(batches.length, 0);
  });

  test('returnAfter: ChangeMessageVisibilityBatch in chunks of 10 with whole seconds; failed entries counted', async () => {
    const calls: { QueueUrl?: string; Entries?: { ReceiptHandle?: string; VisibilityTimeout?: number }[] }[] = [];
    const client = {
      send: async (command: { input: (typeof calls)[number] }) => {
        calls.push(command.input);
        return { Successful: [], Failed: calls.length === 1 ? [{ Id: '0', Code: 'ReceiptHandleIsInvalid', SenderFault: true }] : [] };
      },
    } as unknown as SQSClient;
    const entries = Array.from({ length: 12 }, (_, i) => ({ receiptHandle: `r${i}`, seconds: 30.4 }));
    assert.equal(await returnAfter(client, 'q.fifo', entries), 1);
    assert.deepEqual(
      calls.map((c) => c.Entries?.length),
      [10, 2],
    );
    assert.deepEqual(calls[1]?.Entries?.[1], { Id: '1', ReceiptHandle: 'r11', VisibilityTimeout: 30 });
    assert.equal(calls[0]?.QueueUrl, 'q.fifo');
  });
});
