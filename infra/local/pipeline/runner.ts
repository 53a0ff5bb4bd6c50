// The whole deployed pipeline on the local emulator — triggers → router → SQS FIFO (one message
// group per server) → worker — with the real handlers: every emulator event is matched against
// the deployed EventBridge rules (rules.ts) and a match invokes the router as EventBridge invokes a
// Lambda asynchronously (a throw: 2 retries after short delays, then dead-lettered); the
// enumerator runs on a schedule; the worker runs under the SQS event source mapping. `manual`
// mode polls nothing by itself (`poll()` is one event-source-mapping poll), for deterministic tests.
import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import { readConfig } from '../../../functions/handlers/lib/config.ts';
import type { Outcome } from '../../../functions/reconciler/types.ts';
import type { Emulator } from '../emulator.ts';
import { RECONCILER_ROLE_NAME, roleArn } from '../principals.ts';
import { capturedObservability } from '../lambda/captured-observability.ts';
import type { Captured } from '../lambda/captured-observability.ts';
import { lambdaContext } from '../lambda/context.ts';
import { EventSourceMapping } from './event-source-mapping.ts';
import { PipelineFunctions } from './functions.ts';
import { checkThreadOptions, workerThreads } from './threaded-worker.ts';
import type { EnumeratorHandler } from './functions.ts';
import { asyncInvoker } from './async-invoke.ts';
import type { Counters, FunctionName, PipelineOptions, PipelineRunner } from './api.ts';
import { DEFAULT_MAX_RECEIVE_COUNT, DEFAULT_VISIBILITY_TIMEOUT, createQueues, queueDepth } from './queues.ts';
import { loadRules, matchingRules, spokeForwarding } from './rules.ts';

/** serverless.yml's spokeRoleName default (infra/aws/spoke/template.yml SpokeRoleName). */
const DEFAULT_SPOKE_ROLE_NAME = 'transfer-reconciler-spoke';

export type { Counters, FunctionName, PipelineOptions, PipelineRunner };

