// The local pipeline runner's API (runner.ts): its options, counters and handle.
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Clock } from '../../../functions/reconciler/apply/clock.ts';
import type { HandlerConfig } from '../../../functions/handlers/lib/config.ts';
import type { Outcome } from '../../../functions/reconciler/types.ts';
import type { Captured, LogLine } from '../lambda/captured-observability.ts';
import type { Polled } from './event-source-mapping.ts';
import type { WorkerHandler } from './functions.ts';
import type { Rule } from './rules.ts';

export type FunctionName = 'router' | 'worker' | 'enumerator';
export interface PipelineOptions {
  /** Queues `<name>.fifo` and `<name>-dlq.fifo` (default transfer-reconciler-local-reconcile). */
  name?: string;
  /** The Lambdas' environment (readConfig); RECONCILE_QUEUE_URL and RECONCILER_ROLE_ARNS are set by the runner. */
  env?: Record<string, string>;
  visibilityTimeout?: number;
  maxReceiveCount?: number;
  /** No background polling nor schedule: `poll()` and `enumerate()` drive it. */
  manual?: boolean;
  /** The enumerator's schedule (default 3600 s; 0: never). */
  enumerateEverySeconds?: number;
  /**
   * 'every-event': each emulator event reaches the router once, unfiltered by the hub's rules or a
   * spoke's forwarding rule (tests of the router's own drops). 'deployed' (default): both apply.
   */
  rules?: 'deployed' | 'every-event';
  routerRetryDelaysMs?: readonly number[];
  clock?: Clock;
  requeue?: false;
  onOutcome?: (outcome: Outcome, from: FunctionName) => void;
  onLine?: (from: FunctionName, raw: string, parsed: LogLine) => void;
  /** The Lambda functions' names (context.functionName); default `transfer-reconciler-local-<function>`, as deployed with stage "local". */
  functionName?: (fn: FunctionName) => string;
  /**
   * Each worker instance in its own worker thread (threaded-worker.ts), as Lambda runs instances
   * apart from the services: the benchmarks. Not with `clock` (the threads keep real time).
   */
  workerThreads?: boolean;
  /** The event source mapping's BatchSize (1–10, default 10 as deployed). */
  batchSize?: number;
  /** Wraps each worker instance (tests: a handler that throws). */
  wrapWorker?: (handler: WorkerHandler) => WorkerHandler;
}

export interface Counters {
  eventsMatched: number;
  eventsIgnored: number;
  routerInvocations: number;
  routerRetries: number;
  deadLettered: number;
  workerBatches: number;
  workerRecords: number;
  workerErrors: number;
  enumerations: number;
}

export interface PipelineRunner {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly dlqUrl: string;
  readonly config: HandlerConfig;
  readonly rules: readonly Rule[];
  readonly sqs: SQSClient;
  readonly logs: Record<FunctionName, Captured>;
  /** Outcomes logged by the workers and the enumerator, in order. */
  readonly outcomes: readonly Outcome[];
  readonly counters: Readonly<Counters>;
  /** While true, events are lost before the rules (an account without a trail). */
  deaf: boolean;
  /** Every event published so far has been routed (retries included). */
  routed(): Promise<void>;
  /** One event-source-mapping poll (manual mode). */
  poll(remainingMs?: number): Promise<Polled | undefined>;
  /** Starts every worker instance the mapping may run (MaximumConcurrency) and waits for them to load. */
  warm(): Promise<void>;
  /** Runs the enumerator now, as its schedule would. */
  enumerate(): Promise<void>;
  /** Every event so far routed, the queue empty, no invocation in flight. */
  settled(): Promise<void>;
  depth(url: string): Promise<{ visible: number; inFlight: number }>;
  close(): Promise<void>;
}
