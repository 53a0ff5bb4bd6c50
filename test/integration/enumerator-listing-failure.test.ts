// An enumeration whose document listing fails part-way (throttled past the SDK's retries, an
// outage) must not crash into the dead-letter queue, must not call managed servers "unmanaged"
// from a partial list, must enqueue what it did list (and the worker reconcile those), and must
// say loudly that it was incomplete: an ERROR line and the SweepIncomplete metric.
// (Was the direct path's sweep-listing-failure test: the same promises, now the enumerator's.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instrumentClients } from '../../functions/handlers/lib/clients.ts';
import { createClients } from '../../functions/reconciler/aws/clients.ts';
import { PREFIX, engineForTests } from '../helpers/engine.ts';
import { startPipeline } from './pipeline-harness.ts';
import { enumeratorFor } from './pipeline-steps.ts';

const engine = await engineForTests();
const pipe = await startPipeline(engine.emu, {
  name: 'enumerator-listing-failure',
  env: { DESIRED_STATE_PREFIX: PREFIX, TRANSFER_CALLS_PER_SECOND: '500', SSM_CALLS_PER_SECOND: '500' },
});

test('listing fails part-way: the listed documents are enqueued and reconciled, none is called unmanaged, an error line and SweepIncomplete', async () => {
  pipe.deaf = true; // only the enumeration reconciles these
  for (let i = 0; i < 12; i++) await engine.putDocument(await engine.createServer(), { PreAuthenticationLoginBanner: 'swept' });
  await pipe.routed();
  pipe.deaf = false;
  // Two attempts, so the injected outage outlasts the SDK's retries quickly.
  const clients = instrumentClients(createClients({ endpointUrl: engine.emu.url, maxAttempts: 2 }), pipe.config);
  const enumerator = enumeratorFor(pipe, clients);
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
  const result = await enumerator.run();
  engine.emu.faults.set({});

  assert.equal(result.listingError?.code, 'ServiceUnavailableException');
  assert.deepEqual(result.unmanaged, [], 'a partial listing must not make managed servers look unmanaged');
  assert.ok(!engine.calls().some((c) => c.operation === 'ListServers'), 'no unmanaged listing from a partial list');
  assert.deepEqual(result.send, { sent: 10, failed: [] }, 'the listed page is enqueued');
  const error = enumerator.obs.lines.find((l) => l.level === 'ERROR' && String(l.message).startsWith('enumeration incomplete'));
  assert.ok(error, 'an ERROR line says the enumeration was incomplete');
  assert.equal(enumerator.obs.emf().find((d) => d.SweepIncomplete !== undefined)?.SweepIncomplete, 1);

  const outcomes = await pipe.drain();
  assert.deepEqual(
    outcomes.map((o) => `${o.trigger}: ${o.result}`),
    Array(10).fill('schedule: updated'),
  );
  assert.deepEqual(
    engine
      .writes()
      .filter((w) => w.service === 'transfer')
      .map((w) => w.operation),
    Array(10).fill('UpdateServer'),
  );
});
