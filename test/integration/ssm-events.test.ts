// Parameter Store change events: AWS's exact EventBridge shape, in process and over the HTTP stream.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteParameterCommand, DeleteParametersCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { followEvents } from '../../infra/local/event-stream-client.ts';
import type { ParameterStoreChangeEvent } from '../../infra/local/types.ts';
import { emulatorForTests, ssmClient } from '../helpers/emulator.ts';

const emu = await emulatorForTests({ region: 'eu-west-2', accountId: '123456789012' });
const ssm = ssmClient(emu, { maxAttempts: 1 });

function assertEventShape(e: ParameterStoreChangeEvent, operation: string, name: string, type: string, description = ''): void {
  assert.deepEqual(Object.keys(e).sort(), ['account', 'detail', 'detail-type', 'id', 'region', 'resources', 'source', 'time', 'version']);
  assert.equal(e.version, '0');
  assert.match(e.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(e['detail-type'], 'Parameter Store Change');
  assert.equal(e.source, 'aws.ssm');
  assert.equal(e.account, '123456789012');
  assert.equal(e.region, 'eu-west-2');
  assert.match(e.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  assert.deepEqual(e.resources, [`arn:aws:ssm:eu-west-2:123456789012:parameter/${name.replace(/^\//, '')}`]);
  assert.deepEqual(e.detail, { operation, name, type, description });
}

function collect(): { events: ParameterStoreChangeEvent[]; stop: () => void } {
  const events: ParameterStoreChangeEvent[] = [];
  const stop = emu.events.subscribe((e) => events.push(e));
  return { events, stop };
}

describe('in-process events', () => {
  test('Create, Update, Delete each emit one event in AWS shape', async () => {
    const { events, stop } = collect();
    await ssm.send(new PutParameterCommand({ Name: '/ev/one', Value: '{}', Type: 'String', Description: 'server doc' }));
    await ssm.send(new PutParameterCommand({ Name: '/ev/one', Value: '{"a":1}', Type: 'String', Overwrite: true }));
    await ssm.send(new DeleteParameterCommand({ Name: '/ev/one' }));
    stop();
    assert.equal(events.length, 3);
    assertEventShape(events[0] as ParameterStoreChangeEvent, 'Create', '/ev/one', 'String', 'server doc');
    assertEventShape(events[1] as ParameterStoreChangeEvent, 'Update', '/ev/one', 'String', 'server doc');
    assertEventShape(events[2] as ParameterStoreChangeEvent, 'Delete', '/ev/one', 'String', 'server doc');
    assert.equal(new Set(events.map((e) => e.id)).size, 3);
    assert.ok(!JSON.stringify(events).includes('{"a":1}'), 'events never carry the value');
  });

  test('DeleteParameters emits one Delete per deleted parameter; failures emit nothing', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/ev/a', Value: 'x', Type: 'SecureString' }));
    await ssm.send(new PutParameterCommand({ Name: 'ev-flat', Value: 'x', Type: 'StringList' }));
    const { events, stop } = collect();
    await assert.rejects(ssm.send(new PutParameterCommand({ Name: '/ev/a', Value: 'y', Type: 'String' })));
    await ssm.send(new DeleteParametersCommand({ Names: ['/ev/a', 'ev-flat', '/ev/none'] }));
    stop();
    assert.equal(events.length, 2);
    assertEventShape(events[0] as ParameterStoreChangeEvent, 'Delete', '/ev/a', 'SecureString');
    assertEventShape(events[1] as ParameterStoreChangeEvent, 'Delete', 'ev-flat', 'StringList');
  });
});

describe('HTTP event stream', () => {
  test('follows live events as NDJSON lines with the exact shape', async () => {
    const got: Array<{ e: ParameterStoreChangeEvent; seq: number }> = [];
    let opened!: () => void;
    const open = new Promise<void>((r) => {
      opened = r;
    });
    let arrived!: () => void;
    const two = new Promise<void>((r) => {
      arrived = r;
    });
    const follower = followEvents(
      emu.url,
      (e, seq) => {
        got.push({ e, seq });
        if (got.length === 2) arrived();
      },
      { onOpen: () => opened() },
    );
    await open;
    await ssm.send(new PutParameterCommand({ Name: '/stream/x', Value: 'v', Type: 'String' }));
    await ssm.send(new DeleteParameterCommand({ Name: '/stream/x' }));
    await two;
    follower.close();
    assertEventShape(got[0]?.e as ParameterStoreChangeEvent, 'Create', '/stream/x', 'String');
    assertEventShape(got[1]?.e as ParameterStoreChangeEvent, 'Delete', '/stream/x', 'String');
    assert.equal(got[1]?.seq, (got[0]?.seq ?? 0) + 1);
    const inProcess = emu.events
      .list((got[0]?.seq ?? 1) - 1)
      .slice(0, 2)
      .map((x) => x.event);
    assert.deepEqual(
      got.map((g) => g.e),
      inProcess,
      'the stream carries exactly the in-process events',
    );
  });

  test('?since=<seq> replays buffered events after seq', async () => {
    const before = emu.events.list().at(-1)?.seq ?? 0;
    await ssm.send(new PutParameterCommand({ Name: '/replay/1', Value: 'v', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/replay/2', Value: 'v', Type: 'String' }));
    const got: Array<{ name: string; seq: number }> = [];
    await new Promise<void>((resolve) => {
      const f = followEvents(
        emu.url,
        (e, seq) => {
          got.push({ name: e.detail.name, seq });
          if (got.length === 2) {
            f.close();
            resolve();
          }
        },
        { since: before },
      );
    });
    assert.deepEqual(got, [
      { name: '/replay/1', seq: before + 1 },
      { name: '/replay/2', seq: before + 2 },
    ]);
  });

  test('the raw stream is chunked application/x-ndjson, one JSON event per line', async () => {
    const before = emu.events.list().at(-1)?.seq ?? 0;
    await ssm.send(new PutParameterCommand({ Name: '/raw/1', Value: 'v', Type: 'String' }));
    const controller = new AbortController();
    const res = await fetch(`${emu.url}/_emulator/events?since=${before}`, { signal: controller.signal });
    assert.equal(res.headers.get('content-type'), 'application/x-ndjson');
    assert.equal(res.headers.get('transfer-encoding'), 'chunked');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('\n')) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const line = JSON.parse(text.split('\n')[0] as string) as ParameterStoreChangeEvent;
    assertEventShape(line, 'Create', '/raw/1', 'String');
  });

  test('stop() ends open streams', async () => {
    const other = await emulatorForTests();
    const ended = new Promise<Error | undefined>((resolve) => {
      followEvents(other.url, () => {}, { onOpen: () => void other.stop(), onEnd: resolve });
    });
    assert.equal(await ended, undefined);
  });
});
