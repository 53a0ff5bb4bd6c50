// The worker's batch handling with hand-built SQS FIFO records and a stand-in reconcile:
// coalescing (20 records of one group → one reconcile; two groups → two), the trigger of a group,
// which records come back (a retryable failure: exactly that group's; terminal: none), and bodies
// that cannot be read.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { readConfig } from '../../functions/handlers/lib/config.ts';
import { createHandler } from '../../functions/handlers/worker.ts';
import { processBatch } from '../../functions/handlers/lib/worker-batch.ts';
import type { AwsClients } from '../../functions/reconciler/aws/clients.ts';
import { buildMessage } from '../../functions/reconciler/queue/message.ts';
import type { ReconcileMessage } from '../../functions/reconciler/queue/message.ts';
import type { ReconcileOptions } from '../../functions/reconciler/reconcile.ts';
import type { Outcome, Result } from '../../functions/reconciler/types.ts';
import { capturedObservability, lambdaContext } from '../integration/handlers-harness.ts';

const A = 's-0000000000000000a';
const B = 's-0000000000000000b';
const config = readConfig({});
const clients = {} as AwsClients;
let seq = 0;

function record(serverId: string, over: Partial<ReconcileMessage> = {}, body?: string): SQSRecord {
  seq += 1;
  const built = buildMessage({
    serverId,
    trigger: 'event',
    reason: 'api-call',
    sentAt: new Date().toISOString(),
    source: `ev-${seq}`,
    ...over,
  });
  return {
    messageId: `m-${seq}`,
    receiptHandle: `r-${seq}`,
    body: body ?? built.body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'x',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
      MessageGroupId: built.groupId,
      MessageDeduplicationId: built.deduplicationId,
      SequenceNumber: String(seq),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q.fifo',
    awsRegion: 'us-east-1',
  };
}

function outcome(serverId: string, result: Result, retryable?: boolean): Outcome {
  return {
    serverId,
    parameter: { name: `/p/${serverId}` },
    trigger: 'event',
    mode: 'enforce',
    result,
    changes: [],
    calls: {},
    durationMs: 1,
    warnings: [],
    ...(retryable === undefined
      ? {}
      : { error: { code: retryable ? 'ThrottlingException' : 'InvalidDesiredState', message: 'x', retryable } }),
  };
}

/** A reconcile stand-in: records each call, answers from `results`. */
function standIn(results: Record<string, Outcome> = {}) {
  const calls: { serverId: string; trigger: string }[] = [];
  const reconcile = async (serverId: string, opts: ReconcileOptions): Promise<Outcome> => {
    calls.push({ serverId, trigger: opts.trigger });
    return results[serverId] ?? outcome(serverId, 'in-sync');
  };
  return { calls, reconcile };
}

const batch = (records: SQSRecord[]): SQSEvent => ({ Records: records });
const failedIds = (r: { response: { batchItemFailures: { itemIdentifier: string }[] } }) =>
  r.response.batchItemFailures.map((f) => f.itemIdentifier);

