// The pipeline on the local emulator for tests: a thin wrapper over the local pipeline runner
// (infra/local/pipeline/runner.ts) in manual mode — nothing polls by itself; `poll()` is one
// event-source-mapping poll (ReceiveMessage 10 with the FIFO attributes, the worker, DeleteMessage
// for every record not in batchItemFailures). Every emulator event reaches the router unfiltered
// (the router's own drops are what these tests check; the deployed rules are tested in
// pipeline-runner.test.ts). The Lambdas' clients sign as the worker's role (`reconciler*`).
import { after } from 'node:test';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { Emulator } from '../../infra/local/emulator.ts';
import { startPipeline as startRunner } from '../../infra/local/pipeline/runner.ts';
import type { HandlerConfig } from '../../functions/handlers/lib/config.ts';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { fastClock } from '../helpers/engine.ts';
import { captureOutput } from '../helpers/secrets.ts';
import type { Captured } from './handlers-harness.ts';

export { WORKER_KEY } from '../../infra/local/pipeline/functions.ts';

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

export async function startPipeline(
  emu: Emulator,
  opts: {
    name: string;
    visibilityTimeout?: number;
    maxReceiveCount?: number;
    env?: Record<string, string>;
    requeue?: false;
    /** The event source mapping's BatchSize (default 10). */
    batchSize?: number;
  },
): Promise<Pipeline> {
  const runner = await startRunner(emu, {
    name: opts.name,
    manual: true,
    routerRetryDelaysMs: [],
    rules: 'every-event',
    visibilityTimeout: opts.visibilityTimeout ?? 30,
    maxReceiveCount: opts.maxReceiveCount ?? 3,
    env: { WORKER_MAX_CONCURRENCY: '2', ...opts.env },
    clock: fastClock,
    functionName: () => 'transfer-reconciler-test',
    ...(opts.requeue === false ? { requeue: false as const } : {}),
    ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
    // Every line goes to the suite-wide secret scan; a line that is not JSON fails the test that wrote it.
    onLine: (_from, raw) => captureOutput('lambda log line', raw),
  });
  after(() => runner.close());
  const poll: Pipeline['poll'] = (remainingMs = 60_000) => runner.poll(remainingMs);
  return {
    get deaf() {
      return runner.deaf;
    },
    set deaf(v: boolean) {
      runner.deaf = v;
    },
    sqs: runner.sqs,
    queueUrl: runner.queueUrl,
    dlqUrl: runner.dlqUrl,
    config: runner.config,
    router: runner.logs.router,
    worker: runner.logs.worker,
    routed: () => runner.routed(),
    poll,
    drain: async (remainingMs) => {
      const before = runner.logs.worker.outcomes().length;
      while ((await poll(remainingMs)) !== undefined);
      return runner.logs.worker.outcomes().slice(before);
    },
    depth: (url) => runner.depth(url),
  };
}
