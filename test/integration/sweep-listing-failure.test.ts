// A sweep whose document listing fails (throttled past the SDK's retries, an outage) must not
// crash into the dead-letter queue, must not call managed servers "unmanaged" from a partial
// list, and must say loudly that it was incomplete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readConfig } from '../../functions/handlers/lib/config.ts';
import { instrumentClients } from '../../functions/handlers/lib/clients.ts';
import { createHandler } from '../../functions/handlers/drift-sweep.ts';
import { createClients } from '../../functions/reconciler/aws/clients.ts';
import { PREFIX, engineForTests, fastClock } from '../helpers/engine.ts';
import { capturedObservability, lambdaContext, scheduledEvent } from './handlers-harness.ts';

const engine = await engineForTests();

test('listing fails part-way: the listed servers are reconciled, none is called unmanaged, an error line and SweepIncomplete', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    const id = await engine.createServer();
    await engine.putDocument(id, { PreAuthenticationLoginBanner: 'swept' });
    ids.push(id);
  }
  const config = readConfig({
    DESIRED_STATE_PREFIX: PREFIX,
    TRANSFER_CALLS_PER_SECOND: '500',
    SSM_CALLS_PER_SECOND: '500',
    RECONCILE_CONCURRENCY: '1',
  });
  // Two attempts, so the injected outage outlasts the SDK's retries quickly.
  const clients = instrumentClients(createClients({ endpointUrl: engine.emu.url, maxAttempts: 2 }), config);
  const obs = capturedObservability();
  const handler = createHandler({ config, clients, clock: fastClock, ...obs });
  // The first page (10 documents) is served; every later GetParametersByPath fails.
  let pages = 0;
  clients.ssm.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      if (++pages === 1)
        engine.emu.faults.set({
          operations: { GetParametersByPath: { errors: [{ code: 'ServiceUnavailableException', status: 503, rate: 1 }] } },
        });
      return out;
    },
    { step: 'initialize', name: 'failAfterFirstPage' },
  );
  engine.mark();
  const summary = await handler(scheduledEvent(), lambdaContext(600_000));
  engine.emu.faults.set({});

  assert.equal(summary.listingError?.code, 'ServiceUnavailableException');
  assert.deepEqual(summary.unmanaged, [], 'a partial listing must not make managed servers look unmanaged');
  assert.equal(summary.results.updated, 10);
  assert.ok(!engine.calls().some((c) => c.operation === 'ListServers'), 'no unmanaged listing from a partial list');
  assert.deepEqual(
    engine
      .writes()
      .map((w) => w.operation)
      .sort(),
    Array(10).fill('UpdateServer'),
  );
  const error = obs.lines.find((l) => l.level === 'ERROR' && String(l.message).startsWith('sweep incomplete'));
  assert.ok(error, 'an ERROR line says the sweep was incomplete');
  const emf = obs.emf().find((d) => d.SweepIncomplete !== undefined);
  assert.equal(emf?.SweepIncomplete, 1);
});