export const WORKER_TIMEOUT_MS = 600_000;
const ROUTER_TIMEOUT_MS = 60_000;
const ENUMERATOR_TIMEOUT_MS = 300_000;
/** The deployed workerMaxConcurrency (serverless.yml). */
export const DEFAULT_WORKER_CONCURRENCY = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startPipeline(emu: Emulator, options: PipelineOptions = {}): Promise<PipelineRunner> {
  const o = options;
  checkThreadOptions(o);
  const counters: Counters = {
    eventsMatched: 0,
    eventsIgnored: 0,
    routerInvocations: 0,
    routerRetries: 0,
    deadLettered: 0,
    workerBatches: 0,
    workerRecords: 0,
    workerErrors: 0,
    enumerations: 0,
  };
  const outcomes: Outcome[] = [];
  const capture = (from: FunctionName): Captured =>
    capturedObservability((raw, parsed) => {
      o.onLine?.(from, raw, parsed);
      if (from !== 'router' && parsed.message === 'outcome') {
        outcomes.push(parsed.outcome as Outcome);
        o.onOutcome?.(parsed.outcome as Outcome, from);
      }
    });
  const logs = { router: capture('router'), worker: capture('worker'), enumerator: capture('enumerator') };
  const nameOf = o.functionName ?? ((fn: FunctionName) => `transfer-reconciler-local-${fn}`);
  const workerRole = roleArn(emu.accountId, RECONCILER_ROLE_NAME);

  const base = readConfig({ WORKER_MAX_CONCURRENCY: String(DEFAULT_WORKER_CONCURRENCY), ...o.env });
  // The runner's own SQS client is built before the queue URL is known; the functions get it after.
  const bootstrap = new PipelineFunctions({ endpointUrl: emu.url, region: emu.region, config: base, queueUrl: '', logs });
  let queues;
  try {
    queues = await createQueues(
      bootstrap.sqs,
      o.name ?? 'transfer-reconciler-local-reconcile',
      o.visibilityTimeout ?? DEFAULT_VISIBILITY_TIMEOUT,
      o.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT,
    );
  } finally {
    bootstrap.destroy();
  }
  const config = readConfig({
    WORKER_MAX_CONCURRENCY: String(DEFAULT_WORKER_CONCURRENCY),
    ...o.env,
    RECONCILE_QUEUE_URL: queues.queueUrl,
    // As serverless.yml: the worker's role, and the spoke role (by name, any account) whose sessions
    // the worker's writes in other accounts are made with.
    RECONCILER_ROLE_ARNS: [workerRole, o.env?.SPOKE_ROLE_NAME ?? DEFAULT_SPOKE_ROLE_NAME].join(','),
  });
  const fns = new PipelineFunctions({
    endpointUrl: emu.url,
    region: emu.region,
    config,
    queueUrl: queues.queueUrl,
    logs,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.requeue === false ? { requeue: false as const } : {}),
  });
  const rules = loadRules(config, workerRole);
  // As deployed, a spoke forwards only what its rule lets through (the hub's own events are all here).
  const spokeRole = o.env?.SPOKE_ROLE_NAME ?? DEFAULT_SPOKE_ROLE_NAME;
  const forwarded = spokeForwarding(config, (account) => roleArn(account, spokeRole));

  const pending = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    void p.then(
      () => pending.delete(p),
      () => pending.delete(p),
    );
    return p;
  };

  // EventBridge → the router, invoked asynchronously (async-invoke.ts).
  const invokeRouter = asyncInvoker(
    () => fns.router(),
    { functionName: nameOf('router'), timeoutMs: ROUTER_TIMEOUT_MS, retryDelaysMs: o.routerRetryDelaysMs ?? [200, 1_000] },
    {
      onInvoke: () => counters.routerInvocations++,
      onRetry: () => counters.routerRetries++,
      onGiveUp: () => counters.deadLettered++,
    },
  );
  const state = { deaf: false, closed: false };
  const unsubscribe = emu.events.subscribeAll((event) => {
    if (state.deaf || state.closed) return;
    // 'every-event' tests the router's own drops: every event reaches it, forwarded or not.
    if (o.rules !== 'every-event' && event.account !== emu.accountId && !forwarded(event)) return;
    const matched = o.rules === 'every-event' ? ['every-event'] : matchingRules(rules, event);
    if (matched.length === 0) counters.eventsIgnored++;
    else counters.eventsMatched++;
    for (const _ of matched) void track(invokeRouter(event as { id?: string }));
  });

  const threads = workerThreads(o, { endpointUrl: emu.url, region: emu.region, config, queueUrl: queues.queueUrl }, logs.worker);
  const esm = new EventSourceMapping({
    sqs: fns.sqs,
    queueUrl: queues.queueUrl,
    queueArn: queues.queueArn,
    region: emu.region,
    maximumConcurrency: config.workerMaxConcurrency,
    ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
    timeoutMs: WORKER_TIMEOUT_MS,
    functionName: nameOf('worker'),
    createHandler: () => {
      const handler = o.workerThreads ? threads.start() : fns.worker();
      return o.wrapWorker ? o.wrapWorker(handler) : handler;
    },
    onBatch: (records, error) => {
      counters.workerBatches++;
      counters.workerRecords += records;
      if (error !== undefined) counters.workerErrors++;
    },
  });

  // The enumerator has reserved concurrency 1: one instance, runs one after another.
  let enumerator: EnumeratorHandler | undefined;
  let enumerating: Promise<void> = Promise.resolve();
  const enumerate = (): Promise<void> =>
    track(
      (enumerating = enumerating.then(async () => {
        enumerator ??= fns.enumerator();
        counters.enumerations++;
        await enumerator(scheduledEvent(emu), lambdaContext(ENUMERATOR_TIMEOUT_MS, nameOf('enumerator'))).catch(() => undefined);
      })),
    );
  const every = o.enumerateEverySeconds ?? 3600;
  const timer = !o.manual && every > 0 ? setInterval(() => void enumerate(), every * 1000) : undefined;
  timer?.unref();
  if (!o.manual) esm.start();

  const routed = async (): Promise<void> => {
    await sleep(30); // events published on a timer (eventDelayMs) fire first
    while (pending.size > 0) await Promise.all([...pending]);
  };
  const poll = (remainingMs?: number) => esm.poll(remainingMs);
  return {
    ...queues,
    config,
    rules,
    sqs: fns.sqs,
    logs,
    outcomes,
    counters,
    get deaf() {
      return state.deaf;
    },
    set deaf(v: boolean) {
      state.deaf = v;
    },
    routed,
    poll,
    enumerate,
    async warm() {
      esm.warm(config.workerMaxConcurrency);
      await threads.ready();
    },
    async settled() {
      for (;;) {
        await routed();
        if (o.manual) while ((await poll()) !== undefined);
        const d = await queueDepth(fns.sqs, queues.queueUrl);
        if (d.visible === 0 && d.inFlight === 0 && esm.busy === 0 && pending.size === 0) return;
        await sleep(20);
      }
    },
    depth: (url) => queueDepth(fns.sqs, url),
    async close() {
      if (state.closed) return;
      state.closed = true;
      unsubscribe();
      clearInterval(timer);
      await esm.stop();
      while (pending.size > 0) await Promise.all([...pending]);
      await threads.stop();
      fns.destroy();
    },
  };
}

function scheduledEvent(emu: Emulator): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: emu.accountId,
    time: new Date().toISOString(),
    region: emu.region,
    resources: [`arn:aws:events:${emu.region}:${emu.accountId}:rule/enumerator`],
    detail: {},
  };
}
