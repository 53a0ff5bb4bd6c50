// SQS on the emulator's one port through the real @aws-sdk/client-sqs over HTTP (awsJson 1.0,
// its MD5 checks on): FIFO queues with a dead-letter queue, send/receive/delete, visibility
// changes, batches with per-entry failures, long polling woken by a send, errors as the SDK
// parses them, queue attributes, the call log and faults.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { after } from 'node:test';
import { emulatorForTests, testCredentials } from '../helpers/emulator.ts';

const emu = await emulatorForTests({ sqsDeduplicationWindowMs: 300 });
const sqs = new SQSClient({ endpoint: emu.url, region: emu.region, credentials: testCredentials });
after(() => sqs.destroy());

async function fifoWithDlq(name: string, maxReceiveCount = 2): Promise<{ url: string; dlqUrl: string }> {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq.fifo`, Attributes: { FifoQueue: 'true' } }));
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes
    ?.QueueArn;
  const q = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${name}.fifo`,
      Attributes: {
        FifoQueue: 'true',
        VisibilityTimeout: '30',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
      },
    }),
  );
  return { url: q.QueueUrl ?? '', dlqUrl: dlq.QueueUrl ?? '' };
}

describe('SQS through the SDK', () => {
  test('queue URL and ARN; FIFO order per group, one in flight per group, delete unblocks', async () => {
    const { url } = await fifoWithDlq('order');
    assert.equal(url, `${emu.url}/${emu.accountId}/order.fifo`);
    assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: 'order.fifo' }))).QueueUrl, url);
    for (const [g, b] of [
      ['s-1', 'a'],
      ['s-1', 'b'],
      ['s-2', 'c'],
    ])
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: b, MessageGroupId: g, MessageDeduplicationId: `${g}${b}` }));
    const first = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, MessageSystemAttributeNames: ['All'] }),
    );
    const m = first.Messages?.[0];
    assert.equal(m?.Body, 'a');
    assert.equal(m?.Attributes?.MessageGroupId, 's-1');
    assert.equal(m?.Attributes?.ApproximateReceiveCount, '1');
    assert.equal(m?.Attributes?.MessageDeduplicationId, 's-1a');
    assert.ok(Number(m?.Attributes?.SentTimestamp) > 0);
    const rest = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    assert.deepEqual(
      rest.Messages?.map((x) => x.Body),
      ['c'],
      's-1 is blocked while a is in flight',
    );
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    assert.equal(attrs.Attributes?.ApproximateNumberOfMessages, '1');
    assert.equal(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible, '2');
    assert.equal(attrs.Attributes?.QueueArn, `arn:aws:sqs:${emu.region}:${emu.accountId}:order.fifo`);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m?.ReceiptHandle }));
    const next = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    assert.deepEqual(
      next.Messages?.map((x) => x.Body),
      ['b'],
    );
  });

  test('change visibility to 0 redelivers; after maxReceiveCount the message is in the dead-letter queue', async () => {
    const { url, dlqUrl } = await fifoWithDlq('redrive', 2);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: '1' }));
    for (let i = 0; i < 2; i++) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
      assert.equal(got.Messages?.length, 1);
      await sqs.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: got.Messages?.[0]?.ReceiptHandle, VisibilityTimeout: 0 }),
      );
    }
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined);
    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageSystemAttributeNames: ['DeadLetterQueueSourceArn'] }));
    assert.equal(dead.Messages?.[0]?.Body, 'x');
    assert.match(dead.Messages?.[0]?.Attributes?.DeadLetterQueueSourceArn ?? '', /:redrive\.fifo$/);
  });

  test('batches: per-entry failures beside successes; deduplication within the (shortened) window', async () => {
    const { url } = await fifoWithDlq('batch');
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'one', MessageBody: 'm1', MessageGroupId: 'g', MessageDeduplicationId: 'd1' },
          { Id: 'two', MessageBody: 'm2', MessageDeduplicationId: 'd2' },
          { Id: 'dup', MessageBody: 'm1 again', MessageGroupId: 'g', MessageDeduplicationId: 'd1' },
        ],
      }),
    );
    assert.deepEqual(
      sent.Successful?.map((s) => s.Id),
      ['one', 'dup'],
    );
    assert.equal(sent.Successful?.[1]?.MessageId, sent.Successful?.[0]?.MessageId, 'a duplicate answers the first MessageId');
    assert.deepEqual(
      sent.Failed?.map((f) => [f.Id, f.Code, f.SenderFault]),
      [['two', 'MissingParameter', true]],
    );
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    assert.deepEqual(
      got.Messages?.map((m) => m.Body),
      ['m1'],
    );
    const del = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'ok', ReceiptHandle: got.Messages?.[0]?.ReceiptHandle },
          { Id: 'bad', ReceiptHandle: 'not-a-handle' },
        ],
      }),
    );
    assert.deepEqual(
      del.Successful?.map((s) => s.Id),
      ['ok'],
    );
    assert.deepEqual(
      del.Failed?.map((f) => f.Code),
      ['ReceiptHandleIsInvalid'],
    );
    await new Promise((r) => setTimeout(r, 350));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'm1 later', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages?.[0]?.Body, 'm1 later');
    await assert.rejects(
      sqs.send(
        new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' })) }),
      ),
      { name: 'TooManyEntriesInBatchRequest' },
    );
  });

  test('a long poll wakes on a send; an empty one ends after WaitTimeSeconds', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'standard', Attributes: { VisibilityTimeout: '5' } }));
    const started = Date.now();
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10, MessageAttributeNames: ['All'] }));
    setTimeout(() => {
      void sqs.send(
        new SendMessageCommand({ QueueUrl, MessageBody: 'hello', MessageAttributes: { kind: { DataType: 'String', StringValue: 'k' } } }),
      );
    }, 200);
    const got = await polling;
    assert.equal(got.Messages?.[0]?.Body, 'hello');
    assert.equal(got.Messages?.[0]?.MessageAttributes?.kind?.StringValue, 'k');
    assert.ok(Date.now() - started < 3_000);
    const t0 = Date.now();
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }))).Messages, undefined);
    assert.ok(Date.now() - t0 >= 900);
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: '7' } }));
    const a = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    assert.deepEqual(a.Attributes, { VisibilityTimeout: '7', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  test('errors as the SDK parses them; ListQueues, DeleteQueue; the call log names the caller', async () => {
    await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })), (e: unknown) => e instanceof QueueDoesNotExist);
    await assert.rejects(
      sqs.send(new SendMessageCommand({ QueueUrl: `${emu.url}/${emu.accountId}/order.fifo`, MessageBody: 'x', MessageGroupId: 'g' })),
      {
        name: 'InvalidParameterValue',
      },
    );
    const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'order' }));
    assert.deepEqual(listed.QueueUrls, [`${emu.url}/${emu.accountId}/order-dlq.fifo`, `${emu.url}/${emu.accountId}/order.fifo`]);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: listed.QueueUrls?.[0] }));
    await assert.rejects(
      sqs.send(new ReceiveMessageCommand({ QueueUrl: listed.QueueUrls?.[0] })),
      (e: unknown) => e instanceof QueueDoesNotExist,
    );
    const calls = emu.calls.list().filter((c) => c.service === 'sqs');
    assert.ok(calls.some((c) => c.operation === 'SendMessageBatch' && c.status === 200));
    assert.ok(calls.some((c) => c.operation === 'GetQueueUrl' && c.errorCode === 'QueueDoesNotExist' && c.status === 400));
    assert.ok(calls.every((c) => c.principal === `arn:aws:sts::${emu.accountId}:assumed-role/Admin/alice`));
  });

  test('faults: throttling answered as SQS does (RequestThrottled), retried by the SDK', async () => {
    emu.faults.set({ services: { sqs: { throttle: { rate: 0.001, burst: 1 } } } });
    try {
      const client = new SQSClient({ endpoint: emu.url, region: emu.region, credentials: testCredentials, maxAttempts: 1 });
      after(() => client.destroy());
      await client.send(new ListQueuesCommand({}));
      await assert.rejects(
        client.send(new ListQueuesCommand({})),
        (e: unknown) => (e as { name?: string; $metadata?: { httpStatusCode?: number } }).name === 'RequestThrottled',
      );
      assert.equal(emu.calls.list().at(-1)?.injected, 'throttle');
    } finally {
      emu.faults.set({});
    }
  });
});
