// Schedule messages carry the document text the enumerator listed (listedDocument), and the worker
// plans from it, against the emulator through the real handlers: an in-sync sweep makes no
// GetParameter for the documents; a drifted server reads its document once from SSM before its
// first write; a listing gone stale before the worker ran (v2 put with no event) never writes v1's
// values; a carried document naming another server's parameter is not used; SecureString and
// key-material documents are never carried, and no message body holds either.
import { describe, test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { SQSRecord } from 'aws-lambda';
import { sendMessages } from '../../functions/reconciler/aws/sqs-api.ts';
import { parameterName } from '../../functions/reconciler/desired/server-address.ts';
import { buildMessage, listedDocument, parseMessage } from '../../functions/reconciler/queue/message.ts';
import type { ReconcileMessage } from '../../functions/reconciler/queue/message.ts';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { findKeyMaterial } from '../../functions/shared/key-material.ts';
import type { CloudTrailApiCallEvent } from '../../infra/local/types.ts';
import { PREFIX, engineForTests } from '../helpers/engine.ts';
import { keyMaterialLines, markedHostKey } from '../helpers/secrets.ts';
import { startPipeline } from './pipeline-harness.ts';
import { enumeratorFor, settle } from './pipeline-steps.ts';

const engine = await engineForTests();
const env = { DESIRED_STATE_PREFIX: PREFIX, TRANSFER_CALLS_PER_SECOND: '500', SSM_CALLS_PER_SECOND: '500', OFFLINE_WINDOW_MS: '1000' };
const pipe = await startPipeline(engine.emu, { name: 'worker-listed-document', env });
const enumerator = enumeratorFor(pipe, engine.clients);

const OLD = 'TransferSecurityPolicy-2018-11';
const V1 = 'TransferSecurityPolicy-2023-05';
const V2 = 'TransferSecurityPolicy-2024-01';
const nameOf = (serverId: string) => parameterName(PREFIX, { serverId });

beforeEach(async () => {
  engine.emu.faults.set({});
  await settle(pipe);
  enumerator.obs.clear();
});

/** Runs `change` while no event reaches the router (an account without a trail). */
async function unseen(change: () => Promise<void>): Promise<void> {
  pipe.deaf = true;
  try {
    await change();
    await pipe.routed();
  } finally {
    pipe.deaf = false;
  }
}

/** A server at `policy` with a document, put with no event (only a schedule message reconciles it). */
async function server(document: Record<string, unknown>, policy = OLD, type: 'String' | 'SecureString' = 'String'): Promise<string> {
  const id = await engine.createServer();
  await unseen(async () => {
    await engine.update({ ServerId: id, SecurityPolicyName: policy });
    await engine.putDocument(id, document, type);
  });
  return id;
}

/** Polls until the queue is empty: the records the worker was given and the outcomes it logged. */
async function drainRecords(): Promise<{ records: SQSRecord[]; outcomes: Outcome[] }> {
  const before = pipe.worker.outcomes().length;
  const records: SQSRecord[] = [];
  for (;;) {
    const polled = await pipe.poll();
    if (polled === undefined) break;
    records.push(...polled.records);
  }
  return { records, outcomes: pipe.worker.outcomes().slice(before) };
}

/** The one message (parsed) for `serverId` among the records. */
function messageFor(records: SQSRecord[], serverId: string): { body: string; message: ReconcileMessage } {
  const found = records.flatMap((r) => {
    const parsed = parseMessage(r.body);
    return parsed.ok && parsed.message.serverId === serverId ? [{ body: r.body, message: parsed.message }] : [];
  });
  assert.equal(found.length, 1, `messages for ${serverId}`);
  return found[0] as { body: string; message: ReconcileMessage };
}

function outcomeOf(outcomes: Outcome[], serverId: string): Outcome {
  const mine = outcomes.filter((o) => o.serverId === serverId);
  assert.equal(mine.length, 1, `outcomes of ${serverId}: ${JSON.stringify(mine)}`);
  return mine[0] as Outcome;
}

/** Calls since the last mark() that read a parameter, by name. */
const getParameters = (name: string) =>
  engine.calls().filter((c) => c.service === 'ssm' && c.operation === 'GetParameter' && c.target === name);
const updateServers = (serverId: string) =>
  engine.calls().filter((c) => c.service === 'transfer' && c.operation === 'UpdateServer' && c.target === serverId);
const lastEventSeq = () => engine.emu.events.list().at(-1)?.seq ?? 0;
/** The UpdateServer calls CloudTrail recorded for the server since `since`: what each request carried. */
const trailedUpdates = (serverId: string, since: number) =>
  engine.emu.events
    .list(since)
    .map(({ event }) => event as CloudTrailApiCallEvent)
    .filter(
      (e) => e.source === 'aws.transfer' && e.detail.eventName === 'UpdateServer' && e.detail.requestParameters?.serverId === serverId,
    )
    .map((e) => e.detail.requestParameters ?? {});

describe('schedule messages carry the listed document', () => {
  test('an in-sync sweep: the messages carry the text, the worker reads no document', async () => {
    const ids = [
      await server({ SecurityPolicyName: V2 }),
      await server({ SecurityPolicyName: V2 }),
      await server({ SecurityPolicyName: V2 }),
    ];
    await enumerator.run(); // the first pass brings them to their documents
    await pipe.drain();
    await settle(pipe);

    const result = await enumerator.run();
    assert.deepEqual(result.send.failed, []);
    engine.mark(); // after the listing: only the worker's calls from here
    const { records, outcomes } = await drainRecords();
    for (const id of ids) {
      const { message } = messageFor(records, id);
      assert.deepEqual(message.document, { name: nameOf(id), version: 1, text: JSON.stringify({ SecurityPolicyName: V2 }) });
      assert.equal(message.trigger, 'schedule');
      const o = outcomeOf(outcomes, id);
      assert.equal(o.result, 'in-sync');
      assert.deepEqual(o.parameter, { name: nameOf(id), version: 1 });
      assert.equal(o.calls.GetParameter ?? 0, 0, JSON.stringify(o.calls));
      assert.deepEqual(getParameters(nameOf(id)), [], `GetParameter of ${id}'s document`);
      assert.deepEqual(engine.writes(id), []);
    }
    const ssmReads = engine.calls().filter((c) => c.service === 'ssm' && (c.target ?? '').startsWith(PREFIX));
    assert.deepEqual(
      ssmReads.map((c) => `${c.operation} ${c.target ?? ''}`),
      [],
      'the worker read no document at all',
    );
  });

  test('a drifted server: its document is read once from SSM, before the write, and the server is repaired', async () => {
    const id = await server({ SecurityPolicyName: V2 }, V2); // in sync from the start
    await unseen(() => engine.update({ ServerId: id, SecurityPolicyName: OLD })); // a console edit, no trail
    await enumerator.run();
    engine.mark();
    const { records, outcomes } = await drainRecords();
    assert.equal(messageFor(records, id).message.document?.text, JSON.stringify({ SecurityPolicyName: V2 }));
    const o = outcomeOf(outcomes, id);
    assert.equal(o.result, 'updated');
    assert.deepEqual(o.parameter, { name: nameOf(id), version: 1 });
    assert.deepEqual(
      o.changes.map((c) => [c.path, c.from, c.to]),
      [['SecurityPolicyName', OLD, V2]],
    );
    const reads = getParameters(nameOf(id));
    const writes = updateServers(id);
    assert.equal(reads.length, 1, 'exactly one GetParameter of the document');
    assert.equal(writes.length, 1);
    assert.ok((reads[0]?.seq ?? Infinity) < (writes[0]?.seq ?? -Infinity), 'the document is read before the write');
    assert.equal((await engine.describe(id)).SecurityPolicyName, V2);
  });

  test('a stale listing: v2 put after the enumerator listed v1 — v1 is never written, the server ends at v2', async () => {
    const id = await server({ SecurityPolicyName: V1 }, OLD); // differs from both versions
    await enumerator.run(); // lists v1
    await unseen(() => engine.putDocument(id, { SecurityPolicyName: V2 })); // v2, and no event says so
    engine.mark();
    const since = lastEventSeq();
    const { records, outcomes } = await drainRecords();
    assert.deepEqual(messageFor(records, id).message.document, {
      name: nameOf(id),
      version: 1,
      text: JSON.stringify({ SecurityPolicyName: V1 }),
    });
    const o = outcomeOf(outcomes, id);
    assert.equal(o.result, 'updated');
    assert.deepEqual(o.parameter, { name: nameOf(id), version: 2 });
    assert.deepEqual(
      o.changes.map((c) => [c.path, c.from, c.to]),
      [['SecurityPolicyName', OLD, V2]],
    );
    assert.equal(getParameters(nameOf(id)).length, 1, 'one read: the confirmation before the first write');
    assert.equal(updateServers(id).length, 1);
    await pipe.routed();
    const sent = trailedUpdates(id, since);
    assert.deepEqual(
      sent.map((p) => p.securityPolicyName),
      [V2],
      'every UpdateServer carried v2',
    );
    assert.ok(!JSON.stringify(sent).includes(V1), 'v1 was never written');
    assert.equal((await engine.describe(id)).SecurityPolicyName, V2);
  });

  test('a carried document naming another server’s parameter is not used: the worker reads its own', async () => {
    const other = await server({ SecurityPolicyName: OLD }, OLD);
    const id = await server({ SecurityPolicyName: V2 }, OLD); // its own document: drift
    // The other server's listing, which says nothing needs changing, on this server's message.
    const carried = listedDocument({ name: nameOf(other), version: 1, type: 'String', text: JSON.stringify({ SecurityPolicyName: OLD }) });
    assert.ok(carried.text !== undefined, 'the message carries the other document’s text');
    const message = buildMessage({
      serverId: id,
      trigger: 'schedule',
      reason: 'schedule',
      sentAt: new Date().toISOString(),
      source: `listed-other-${id}`,
      document: carried,
    });
    assert.equal(message.groupId, id);
    assert.deepEqual(await sendMessages(pipe.sqs, pipe.queueUrl, [message]), { sent: 1, failed: [] });
    engine.mark();
    const { outcomes } = await drainRecords();
    const o = outcomeOf(outcomes, id);
    assert.equal(o.result, 'updated');
    assert.deepEqual(o.parameter, { name: nameOf(id), version: 1 });
    assert.equal(getParameters(nameOf(id)).length, 1, 'its own document, read from SSM');
    assert.deepEqual(getParameters(nameOf(other)), [], 'the other server’s document is not read either');
    assert.equal((await engine.describe(id)).SecurityPolicyName, V2);
    assert.equal((await engine.describe(other)).SecurityPolicyName, OLD, 'the other server is left alone');
  });

  test('a SecureString document is never carried: its message names it, the worker reads it', async () => {
    const banner = `secure-banner-${Date.now()}`;
    const id = await server({ SecurityPolicyName: V2, PreAuthenticationLoginBanner: banner }, OLD, 'SecureString');
    await enumerator.run();
    engine.mark();
    const { records, outcomes } = await drainRecords();
    const { body, message } = messageFor(records, id);
    assert.deepEqual(message.document, { name: nameOf(id), version: 1 });
    for (const r of records) assert.ok(!r.body.includes(banner), 'the decrypted SecureString in a message body');
    assert.ok(!body.includes('text'));
    const o = outcomeOf(outcomes, id);
    assert.equal(o.result, 'updated');
    assert.deepEqual(o.parameter, { name: nameOf(id), version: 1 });
    assert.equal(getParameters(nameOf(id)).length, 1);
    const described = await engine.describe(id);
    assert.deepEqual([described.SecurityPolicyName, described.PreAuthenticationLoginBanner], [V2, banner]);
  });

  test('a document with a private key pasted inline is never carried; no message body holds key material', async () => {
    const key = markedHostKey('ed25519', 'openssh');
    const id = await server({ SecurityPolicyName: V2, HostKey: key }, OLD);
    await enumerator.run();
    engine.mark();
    const { records, outcomes } = await drainRecords();
    assert.deepEqual(messageFor(records, id).message.document, { name: nameOf(id), version: 1 });
    assert.ok(records.length > 0);
    for (const r of records) {
      assert.equal(findKeyMaterial(r.body), undefined, 'key material in a message body');
      for (const line of keyMaterialLines(key)) assert.ok(!r.body.includes(line), 'a line of the key in a message body');
    }
    const o = outcomeOf(outcomes, id);
    assert.equal(o.result, 'invalid');
    assert.equal(getParameters(nameOf(id)).length, 1, 'the worker read it from SSM');
    assert.deepEqual(engine.writes(id), []);
    assert.equal((await engine.describe(id)).SecurityPolicyName, OLD);
  });
});
