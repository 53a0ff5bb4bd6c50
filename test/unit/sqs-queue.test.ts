// The SQS queue logic on a hand-driven clock (infra/local/sqs/queue.ts): FIFO groups in order,
// nothing later of a group while one of its messages is in flight, deduplication within the
// window, visibility expiry, redrive after maxReceiveCount, receipt handles that expire.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SqsQueue } from '../../infra/local/sqs/queue.ts';
import type { QueueSettings, StoredMessage } from '../../infra/local/sqs/queue.ts';

function fifo(overrides: Partial<QueueSettings> = {}, windowMs = 300_000): { q: SqsQueue; clock: { t: number } } {
  const clock = { t: 1_000_000 };
  const settings: QueueSettings = {
    fifo: true,
    contentBasedDeduplication: false,
    visibilityTimeoutSeconds: 30,
    retentionSeconds: 345_600,
    delaySeconds: 0,
    ...overrides,
  };
  return {
    q: new SqsQueue(
      'q.fifo',
      'arn:aws:sqs:us-east-1:000000000000:q.fifo',
      settings,
      () => clock.t,
      () => windowMs,
    ),
    clock,
  };
}
const keep = (): boolean => false;
const bodies = (ms: StoredMessage[]): string[] => ms.map((m) => m.body);

describe('SQS FIFO queue', () => {
  test('messages of one group come in order; several groups share a receive', () => {
    const { q } = fifo();
    for (const [g, b] of [
      ['a', 'a1'],
      ['b', 'b1'],
      ['a', 'a2'],
      ['b', 'b2'],
      ['a', 'a3'],
    ] as const)
      q.send({ body: b, groupId: g, dedupId: b });
    assert.deepEqual(bodies(q.receive(10, undefined, keep)), ['a1', 'b1', 'a2', 'b2', 'a3']);
  });

  test('while a message of a group is in flight nothing later of that group is delivered', () => {
    const { q } = fifo();
    q.send({ body: 'a1', groupId: 'a', dedupId: '1' });
    q.send({ body: 'a2', groupId: 'a', dedupId: '2' });
    q.send({ body: 'b1', groupId: 'b', dedupId: '3' });
    const [a1] = q.receive(1, undefined, keep);
    assert.equal(a1?.body, 'a1');
    assert.deepEqual(bodies(q.receive(10, undefined, keep)), ['b1'], 'group a is blocked by a1 in flight');
    assert.deepEqual(bodies(q.receive(10, undefined, keep)), []);
    assert.equal(q.delete(a1?.handle ?? ''), 'ok');
    assert.deepEqual(bodies(q.receive(10, undefined, keep)), ['a2']);
  });

  test('visibility expiry redelivers the same message first, with a new handle; the old one has expired', () => {
    const { q, clock } = fifo({ visibilityTimeoutSeconds: 10 });
    q.send({ body: 'a1', groupId: 'a', dedupId: '1' });
    q.send({ body: 'a2', groupId: 'a', dedupId: '2' });
    const first = q.receive(1, undefined, keep)[0] as StoredMessage;
    const oldHandle = first.handle as string;
    clock.t += 9_999;
    assert.deepEqual(q.receive(10, undefined, keep), []);
    clock.t += 1;
    const again = q.receive(1, undefined, keep)[0] as StoredMessage;
    assert.equal(again.body, 'a1');
    assert.equal(again.receiveCount, 2);
    assert.notEqual(again.handle, oldHandle);
    assert.equal(q.delete(oldHandle), 'invalid');
    assert.equal(q.changeVisibility(again.handle as string, 0), 'ok');
    assert.equal(q.changeVisibility(again.handle as string, 5), 'not-in-flight');
    assert.equal(q.delete('garbage'), 'invalid');
  });

  test('deduplication: the same id within the window is dropped (same MessageId), after it accepted', () => {
    const { q, clock } = fifo({}, 1_000);
    const one = q.send({ body: 'x', groupId: 'a', dedupId: 'd' });
    const dup = q.send({ body: 'y', groupId: 'a', dedupId: 'd' });
    assert.equal(dup.id, one.id);
    assert.equal(q.counts().visible, 1);
    clock.t += 1_000;
    assert.notEqual(q.send({ body: 'z', groupId: 'a', dedupId: 'd' }).id, one.id);
    assert.equal(q.counts().visible, 2);
  });

  test('content-based deduplication hashes the body', () => {
    const { q } = fifo({ contentBasedDeduplication: true });
    q.send({ body: 'same', groupId: 'a' });
    q.send({ body: 'same', groupId: 'b' });
    q.send({ body: 'other', groupId: 'a' });
    assert.deepEqual(bodies(q.receive(10, undefined, keep)), ['same', 'other']);
  });

  test('redrive: after maxReceiveCount receives the next receive moves the message, and its group goes on', () => {
    const { q, clock } = fifo({ visibilityTimeoutSeconds: 1, redrive: { deadLetterTargetArn: 'arn:dlq', maxReceiveCount: 2 } });
    q.send({ body: 'a1', groupId: 'a', dedupId: '1' });
    q.send({ body: 'a2', groupId: 'a', dedupId: '2' });
    const moved: string[] = [];
    const toDlq = (m: StoredMessage): boolean => (moved.push(m.body), true);
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(bodies(q.receive(1, undefined, toDlq)), ['a1']);
      clock.t += 1_000;
    }
    assert.deepEqual(bodies(q.receive(1, undefined, toDlq)), ['a2']);
    assert.deepEqual(moved, ['a1']);
  });

  test('a dead-letter queue takes a moved message with its id and group, counted afresh', () => {
    const { q } = fifo();
    const src = fifo().q;
    src.send({ body: 'm', groupId: 'g', dedupId: 'd' });
    const m = src.receive(1, undefined, keep)[0] as StoredMessage;
    q.accept(m, 'arn:src');
    const got = q.receive(1, undefined, keep)[0] as StoredMessage;
    assert.equal(got.id, m.id);
    assert.equal(got.groupId, 'g');
    assert.equal(got.receiveCount, 1);
    assert.equal(got.sourceArn, 'arn:src');
  });
});

describe('SQS standard queue', () => {
  test('no group blocking; delays and retention hold', () => {
    const { q, clock } = fifo({ fifo: false, retentionSeconds: 60 });
    q.send({ body: 'a' });
    q.send({ body: 'b', delaySeconds: 5 });
    assert.deepEqual(bodies(q.receive(10, undefined, keep)), ['a']);
    assert.equal(q.counts().delayed, 1);
    clock.t += 5_000;
    assert.deepEqual(bodies(q.receive(10, undefined, keep)), ['b']);
    clock.t += 60_000;
    assert.deepEqual(q.counts(), { visible: 0, inFlight: 0, delayed: 0, oldestAgeSeconds: 0 });
  });
});
