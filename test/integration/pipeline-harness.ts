// The pipeline on the local emulator, for tests: a FIFO queue with its dead-letter queue, the
// router fed every emulator event in process (as EventBridge would), and a worker loop that plays
// Lambda's event source mapping — ReceiveMessage (10, FIFO attributes), the worker handler, then
// DeleteMessage for every record not in batchItemFailures. The engine's clients sign as the
// worker's role (emulator principal `reconciler*`), so their CloudTrail events carry its issuer.
import { after } from 'node:test';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { TransferClient } from '@aws-sdk/client-transfer';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Emulator } from '../../infra/local/emulator.ts';
import { RECONCILER_ROLE_ARN } from '../../infra/local/principals.ts';
import type { AwsClients } from '../../functions/reconciler/aws/clients.ts';
import { clientConfig } from '../../functions/reconciler/aws/clients.ts';
import { readConfig, workerPacing } from '../../functions/handlers/lib/config.ts';
import type { HandlerConfig } from '../../functions/handlers/lib/config.ts';
import { instrumentClients } from '../../functions/handlers/lib/clients.ts';
import { createHandler as createRouter } from '../../functions/handlers/router.ts';
import { createHandler as createWorker } from '../../functions/handlers/worker.ts';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { fastClock } from '../helpers/engine.ts';
import { capturedObservability, lambdaContext } from './handlers-harness.ts';
import type { Captured } from './handlers-harness.ts';

export const WORKER_KEY = { accessKeyId: 'reconciler-worker', secretAccessKey: 'x' };

export interface Pipeline {
  sqs: SQSClient;
  queueUrl: string;
  dlqUrl: string;
  config: HandlerConfig;
  router: Captured;
  worker: Captured;
  /** While true, events are lost before the router (an account without a trail). */
  deaf: boolean;
  /** Events published so far have reached the router and every router invocation has finished. */
  routed(): Promise<void>;
  /** One event-source-mapping poll: at most 10 records, the worker, deletes. Undefined when the queue gave nothing. */
  poll(remainingMs?: number): Promise<{ records: SQSRecord[]; response: SQSBatchResponse } | undefined>;
  /** Polls until a poll gives nothing; the outcomes logged meanwhile. */
  drain(remainingMs?: number): Promise<Outcome[]>;
  depth(url: string): Promise<{ visible: number; inFlight: number }>;
}

function workerClients(emu: Emulator, config: HandlerConfig): AwsClients {
  const c = { ...clientConfig({ endpointUrl: emu.url }), credentials: WORKER_KEY };
  const clients = { transfer: new TransferClient(c), ssm: new SSMClient(c), ec2: new EC2Client(c) };
  after(() => {
    clients.transfer.destroy();
    clients.ssm.destroy();
    clients.ec2.destroy();
  });
  return instrumentClients(clients, config, fastClock);
}

export async function startPipeline(
  emu: Emulator,
  opts: { name: string; visibilityTimeout?: number; maxReceiveCount?: number; env?: Record<string, string>; requeue?: false },
): Promise<Pipeline> {
  const sqs = new SQSClient({ endpoint: emu.url, region: emu.region, credentials: { accessKeyId: 'test', secretAccessKey: 'x' } });
  after(() => sqs.destroy());
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${opts.name}-dlq.fifo`, Attributes: { FifoQueue: 'true' } }));
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes
    ?.QueueArn;
  const q = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${opts.name}.fifo`,
      Attributes: {
        FifoQueue: 'true',
        VisibilityTimeout: String(opts.visibilityTimeout ?? 30),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: opts.maxReceiveCount ?? 3 }),
      },
    }),
  );
  const queueUrl = q.QueueUrl ?? '';
  const config = readConfig({
    RECONCILE_QUEUE_URL: queueUrl,
    RECONCILER_ROLE_ARNS: RECONCILER_ROLE_ARN,
    WORKER_MAX_CONCURRENCY: '2',
    ...opts.env,
  });
  const router = capturedObservability();
  const worker = capturedObservability();
  // The router only reads (reads are not trailed), so which key it signs with does not matter.
  const route = createRouter({ config, clients: workerClients(emu, config), sqs, queueUrl, ...router });
  const work = createWorker({
    config,
    clients: workerClients(emu, workerPacing(config)),
    clock: fastClock,
    ...(opts.requeue === false ? {} : { requeue: { sqs, queueUrl } }),
    ...worker,
  });

  const pending = new Set<Promise<unknown>>();
  const state = { deaf: false };
  const unsubscribe = emu.events.subscribeAll((event) => {
    if (state.deaf) return;
    const p = route(event as { id?: string }, lambdaContext(60_000)).catch(() => undefined);
    pending.add(p);
    void p.finally(() => pending.delete(p));
  });
  after(unsubscribe);

  const poll: Pipeline['poll'] = async (remainingMs = 60_000) => {
    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'], WaitTimeSeconds: 0 }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return undefined;
    const records = messages.map(
      (m) =>
        ({
          messageId: m.MessageId ?? '',
          receiptHandle: m.ReceiptHandle ?? '',
          body: m.Body ?? '',
          attributes: m.Attributes ?? {},
          messageAttributes: {},
          md5OfBody: m.MD5OfBody ?? '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q.fifo',
          awsRegion: emu.region,
        }) as unknown as SQSRecord,
    );
    const response = await work({ Records: records } satisfies SQSEvent, lambdaContext(remainingMs));
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    for (const r of records)
      if (!failed.has(r.messageId)) await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: r.receiptHandle }));
    return { records, response };
  };

  return {
    get deaf() {
      return state.deaf;
    },
    set deaf(v: boolean) {
      state.deaf = v;
    },
    sqs,
    queueUrl,
    dlqUrl: dlq.QueueUrl ?? '',
    config,
    router,
    worker,
    routed: async () => {
      // The emulator publishes on a timer (eventDelayMs, 0 by default): let it fire first.
      await new Promise((resolve) => setTimeout(resolve, 30));
      while (pending.size > 0) await Promise.all([...pending]);
    },
    poll,
    drain: async (remainingMs) => {
      const before = worker.outcomes().length;
      while ((await poll(remainingMs)) !== undefined);
      return worker.outcomes().slice(before);
    },
    depth: async (url) => {
      const a = (
        await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        )
      ).Attributes;
      return { visible: Number(a?.ApproximateNumberOfMessages ?? 0), inFlight: Number(a?.ApproximateNumberOfMessagesNotVisible ?? 0) };
    },
  };
}
