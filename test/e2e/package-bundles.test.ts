// The packaged bundles run, each in a fresh Node process from its zip as Lambda would load it,
// against the emulator: the router turns a Parameter Store change into a message on the FIFO
// queue, the worker reconciles the server from that message (SQS event as the event source
// mapping delivers it), and the enumerator enqueues one message per document.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { emulatorForTests, ssmClient, testCredentials } from '../helpers/emulator.ts';
import { packaged, zipEntries } from '../helpers/package.ts';
import type { Json } from '../helpers/package.ts';

let out: string;
before(async () => {
  out = (await packaged()).dir;
});

/** Unpacks a function's zip and runs its bundled handler once in a fresh Node process. */
function invokeBundle(fn: string, endpoint: string, vars: Record<string, string>, event: unknown) {
  const dir = mkdtempSync(join(tmpdir(), `tr-bundle-${fn}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (const e of zipEntries(join(out, `${fn}.zip`))) {
    mkdirSync(join(dir, e.name, '..'), { recursive: true });
    writeFileSync(join(dir, e.name), e.data());
  }
  const script = `const { handler } = await import(${JSON.stringify(join(dir, 'functions', 'handlers', `${fn}.mjs`))});
    const context = { functionName: ${JSON.stringify(fn)}, awsRequestId: 'req-1', getRemainingTimeInMillis: () => 120000 };
    const result = await handler(${JSON.stringify(event)}, context);
    console.log(JSON.stringify({ handlerResult: result }));`;
  const env = {
    PATH: process.env.PATH ?? '',
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    ...vars,
  };
  return new Promise<{ lines: Json[]; result: unknown }>((resolve, reject) => {
    // Asynchronous: the emulator answering the bundle runs in this process.
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: dir, env, encoding: 'utf8', timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${err.message}\n${stdout}\n${stderr}`));
        const lines = stdout
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l) as Json);
        resolve({ lines, result: lines.find((l) => 'handlerResult' in l)?.handlerResult });
      },
    );
  });
}

describe('the packaged bundles', () => {
  test('router → queue → worker reconciles the server; the enumerator enqueues every document', async () => {
    const emu = await emulatorForTests({ transitionDelayMs: 10 });
    const ssm = ssmClient(emu, { maxAttempts: 1 });
    const sqs = new SQSClient({ endpoint: emu.url, region: emu.region, credentials: testCredentials });
    after(() => sqs.destroy());
    const { QueueUrl: queueUrl = '' } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'bundles.fifo', Attributes: { FifoQueue: 'true', VisibilityTimeout: '30' } }),
    );
    const vars = { RECONCILE_QUEUE_URL: queueUrl };
    const id = 's-0123456789abcdef0';
    emu.transfer.createServerWithId(id, {});
    emu.transfer.forceState(id, 'ONLINE');
    const name = `/transfer-reconciler/servers/${id}`;
    await ssm.send(
      new PutParameterCommand({
        Name: name,
        Value: JSON.stringify({ SecurityPolicyName: 'TransferSecurityPolicy-2024-01' }),
        Type: 'String',
      }),
    );
    const [event] = emu.events.list().map((e) => e.event);
    assert.ok(event);

    const routed = await invokeBundle('router', emu.url, vars, event);
    assert.deepEqual((routed.result as { serverIds: string[] }).serverIds, [id]);
    assert.deepEqual((routed.result as { send: Json }).send, { sent: 1, failed: [] });
    assert.ok(routed.lines.some((l) => l.message === 'enqueued' && l.correlation_id === event.id));

    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }),
    );
    const records = (received.Messages ?? []).map((m) => ({
      messageId: m.MessageId,
      receiptHandle: m.ReceiptHandle,
      body: m.Body,
      attributes: m.Attributes ?? {},
      messageAttributes: {},
      eventSource: 'aws:sqs',
      awsRegion: 'us-east-1',
    }));
    assert.equal(records.length, 1);
    const worked = await invokeBundle('worker', emu.url, { ...vars, WORKER_MAX_CONCURRENCY: '2' }, { Records: records });
    assert.deepEqual(worked.result, { batchItemFailures: [] });
    const outcome = worked.lines.find((l) => l.message === 'outcome');
    assert.equal((outcome?.outcome as Json | undefined)?.result, 'updated');
    assert.ok(worked.lines.some((l) => l._aws !== undefined && l.Trigger === 'event' && l.UpdatesApplied === 1));
    for (const m of received.Messages ?? [])
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));

    const schedule = { id: 'sched-1', source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
    const enumerated = await invokeBundle('enumerator', emu.url, vars, schedule);
    assert.equal((enumerated.result as { documents: number }).documents, 1);
    assert.ok(enumerated.lines.some((l) => l.message === 'enumeration summary' && l.correlation_id === 'sched-1'));
    assert.ok(enumerated.lines.some((l) => l._aws !== undefined && l.Trigger === 'schedule' && l.Enqueued === 1));
    const next = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    assert.deepEqual(
      (next.Messages ?? []).map((m) => (JSON.parse(m.Body ?? '{}') as Json).serverId),
      [id],
    );
  });
});
