// The local AWS emulator: one HTTP server on 127.0.0.1 serving Transfer Family and SSM Parameter
// Store (told apart by X-Amz-Target) and EC2's VPC endpoints and security groups (the query
// protocol) and SQS (awsJson 1.0), the EventBridge events — Parameter Store changes and CloudTrail
// API calls with the caller's identity — in process and as an HTTP stream, fault injection, a
// call log and control endpoints under /_emulator/.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { AwsFront } from './aws-front.ts';
import { CallLog } from './call-log.ts';
import { Ec2Backend } from './ec2/backend.ts';
import type { EndpointWithoutGroups } from './ec2/backend.ts';
import type { RuntimeConfig } from './control-api.ts';
import { CONTROL_PREFIX, handleControl } from './control-api.ts';
import { EventBus } from './event-bus.ts';
import type { EventListener } from './event-bus.ts';
import { EventStreams } from './event-stream.ts';
import { FaultEngine } from './faults.ts';
import { sendJson } from './http-io.ts';
import { SsmBackend } from './ssm/backend.ts';
import { StateWriter, loadState } from './state-file.ts';
import { TransferBackend } from './transfer/backend.ts';
import { DEFAULT_ACCOUNT_ID } from './principals.ts';
import type { PrincipalRule } from './principals.ts';
import { SqsBackend } from './sqs/backend.ts';
import type {
  CallLogEntry,
  EmulatorEvent,
  FaultConfig,
  HostKeyFingerprintMode,
  NestedUpdateMode,
  ParameterStoreChangeEvent,
} from './types.ts';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  region?: string;
  accountId?: string;
  nestedUpdate?: NestedUpdateMode;
  /** How long STARTING and STOPPING last. */
  transitionDelayMs?: number;
  /** What DescribeServer answers as HostKeyFingerprint (types.ts); default 'fingerprint'. */
  hostKeyFingerprint?: HostKeyFingerprintMode;
  /** How many host keys a server can hold (default 10: quoted by others, unverified). */
  maxHostKeys?: number;
  /** ModifyVpcEndpoint leaving an endpoint with no group: 'refuse' (default, InvalidParameterValue) or 'allow'. */
  endpointWithoutGroups?: EndpointWithoutGroups;
  faults?: FaultConfig;
  /** Loaded at start when it exists; saved (debounced) after every change and on stop. */
  stateFile?: string;
  /** Access key → principal rules tried before the defaults (principals.ts, README "Principals"). */
  principals?: PrincipalRule[];
  /** Delay before a CloudTrail event is published (AWS: seconds, best effort). Default 0. */
  eventDelayMs?: number;
  /** Delay before a Parameter Store change event is published. Default 0. */
  parameterEventDelayMs?: number;
  /** SQS FIFO deduplication interval; default 5 minutes (tests shorten it). */
  sqsDeduplicationWindowMs?: number;
  /** Receives diagnostic lines (internal errors, state-file failures). Default: silent. */
  logger?: (line: string) => void;
}

export interface Emulator {
  readonly url: string;
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  readonly transfer: TransferBackend;
  readonly ssm: SsmBackend;
  readonly ec2: Ec2Backend;
  readonly sqs: SqsBackend;
  readonly events: {
    /** In-process subscription to the Parameter Store change events (as before); returns unsubscribe. */
    subscribe(fn: (event: ParameterStoreChangeEvent, seq: number) => void): () => void;
    /** In-process subscription to every event (Parameter Store and CloudTrail); returns unsubscribe. */
    subscribeAll(fn: EventListener): () => void;
    /** Buffered events (every kind) with seq greater than `since`. */
    list(since?: number): Array<{ seq: number; event: EmulatorEvent }>;
  };
  readonly faults: { get(): FaultConfig; set(config: FaultConfig): void };
  readonly calls: { list(since?: number): CallLogEntry[]; clear(): void };
  readonly config: { get(): RuntimeConfig; set(config: Partial<RuntimeConfig>): RuntimeConfig };
  /** Empties every service, the call log and the event buffer; faults stay as they are. */
  reset(): void;
  /** Writes the state file now (no-op without one). */
  saveState(): Promise<void>;
  /** Closes every connection, open event streams included, and saves the state. Idempotent. */
  stop(): Promise<void>;
}

