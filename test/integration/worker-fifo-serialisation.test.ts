// Two triggers for one server are never reconciled at the same time: every change routed by the
// router and every message of an enumeration for the same servers, drained by two worker
// instances polling at once (as the event source mapping runs several). The FIFO message group
// (one per server) keeps a server's messages from a second worker while the first holds them.
// Checked from the SQS calls (each message held from its ReceiveMessage answer to its
// DeleteMessage(Batch): two receives never hold one server's messages at once) and from the emulator's
// call log (every Transfer call the workers made about a server falls inside a hold of one of its
// messages). Then every server has converged, ONLINE, with at most one stop/start cycle.
// (Was the direct path's "event and sweep at once" race test: the two Lambdas then reconciled one
// server concurrently and the engine had to survive it; the pipeline no longer does that at all.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RECONCILER_ROLE_NAME } from '../../infra/local/principals.ts';
import { PREFIX, engineForTests } from '../helpers/engine.ts';
import { countRunStateCycles } from '../helpers/run-state-cycles.ts';
import { startPipeline } from './pipeline-harness.ts';
import { enumeratorFor, settle } from './pipeline-steps.ts';

const engine = await engineForTests({ transitionDelayMs: 30 });
const cycles = countRunStateCycles(engine.emu);
const pipe = await startPipeline(engine.emu, {
  name: 'worker-fifo-serialisation',
  env: { DESIRED_STATE_PREFIX: PREFIX, TRANSFER_CALLS_PER_SECOND: '500', SSM_CALLS_PER_SECOND: '500', OFFLINE_WINDOW_MS: '1000' },
});
const POLICY = 'TransferSecurityPolicy-2024-01';
const OFFLINE_CHANGE = { IpAddressType: 'DUALSTACK', SecurityPolicyName: POLICY, Reconciler: { AllowOfflineChanges: true } };

/** One message as a worker held it: from the ReceiveMessage answer to its DeleteMessage(Batch). */
interface Hold {
  receive: number;
  server: string;
  receipt: string;
  from: number;
  to: number;
}
const holds: Hold[] = [];
let receives = 0;
pipe.sqs.middlewareStack.add(
  (next, context) => async (args) => {
    const input = args.input as { ReceiptHandle?: string; Entries?: Array<{ ReceiptHandle?: string }> };
    // The event source mapping deletes a batch's records in one DeleteMessageBatch.
    const deleted =
      context.commandName === 'DeleteMessageCommand'
        ? [input.ReceiptHandle]
        : context.commandName === 'DeleteMessageBatchCommand'
          ? (input.Entries ?? []).map((e) => e.ReceiptHandle)
          : [];
    for (const receipt of deleted) {
      const held = holds.find((h) => h.receipt === receipt);
      if (held) held.to = Date.now();
    }
    const out = await next(args);
    if (context.commandName === 'ReceiveMessageCommand') {
      const messages = (out.output as { Messages?: Array<{ Body?: string; ReceiptHandle?: string }> }).Messages ?? [];
      const receive = ++receives;
      for (const m of messages)
        holds.push({
          receive,
          server: (JSON.parse(m.Body ?? '{}') as { serverId: string }).serverId,
          receipt: m.ReceiptHandle ?? '',
          from: Date.now(),
          to: Number.POSITIVE_INFINITY,
        });
    }
    return out;
  },
  { step: 'initialize', name: 'recordHolds' },
);

