// The local pipeline runner (infra/local/pipeline) — the deployed shape in process: the rules of
// infra/aws/event-rules.json (the ones serverless.yml deploys) matched against real emulator
// events, and the background pipeline (rules → router → FIFO queue → event source mapping →
// worker) repairing a console edit with no sweep, ignoring its own writes, keeping to its
// concurrency cap and redelivering a batch whose handler threw after the visibility timeout.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TransferClient, UpdateServerCommand } from '@aws-sdk/client-transfer';
import { parse } from 'yaml';
import { RECONCILER_ROLE_ARN } from '../../infra/local/principals.ts';
import { RULE_NAMES, matchingRules } from '../../infra/local/pipeline/rules.ts';
import { WORKER_KEY } from '../../infra/local/pipeline/functions.ts';
import { startPipeline } from '../../infra/local/pipeline/runner.ts';
import type { PipelineOptions, PipelineRunner } from '../../infra/local/pipeline/runner.ts';
import type { EmulatorEvent } from '../../infra/local/types.ts';
import { PREFIX, engineForTests } from '../helpers/engine.ts';
import { captureOutput } from '../helpers/secrets.ts';

const POLICY = 'TransferSecurityPolicy-2024-01';
const OLD = 'TransferSecurityPolicy-2018-11';
const env = { DESIRED_STATE_PREFIX: PREFIX, TRANSFER_CALLS_PER_SECOND: '500', SSM_CALLS_PER_SECOND: '500', OFFLINE_WINDOW_MS: '1000' };
const engine = await engineForTests();
const asWorker = new TransferClient({ endpoint: engine.emu.url, region: engine.emu.region, credentials: WORKER_KEY, maxAttempts: 1 });
after(() => asWorker.destroy());

let queues = 0;
async function pipeline(options: PipelineOptions = {}): Promise<PipelineRunner> {
  const p = await startPipeline(engine.emu, {
    name: `runner-${++queues}`,
    env,
    visibilityTimeout: 30,
    onLine: (_from, raw) => captureOutput('lambda log line', raw),
    ...options,
  });
  after(() => p.close());
  return p;
}

/** The events the emulator publishes while `act` runs. */
async function eventsOf(act: () => Promise<unknown>): Promise<EmulatorEvent[]> {
  const seen: EmulatorEvent[] = [];
  const stop = engine.emu.events.subscribeAll((e) => seen.push(e));
  try {
    await act().catch(() => undefined);
  } finally {
    stop();
  }
  return seen;
}

describe('the deployed rules', () => {
  test('every rule serverless.yml deploys exists in event-rules.json and is loaded by the runner', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const yml = readFileSync(`${root}serverless.yml`, 'utf8');
    const used = [...yml.matchAll(/\$\{file\(infra\/aws\/event-rules\.json\):(\w+)\}/g)].map((m) => m[1]);
    const json = JSON.parse(readFileSync(`${root}infra/aws/event-rules.json`, 'utf8')) as Record<string, unknown>;
    // The router's events, read with the yaml package: every pattern is one of the file's.
    const router = (parse(yml) as { functions: Record<string, { events?: Array<{ eventBridge?: { pattern: string } }> }> }).functions
      .router;
    assert.deepEqual(
      router?.events?.map((e) => e.eventBridge?.pattern.replace(/^.*:(\w+)\}$/, '$1')),
      used,
    );
    assert.ok(used.length >= 3);
    for (const name of used) assert.ok(name && name in json, `${name} in event-rules.json`);
    const p = await pipeline({ manual: true });
    assert.deepEqual(
      p.rules.map((r) => r.name),
      Object.keys(json),
    );
    assert.deepEqual([...RULE_NAMES], Object.keys(json));
    assert.ok(!JSON.stringify(p.rules).includes('${'), 'no unresolved variable');
    assert.ok(JSON.stringify(p.rules).includes(RECONCILER_ROLE_ARN));
    await p.close();
  });

  test('real emulator events: a console edit and a document change match; the worker role and a failed call do not', async () => {
    const p = await pipeline({ manual: true });
    const id = await engine.createServer();
    const rulesOf = async (act: () => Promise<unknown>) => (await eventsOf(act)).map((e) => matchingRules(p.rules, e));
    assert.deepEqual(await rulesOf(() => engine.update({ ServerId: id, SecurityPolicyName: OLD })), [['serverApiCalls']]);
    assert.deepEqual(await rulesOf(() => asWorker.send(new UpdateServerCommand({ ServerId: id, SecurityPolicyName: POLICY }))), [[]]);
    assert.deepEqual(await rulesOf(() => engine.update({ ServerId: 's-0000000000000dead', SecurityPolicyName: POLICY })), [[]]);
    assert.deepEqual(await rulesOf(() => engine.putDocument(id, { SecurityPolicyName: POLICY })), [['documentChanges']]);
    assert.deepEqual(await rulesOf(() => engine.putText('/transfer-reconciler/host-keys/k', 'x')), [['hostKeyChanges']]);
    assert.deepEqual(await rulesOf(() => engine.putText('/elsewhere/x', 'x')), [[]]);
    await p.close();
  });
});