export const DEFAULT_TRANSITION_DELAY_MS = 200;

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const log = options.logger ?? (() => {});
  const runtime: RuntimeConfig = {
    nestedUpdate: options.nestedUpdate ?? 'merge',
    transitionDelayMs: options.transitionDelayMs ?? DEFAULT_TRANSITION_DELAY_MS,
    ...(options.hostKeyFingerprint ? { hostKeyFingerprint: options.hostKeyFingerprint } : {}),
  };

  const bus = new EventBus(undefined, (err) => log(`emulator: event subscriber failed: ${(err as Error).message}`));
  const transfer = new TransferBackend({
    region,
    accountId,
    nestedUpdate: runtime.nestedUpdate,
    transitionDelayMs: runtime.transitionDelayMs,
    ...(runtime.hostKeyFingerprint ? { hostKeyFingerprint: runtime.hostKeyFingerprint } : {}),
    ...(options.maxHostKeys === undefined ? {} : { maxHostKeys: options.maxHostKeys }),
  });
  const ec2 = new Ec2Backend({
    region,
    accountId,
    transfer,
    ...(options.endpointWithoutGroups ? { endpointWithoutGroups: options.endpointWithoutGroups } : {}),
  });
  const ssm = new SsmBackend({ region, accountId, onChange: (event) => bus.publishLater(event, options.parameterEventDelayMs ?? 0) });
  let baseUrl = 'http://127.0.0.1';
  const sqs = new SqsBackend({
    region,
    accountId,
    baseUrl: () => baseUrl,
    ...(options.sqsDeduplicationWindowMs === undefined ? {} : { deduplicationWindowMs: options.sqsDeduplicationWindowMs }),
  });
  const faults = new FaultEngine(options.faults ?? {});
  const calls = new CallLog();
  const streams = new EventStreams(bus);

  const stateFile = options.stateFile;
  if (stateFile) {
    const saved = loadState(stateFile);
    if (saved) {
      transfer.restore(saved.transfer);
      ssm.restore(saved.ssm);
      ec2.restore(saved.ec2);
    }
  }
  const writer = stateFile
    ? new StateWriter(stateFile, () => ({ transfer: transfer.snapshot(), ssm: ssm.snapshot(), ec2: ec2.snapshot() }), log)
    : undefined;
  const onWrite = (): void => writer?.schedule();

  const setConfig = (c: Partial<RuntimeConfig>): RuntimeConfig => {
    if (c.nestedUpdate !== undefined) transfer.setNestedUpdateMode((runtime.nestedUpdate = c.nestedUpdate));
    if (c.transitionDelayMs !== undefined) transfer.setTransitionDelay((runtime.transitionDelayMs = c.transitionDelayMs));
    if (c.hostKeyFingerprint !== undefined) transfer.setHostKeyFingerprintMode((runtime.hostKeyFingerprint = c.hostKeyFingerprint));
    return { ...runtime };
  };
  const reset = (): void => {
    transfer.reset();
    ssm.reset();
    ec2.reset();
    sqs.reset();
    calls.clear();
    bus.clear();
    onWrite();
  };

  const front = new AwsFront({
    backends: [transfer, ssm, ec2, sqs],
    faults,
    calls,
    onWrite,
    log,
    region,
    accountId,
    ...(options.principals ? { principals: options.principals } : {}),
    onApiCall: (event) => bus.publishLater(event, options.eventDelayMs ?? 0),
  });
  const control = {
    services: [transfer.name, ssm.name, ec2.name, sqs.name],
    region,
    accountId,
    faults,
    calls,
    streams,
    transfer,
    ssm,
    sqs,
    reset,
    getConfig: () => ({ ...runtime }),
    setConfig,
    onWrite,
  };

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const work = (req.url ?? '/').startsWith(CONTROL_PREFIX) ? handleControl(req, res, control) : front.handle(req, res);
    work.catch((err: unknown) => {
      log(`emulator: unhandled error: ${(err as Error).stack ?? String(err)}`);
      sendJson(res, 500, { error: 'internal error' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      streams.closeAll();
      bus.cancelPending();
      sqs.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      await writer?.flush();
    })();
    return stopping;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    region,
    accountId,
    transfer,
    ssm,
    ec2,
    sqs,
    events: {
      subscribe: (fn) =>
        bus.subscribe((event, seq) => {
          if (event.source === 'aws.ssm') fn(event, seq);
        }),
      subscribeAll: (fn) => bus.subscribe(fn),
      list: (since) => bus.since(since),
    },
    faults: { get: () => faults.get(), set: (c) => faults.set(c) },
    calls: { list: (since) => calls.list(since), clear: () => calls.clear() },
    config: { get: () => ({ ...runtime }), set: setConfig },
    reset,
    saveState: async () => writer?.flush(),
    stop,
  };
}
