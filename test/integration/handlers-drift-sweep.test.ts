// drift-sweep in process against the emulator: it fixes drift made behind its back, reports the
// servers that have no document as unmanaged, keeps going past invalid documents, and stops
// starting servers near the Lambda deadline, naming the ones left for the next run.
import { describe, test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readConfig } from '../../functions/handlers/lib/config.ts';
import { instrumentClients } from '../../functions/handlers/lib/clients.ts';
import { createHandler } from '../../functions/handlers/drift-sweep.ts';
import { sweep } from '../../functions/reconciler/sweep.ts';
import type { SweepSummary } from '../../functions/reconciler/sweep.ts';
import type { Clock } from '../../functions/reconciler/apply/clock.ts';
import { PREFIX, engineForTests, fastClock } from '../helpers/engine.ts';
import { capturedObservability, lambdaContext, scheduledEvent } from './handlers-harness.ts';

const engine = await engineForTests();
const env = {
  DESIRED_STATE_PREFIX: PREFIX,
  TRANSFER_CALLS_PER_SECOND: '500',
  SSM_CALLS_PER_SECOND: '500',
  OFFLINE_WINDOW_MS: '1000',
  SWEEP_STOP_MARGIN_MS: '60000',
};
const config = readConfig(env);
const clients = instrumentClients(engine.clients, config);
const obs = capturedObservability();
const handler = createHandler({ config, clients, clock: fastClock, ...obs });

beforeEach(() => {
  engine.emu.reset();
  engine.emu.faults.set({});
  obs.clear();
});

const POLICY = 'TransferSecurityPolicy-2024-01';

async function managedServers(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = await engine.createServer();
    await engine.putDocument(id, { SecurityPolicyName: POLICY });
    ids.push(id);
  }
  return ids;
}

describe('drift-sweep handler', () => {
  test('fixes drift made behind its back; unmanaged servers are listed and left alone', async () => {
    const [a, b, c] = (await managedServers(3)) as [string, string, string];
    const stray = await engine.createServer();
    await handler(scheduledEvent(), lambdaContext(600_000)); // first pass brings all three to the document
    await engine.update({ ServerId: b, SecurityPolicyName: 'TransferSecurityPolicy-2018-11' });
    obs.clear();
    engine.mark();

    const summary = await handler(scheduledEvent(), lambdaContext(600_000));
    assert.equal((await engine.describe(b)).SecurityPolicyName, POLICY);
    assert.deepEqual(summary.results, { 'in-sync': 2, updated: 1, unmanaged: 1 });
    assert.equal(summary.servers, 4);
    assert.deepEqual(summary.unmanaged, [stray]);
    assert.deepEqual(summary.leftForNextRun, []);
    assert.equal(summary.calls.ListServers, 1);
    assert.equal(summary.calls.GetParametersByPath, 1);
    assert.deepEqual(
      engine
        .writes()
        .filter((w) => w.service === 'transfer')
        .map((w) => [w.operation, w.target]),
      [['UpdateServer', b]],
    );

    // One outcome line per server, one summary line, one EMF line with Trigger=schedule.
    const outcomes = obs.outcomes();
    assert.deepEqual(outcomes.map((o) => o.serverId).sort(), [a, b, c, stray].sort());
    assert.ok(outcomes.every((o) => o.trigger === 'schedule'));
    assert.equal(outcomes.find((o) => o.serverId === stray)?.result, 'unmanaged');
    const summaries = obs.lines.filter((l) => l.message === 'sweep summary');
    assert.equal(summaries.length, 1);
    assert.deepEqual(summaries[0]?.summary, JSON.parse(JSON.stringify(summary)));
    const emf = obs.emf();
    assert.equal(emf.length, 1);
    assert.equal(emf[0]?.Trigger, 'schedule');
    assert.deepEqual(
      [emf[0]?.Reconciles, emf[0]?.DriftDetected, emf[0]?.UpdatesApplied, emf[0]?.Unmanaged, emf[0]?.Failed],
      [3, 1, 1, 1, 0],
    );
  });

  test('an invalid document is reported and the sweep goes on to the others', async () => {
    const [good] = (await managedServers(1)) as [string];
    const bad = await engine.createServer();
    await engine.putDocument(bad, { SecurityPolicyName: POLICY, Protocols: 'SFTP' });
    engine.mark();
    const summary = await handler(scheduledEvent(), lambdaContext(600_000));
    assert.deepEqual(summary.results, { updated: 1, invalid: 1 });
    assert.equal((await engine.describe(good)).SecurityPolicyName, POLICY);
    assert.deepEqual(
      engine.writes(bad).filter((w) => w.service === 'transfer'),
      [],
    );
    assert.equal(obs.emf()[0]?.Invalid, 1);
  });

  test('detect mode reports drift and writes nothing', async () => {
    const [id] = (await managedServers(1)) as [string];
    const detect = createHandler({ config: readConfig({ ...env, DEFAULT_MODE: 'detect' }), clients, clock: fastClock, ...obs.another() });
    engine.mark();
    const summary = await detect(scheduledEvent(), lambdaContext(600_000));
    assert.deepEqual(summary.results, { 'drift-detected': 1 });
    assert.deepEqual(
      engine.writes().filter((w) => w.service === 'transfer'),
      [],
    );
    assert.notEqual((await engine.describe(id)).SecurityPolicyName, POLICY);
  });

  test('with less than the margin left it starts nothing and leaves every server for the next run', async () => {
    const ids = await managedServers(3);
    engine.mark();
    const summary: SweepSummary = await handler(scheduledEvent(), lambdaContext(30_000));
    assert.deepEqual(summary.leftForNextRun, [...ids].sort());
    assert.deepEqual(summary.results, {});
    assert.equal(summary.servers, 3);
    assert.deepEqual(
      engine.calls().filter((c) => c.operation === 'DescribeServer'),
      [],
    );
    assert.equal(obs.outcomes().length, 0);
  });
});

describe('sweep deadline', () => {
  test('servers started before the cut-off finish; the rest are named for the next run', async () => {
    const ids = await managedServers(5);
    // Time jumps past the cut-off as soon as the second server's outcome is in.
    let skew = 0;
    const clock: Clock = { now: () => Date.now() + skew, sleep: fastClock.sleep };
    const start = Date.now();
    let seen = 0;
    const report = await sweep({
      clients,
      prefix: PREFIX,
      deadline: start + 120_000,
      stopStartingAt: start + 60_000,
      concurrency: 1,
      clock,
      offlineWindowMs: 1_000,
      onOutcome: () => {
        if (++seen === 2) skew = 90_000;
      },
    });
    const done = report.outcomes.map((o) => o.serverId);
    assert.equal(done.length, 2);
    assert.deepEqual([...done, ...report.summary.leftForNextRun].sort(), [...ids].sort());
    assert.equal(report.summary.leftForNextRun.length, 3);
    assert.ok(report.outcomes.every((o) => o.result === 'updated'));
  });

  test('when ListServers fails the sweep still reconciles and says unmanaged servers are unknown', async () => {
    await managedServers(1);
    engine.emu.faults.set({ operations: { ListServers: { error500Rate: 1 } } });
    const report = await sweep({
      clients,
      prefix: PREFIX,
      deadline: Date.now() + 60_000,
      stopStartingAt: Date.now() + 30_000,
      concurrency: 2,
      clock: fastClock,
    });
    assert.deepEqual(report.summary.results, { updated: 1 });
    assert.equal(report.summary.listServersError?.code, 'InternalServiceError');
    assert.deepEqual(report.summary.unmanaged, []);
  });
});