describe('EventBridge → router (asynchronous invoke)', () => {
  test('a router that throws is retried twice, then the event is dead-lettered', async () => {
    const p = await pipeline({ manual: true, routerRetryDelaysMs: [20, 20] });
    const id = await engine.createServer();
    // Every SendMessageBatch fails (an error AWS's SDK does not retry): the router throws EnqueueFailedError.
    engine.emu.faults.set({ operations: { SendMessageBatch: { errors: [{ code: 'InvalidParameterValue', status: 400, rate: 1 }] } } });
    try {
      await engine.update({ ServerId: id, SecurityPolicyName: OLD });
      await p.routed();
    } finally {
      engine.emu.faults.set({});
    }
    assert.deepEqual(
      [p.counters.eventsMatched, p.counters.routerInvocations, p.counters.routerRetries, p.counters.deadLettered],
      [1, 3, 2, 1],
    );
    assert.deepEqual(await p.depth(p.queueUrl), { visible: 0, inFlight: 0 });
    await p.close();
  });
});

describe('the background pipeline', () => {
  test("a console edit is reverted with no sweep, and the worker's own writes cause no further reconcile", async () => {
    const p = await pipeline();
    const id = await engine.createServer();
    await engine.putDocument(id, { SecurityPolicyName: POLICY });
    await p.settled();
    assert.deepEqual(
      p.outcomes.map((o) => [o.serverId, o.result]),
      [[id, 'updated']],
    );
    const before = { ...p.counters };
    await engine.update({ ServerId: id, SecurityPolicyName: OLD });
    await p.settled();
    assert.equal((await engine.describe(id)).SecurityPolicyName, POLICY);
    assert.deepEqual(
      p.outcomes.slice(1).map((o) => [o.serverId, o.result, o.trigger]),
      [[id, 'updated', 'event']],
    );
    // One matched event (the person's UpdateServer); the worker's own UpdateServer was ignored.
    assert.equal(p.counters.eventsMatched - before.eventsMatched, 1);
    assert.ok(p.counters.eventsIgnored > before.eventsIgnored);
    assert.equal(p.counters.routerInvocations - before.routerInvocations, 1);
    assert.equal(p.counters.enumerations, 0);
    await p.close(); // the next tests' servers are theirs alone
  });

  test('at most maximumConcurrency worker invocations at once, each slot its own instance', async () => {
    let running = 0;
    let most = 0;
    let instances = 0;
    const p = await pipeline({
      env: { ...env, WORKER_MAX_CONCURRENCY: '2' },
      wrapWorker: (h) => (
        instances++,
        async (event, context) => {
          most = Math.max(most, ++running);
          try {
            await new Promise((r) => setTimeout(r, 150));
            return await h(event, context);
          } finally {
            running--;
          }
        }
      ),
    });
    const ids = await Promise.all(Array.from({ length: 6 }, () => engine.createServer()));
    for (const id of ids) await engine.putDocument(id, { SecurityPolicyName: POLICY });
    await p.settled();
    assert.deepEqual(p.outcomes.map((o) => o.serverId).sort(), [...ids].sort());
    assert.ok(p.counters.workerBatches >= 2, `${p.counters.workerBatches} batches`);
    assert.equal(most, 2);
    assert.equal(instances, 2);
    await p.close();
  });

  test('a worker handler that throws deletes nothing: the batch comes back after the visibility timeout', async () => {
    let throws = 1;
    const p = await pipeline({
      visibilityTimeout: 2,
      wrapWorker: (h) => async (event, context) => {
        if (throws-- > 0) throw new Error('instance crashed');
        return h(event, context);
      },
    });
    const id = await engine.createServer();
    const started = Date.now();
    await engine.putDocument(id, { SecurityPolicyName: POLICY });
    await p.settled();
    assert.ok(Date.now() - started >= 1_900, `redelivered after ${Date.now() - started} ms`);
    assert.equal(p.counters.workerErrors, 1);
    assert.deepEqual(
      p.outcomes.map((o) => o.result),
      ['updated'],
    );
    assert.equal((await engine.describe(id)).SecurityPolicyName, POLICY);
    await p.close();
  });
});