describe('worker batch', () => {
  test('20 records of one group in a batch → one reconcile, none returned', async () => {
    const s = standIn();
    const records = Array.from({ length: 20 }, () => record(A));
    const r = await processBatch(batch(records), Date.now() + 60_000, { config, clients, reconcile: s.reconcile });
    assert.deepEqual(s.calls, [{ serverId: A, trigger: 'event' }]);
    assert.deepEqual(failedIds(r), []);
    assert.equal(r.results[0]?.group.messageIds.length, 20);
  });

  test('records of two groups → two reconciles; a group of schedule messages only is reconciled as `schedule`', async () => {
    const s = standIn();
    const r = await processBatch(
      batch([
        record(A),
        record(B, { trigger: 'schedule', reason: 'schedule' }),
        record(A, { trigger: 'schedule', reason: 'schedule' }),
        record(B, { trigger: 'schedule', reason: 'schedule' }),
      ]),
      Date.now() + 60_000,
      { config, clients, reconcile: s.reconcile },
    );
    assert.deepEqual(
      s.calls.sort((x, y) => x.serverId.localeCompare(y.serverId)),
      [
        { serverId: A, trigger: 'event' },
        { serverId: B, trigger: 'schedule' },
      ],
    );
    assert.deepEqual(failedIds(r), []);
  });

  test("a retryable failure returns exactly that group's records, the other group is deleted", async () => {
    const s = standIn({ [A]: outcome(A, 'failed', true) });
    const records = [record(A), record(B), record(A), record(B), record(A)];
    const r = await processBatch(batch(records), Date.now() + 60_000, { config, clients, reconcile: s.reconcile });
    assert.equal(s.calls.length, 2);
    assert.deepEqual(failedIds(r).sort(), [records[0], records[2], records[4]].map((x) => x?.messageId).sort());
  });

  test('terminal results (invalid, failed not retryable, not-found, blocked, unmanaged) return no record', async () => {
    for (const [result, retryable] of [
      ['invalid', false],
      ['failed', false],
      ['not-found', false],
      ['blocked', undefined],
      ['unmanaged', false],
    ] as const) {
      const s = standIn({ [A]: outcome(A, result, retryable) });
      const r = await processBatch(batch([record(A), record(A)]), Date.now() + 60_000, { config, clients, reconcile: s.reconcile });
      assert.deepEqual(failedIds(r), [], result);
    }
  });

  test('a reconcile that throws (a bug) returns its group; a whole failed batch is an answer, not an invocation error', async () => {
    const reconcile = async (): Promise<Outcome> => {
      throw new Error('boom');
    };
    const records = [record(A), record(A)];
    const r = await processBatch(batch(records), Date.now() + 60_000, { config, clients, reconcile });
    assert.deepEqual(
      failedIds(r),
      records.map((x) => x.messageId),
    );
  });

  test('an unreadable body still reconciles the server its group names; a group naming no server is deleted', async () => {
    const s = standIn();
    const bad = record(A, {}, '{not json');
    const orphan = record(B, {}, 'garbage');
    if (orphan.attributes.MessageGroupId !== undefined) orphan.attributes.MessageGroupId = 'not-a-server';
    const r = await processBatch(batch([bad, orphan]), Date.now() + 60_000, { config, clients, reconcile: s.reconcile });
    assert.deepEqual(s.calls, [{ serverId: A, trigger: 'event' }]);
    assert.deepEqual(failedIds(r), []);
    assert.equal(r.results[0]?.group.problems.length, 1);
  });

  test('the handler: one outcome line per group, a batch line, Coalesced and outcome metrics, batchItemFailures', async () => {
    const obs = capturedObservability();
    const s = standIn({ [B]: outcome(B, 'failed', true) });
    const handler = createHandler({ config, clients, ...obs, reconcile: s.reconcile });
    const records = [...Array.from({ length: 9 }, () => record(A)), record(B)];
    const response = await handler(batch(records), lambdaContext(60_000));
    assert.deepEqual(response.batchItemFailures, [{ itemIdentifier: records[9]?.messageId }]);
    assert.deepEqual(
      obs
        .outcomes()
        .map((o) => `${o.serverId}:${o.result}`)
        .sort(),
      [`${A}:in-sync`, `${B}:failed`],
    );
    const line = obs.lines.find((l) => l.message === 'batch');
    assert.equal(line?.records, 10);
    assert.equal(line?.failedRecords, 1);
    const emf = obs.emf()[0] ?? {};
    assert.equal(emf.Coalesced, 8);
    assert.equal(emf.Reconciles, 2);
    assert.equal(emf.Failed, 1);
  });

  test('schedule reconciles are counted under Trigger=schedule, event ones under Trigger=event', async () => {
    const obs = capturedObservability();
    const s = standIn({ [B]: { ...outcome(B, 'blocked'), trigger: 'schedule' } });
    const handler = createHandler({ config, clients, ...obs, reconcile: s.reconcile });
    await handler(batch([record(A), record(B, { trigger: 'schedule', reason: 'schedule' })]), lambdaContext(60_000));
    const byTrigger = Object.fromEntries(obs.emf().map((e) => [String(e.Trigger), e]));
    assert.equal(byTrigger.schedule?.Blocked, 1);
    assert.equal(byTrigger.schedule?.Reconciles, 1);
    assert.equal(byTrigger.event?.Reconciles, 1);
    assert.equal(byTrigger.event?.Blocked, 0);
  });

  test("the failed group's records are returned after the backoff for their receive count; nothing else is touched", async () => {
    const obs = capturedObservability();
    const changed: { ReceiptHandle?: string; VisibilityTimeout?: number }[] = [];
    const sqs = {
      send: async (command: { input: { Entries?: typeof changed } }) => {
        changed.push(...(command.input.Entries ?? []));
        return { Successful: [], Failed: [] };
      },
    } as unknown as SQSClient;
    const s = standIn({ [A]: outcome(A, 'failed', true) });
    const handler = createHandler({ config, clients, ...obs, reconcile: s.reconcile, requeue: { sqs, queueUrl: 'q.fifo' } });
    const again = record(A);
    again.attributes.ApproximateReceiveCount = '3';
    await handler(batch([again, record(B)]), lambdaContext(60_000));
    assert.deepEqual(
      changed.map((e) => [e.ReceiptHandle, e.VisibilityTimeout]),
      [[again.receiptHandle, 120]],
    );
  });
});