/** One worker instance: polls until the queue is empty (nothing visible, nothing in flight). */
async function workerLoop(): Promise<void> {
  for (;;) {
    if ((await pipe.poll()) !== undefined) continue;
    const depth = await pipe.depth(pipe.queueUrl);
    if (depth.visible === 0 && depth.inFlight === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
const overlap = (a: Hold, b: Hold) => a.from < b.to && b.from < a.to;

test('events and an enumeration for the same servers, two workers at once: no server is reconciled by both at the same time', async () => {
  await settle(pipe);
  const offline: string[] = [];
  const online: string[] = [];
  for (let i = 0; i < 4; i++) offline.push(await engine.createServer());
  for (let i = 0; i < 8; i++) online.push(await engine.createServer());
  const ids = [...offline, ...online];
  cycles.reset();
  // A document event per server, a console edit (CloudTrail) for half of them, then an enumeration.
  for (const id of offline) await engine.putDocument(id, OFFLINE_CHANGE);
  for (const id of online)
    await engine.putDocument(id, {
      PreAuthenticationLoginBanner: 'one at a time',
      SecurityPolicyName: POLICY,
      Tags: [{ Key: 'env', Value: 'prod' }],
    });
  for (const id of ids.slice(0, 6)) await engine.update({ ServerId: id, SecurityPolicyName: 'TransferSecurityPolicy-2018-11' });
  await pipe.routed();
  await enumeratorFor(pipe, engine.clients).run();
  const queued = (await pipe.depth(pipe.queueUrl)).visible;
  assert.equal(queued, 12 + 6 + 12);
  engine.mark();

  holds.length = 0;
  await Promise.all([workerLoop(), workerLoop()]);
  assert.equal(holds.length, queued);
  assert.ok(
    holds.every((h) => Number.isFinite(h.to)),
    'every message deleted',
  );

  // Not vacuous: the two workers held messages at the same time, and servers' messages were split over several receives.
  assert.ok(
    holds.some((a) => holds.some((b) => a.receive !== b.receive && overlap(a, b))),
    'the two workers never held messages at once',
  );
  assert.ok(
    ids.some((id) => new Set(holds.filter((h) => h.server === id).map((h) => h.receive)).size > 1),
    'every server was served by one receive',
  );
  // FIFO: two receives never held one server's messages at the same time.
  for (const a of holds)
    for (const b of holds)
      if (a.server === b.server && a.receive < b.receive)
        assert.ok(!overlap(a, b), `${a.server} held by receives ${a.receive} and ${b.receive} at once`);
  // The call log: every Transfer call a worker made about a server lies inside a hold of that server's message.
  const workerCalls = engine.calls().filter((c) => c.service === 'transfer' && (c.principal ?? '').includes(RECONCILER_ROLE_NAME));
  assert.ok(workerCalls.length > ids.length);
  for (const c of workerCalls) {
    const id = ids.find((x) => (c.target ?? '').includes(x));
    assert.ok(id, `a worker call about no server of the test: ${c.operation} ${c.target}`);
    const t = Date.parse(c.time);
    assert.ok(
      holds.some((h) => h.server === id && h.from - 1 <= t && t <= h.to + 1),
      `${c.operation} on ${id} at ${c.time} outside every hold of its messages`,
    );
  }

  for (const id of ids) {
    const server = await engine.describe(id);
    assert.equal(server.State, 'ONLINE', id);
    assert.equal(server.SecurityPolicyName, POLICY, `${id}: the console edit is reverted`);
    assert.ok(cycles.stops(id) <= 1 && cycles.starts(id) <= 1, JSON.stringify([...cycles.all()]));
  }
  for (const id of offline) assert.equal((await engine.describe(id)).IpAddressType, 'DUALSTACK');
  for (const id of online) assert.equal((await engine.describe(id)).PreAuthenticationLoginBanner, 'one at a time');
  assert.deepEqual(
    offline.map((id) => cycles.stops(id)),
    [1, 1, 1, 1],
  );

  // And the next enumeration finds everything in sync: no write.
  await settle(pipe);
  engine.mark();
  await enumeratorFor(pipe, engine.clients).run();
  const again = (await pipe.drain()).filter((o) => ids.includes(o.serverId));
  assert.deepEqual(
    again.map((o) => o.result),
    Array(ids.length).fill('in-sync'),
  );
  assert.deepEqual(
    engine.writes().filter((w) => w.service === 'transfer'),
    [],
  );
});
