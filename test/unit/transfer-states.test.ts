// Server lifecycle against an injected clock: transitions, conflicts, failure injection, forced states.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DELAY, harness, rejectsWith } from './transfer-fixtures.ts';

describe('Transfer back end: states', () => {
  test('StopServer: ONLINE → STOPPING → OFFLINE after the transition delay', async () => {
    const h = harness();
    const id = await h.createOnline();
    assert.deepEqual(await h.call('StopServer', { ServerId: id }), {});
    assert.equal((await h.describe(id)).State, 'STOPPING');
    h.advance(DELAY - 1);
    assert.equal((await h.describe(id)).State, 'STOPPING');
    h.advance(1);
    assert.equal((await h.describe(id)).State, 'OFFLINE');
  });

  test('StartServer: OFFLINE → STARTING → ONLINE', async () => {
    const h = harness();
    const id = await h.createOffline();
    await h.call('StartServer', { ServerId: id });
    assert.equal((await h.describe(id)).State, 'STARTING');
    h.advance(DELAY);
    assert.equal((await h.describe(id)).State, 'ONLINE');
  });

  test('StartServer on ONLINE and StopServer on OFFLINE have no effect', async () => {
    const h = harness();
    const online = await h.createOnline();
    await h.call('StartServer', { ServerId: online });
    assert.equal((await h.describe(online)).State, 'ONLINE');
    const offline = await h.createOffline();
    await h.call('StopServer', { ServerId: offline });
    assert.equal((await h.describe(offline)).State, 'OFFLINE');
  });

  test('every write during STARTING or STOPPING is refused: ConflictException where the model lists it, else InvalidRequestException', async () => {
    const h = harness();
    const stopping = await h.createOnline();
    await h.call('StopServer', { ServerId: stopping });
    const starting = (await h.call('CreateServer', {})).ServerId as string;
    for (const [id, state] of [
      [starting, 'STARTING'],
      [stopping, 'STOPPING'],
    ] as const) {
      for (const [operation, code] of [
        ['UpdateServer', 'ConflictException'],
        ['StartServer', 'InvalidRequestException'],
        ['StopServer', 'InvalidRequestException'],
        ['DeleteServer', 'InvalidRequestException'],
      ] as const) {
        await rejectsWith(h.call(operation, { ServerId: id }), code, new RegExp(`^Server is in ${state} state`));
      }
    }
    h.advance(DELAY);
    await h.call('UpdateServer', { ServerId: starting, PreAuthenticationLoginBanner: 'hi' });
    await h.call('DeleteServer', { ServerId: stopping });
  });

  test('a transition delay of 0 settles at once', async () => {
    const h = harness({ transitionDelayMs: 0 });
    const id = (await h.call('CreateServer', {})).ServerId as string;
    assert.equal((await h.describe(id)).State, 'ONLINE');
    h.backend.setTransitionDelay(DELAY);
    await h.call('StopServer', { ServerId: id });
    assert.equal((await h.describe(id)).State, 'STOPPING');
  });

  test('an injected START_FAILED ends the next start, and the server can be started again', async () => {
    const h = harness();
    const id = await h.createOffline();
    h.backend.injectFailure(id, 'START_FAILED');
    await h.call('StartServer', { ServerId: id });
    assert.equal((await h.describe(id)).State, 'STARTING');
    h.advance(DELAY);
    assert.equal((await h.describe(id)).State, 'START_FAILED');
    await h.call('StartServer', { ServerId: id });
    h.advance(DELAY);
    assert.equal((await h.describe(id)).State, 'ONLINE');
  });

  test('an injected STOP_FAILED ends the next stop; StartServer and StopServer work from STOP_FAILED', async () => {
    const h = harness();
    const id = await h.createOnline();
    h.backend.injectFailure(id, 'STOP_FAILED');
    await h.call('StopServer', { ServerId: id });
    h.advance(DELAY);
    assert.equal((await h.describe(id)).State, 'STOP_FAILED');
    await h.call('StopServer', { ServerId: id });
    h.advance(DELAY);
    assert.equal((await h.describe(id)).State, 'OFFLINE');
    h.backend.forceState(id, 'STOP_FAILED');
    await h.call('StartServer', { ServerId: id });
    h.advance(DELAY);
    assert.equal((await h.describe(id)).State, 'ONLINE');
  });

  test('an injected failure applies to a matching transition already under way', async () => {
    const h = harness();
    const id = (await h.call('CreateServer', {})).ServerId as string;
    h.backend.injectFailure(id, 'START_FAILED');
    h.advance(DELAY);
    assert.equal((await h.describe(id)).State, 'START_FAILED');
  });

  test('forceState holds a transitional state for holdMs, then it ends naturally', async () => {
    const h = harness();
    const id = await h.createOnline();
    h.backend.forceState(id, 'STOPPING', 5000);
    h.advance(4999);
    assert.equal((await h.describe(id)).State, 'STOPPING');
    h.advance(1);
    assert.equal((await h.describe(id)).State, 'OFFLINE');
  });

  test('forceState without holdMs keeps the state until something changes it', async () => {
    const h = harness();
    const id = await h.createOnline();
    h.backend.forceState(id, 'STARTING');
    h.advance(1_000_000);
    assert.equal((await h.describe(id)).State, 'STARTING');
    h.backend.forceState(id, 'OFFLINE');
    assert.equal((await h.describe(id)).State, 'OFFLINE');
    await h.call('UpdateServer', { ServerId: id, PreAuthenticationLoginBanner: 'ok' });
  });

  test('ListServers shows settled states', async () => {
    const h = harness();
    const id = await h.createOnline();
    await h.call('StopServer', { ServerId: id });
    h.advance(DELAY);
    const servers = (await h.call('ListServers', {})).Servers as Record<string, unknown>[];
    assert.equal(servers[0]?.State, 'OFFLINE');
  });
});
