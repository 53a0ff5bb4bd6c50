// Drives the reconcile engine end to end against the local emulator: real SDK clients (built by
// createClients, counted by countCalls) over HTTP, servers created through the Transfer SDK,
// documents put with the SSM SDK. Every request the engine's Transfer client sends is recorded,
// so tests can check exactly what an UpdateServer carried.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { CreateServerCommand, DescribeServerCommand, UpdateServerCommand } from '@aws-sdk/client-transfer';
import type { CreateServerCommandInput, DescribedServer, TransferClient, UpdateServerCommandInput } from '@aws-sdk/client-transfer';
import type { Emulator, EmulatorOptions } from '../../infra/local/emulator.ts';
import type { CallLogEntry } from '../../infra/local/types.ts';
import type { Clock } from '../../functions/reconciler/apply/clock.ts';
import { countCalls } from '../../functions/reconciler/aws/call-count.ts';
import { createClients } from '../../functions/reconciler/aws/clients.ts';
import type { AwsClients } from '../../functions/reconciler/aws/clients.ts';
import { reconcileServer } from '../../functions/reconciler/reconcile.ts';
import type { ReconcileOptions } from '../../functions/reconciler/reconcile.ts';
import { reconcileSelection } from '../../functions/reconciler/reconcile-many.ts';
import type { ManyOptions, ManyResult, Selection } from '../../functions/reconciler/reconcile-many.ts';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { emulatorForTests, ssmClient, transferClient } from './emulator.ts';
import { captureOutput } from './secrets.ts';

export const PREFIX = '/transfer-reconciler/servers/';
export const WRITE_OPERATIONS = new Set([
  'UpdateServer',
  'StartServer',
  'StopServer',
  'TagResource',
  'UntagResource',
  'PutParameter',
  'DeleteParameter',
  'CreateServer',
  'DeleteServer',
  'ImportHostKey',
  'UpdateHostKey',
  'DeleteHostKey',
  'ModifyVpcEndpoint',
]);

/** Real time, short sleeps: the emulator's transitions last tens of ms, so polling every 200 ms+ only slows tests down. */
export const fastClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 10))),
};

export interface SentRequest {
  operation: string;
  input: Record<string, unknown>;
}

export interface Engine {
  emu: Emulator;
  /** The engine's clients (createClients + countCalls), as the CLI and the Lambdas build them. */
  clients: AwsClients;
  /** The test's own clients for setting up and changing things behind the engine's back. */
  transfer: TransferClient;
  ssm: SSMClient;
  /** Requests sent by the engine's Transfer client, oldest first (cleared by mark()). */
  sent: SentRequest[];
  /** Runs before each request of the engine's Transfer client is sent (fault injection at a chosen moment). */
  beforeSend: ((request: SentRequest) => void) | undefined;
  /** Starts a fresh window: clears the emulator's call log and the recorded requests. */
  mark(): void;
  calls(): CallLogEntry[];
  /** Operations in the emulator's call log that change something. */
  writes(serverId?: string): CallLogEntry[];
  createServer(input?: CreateServerCommandInput): Promise<string>;
  describe(serverId: string): Promise<DescribedServer>;
  /** Changes the server behind the engine's back (not recorded in `sent`). */
  update(input: UpdateServerCommandInput): Promise<void>;
  putDocument(serverId: string, document: unknown, type?: 'String' | 'SecureString'): Promise<void>;
  putText(name: string, value: string, type?: 'String' | 'SecureString' | 'StringList'): Promise<void>;
  reconcile(serverId: string, options?: Partial<ReconcileOptions>): Promise<Outcome>;
  reconcileMany(selection: Selection, options?: Partial<ManyOptions>): Promise<ManyResult>;
  /** Updates sent by the engine, with ServerId removed. */
  updates(): Record<string, unknown>[];
}

/** Starts an emulator for this test file and wires the engine to it (call at the file's top level). */
export async function engineForTests(options: EmulatorOptions = {}): Promise<Engine> {
  const emu = await emulatorForTests({ transitionDelayMs: 30, ...options });
  const clients = createClients({ endpointUrl: emu.url, region: emu.region });
  countCalls(clients.transfer);
  countCalls(clients.ssm);
  countCalls(clients.ec2);
  after(() => {
    clients.transfer.destroy();
    clients.ssm.destroy();
    clients.ec2.destroy();
  });
  const transfer = transferClient(emu, { maxAttempts: 1 });
  const ssm = ssmClient(emu, { maxAttempts: 1 });

  const engine: Engine = {
    emu,
    clients,
    transfer,
    ssm,
    sent: [],
    beforeSend: undefined,
    mark() {
      emu.calls.clear();
      engine.sent.length = 0;
    },
    calls: () => emu.calls.list(),
    writes: (serverId) =>
      emu.calls.list().filter((c) => WRITE_OPERATIONS.has(c.operation) && (serverId === undefined || (c.target ?? '').includes(serverId))),
    async createServer(input = {}) {
      const { ServerId } = await transfer.send(new CreateServerCommand(input));
      assert.ok(ServerId);
      // A new server is STARTING for the transition delay; the tests start from a settled one.
      emu.transfer.forceState(ServerId, 'ONLINE');
      return ServerId;
    },
    async describe(serverId) {
      const { Server } = await transfer.send(new DescribeServerCommand({ ServerId: serverId }));
      assert.ok(Server);
      return Server;
    },
    async update(input) {
      await transfer.send(new UpdateServerCommand(input));
    },
    async putDocument(serverId, document, type = 'String') {
      await engine.putText(`${PREFIX}${serverId}`, typeof document === 'string' ? document : JSON.stringify(document), type);
    },
    async putText(name, value, type = 'String') {
      await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: type, Overwrite: true }));
    },
    async reconcile(serverId, options = {}) {
      const outcome = await reconcileServer(serverId, {
        clients,
        prefix: PREFIX,
        trigger: 'cli',
        deadline: Date.now() + 60_000,
        clock: fastClock,
        offlineWindowMs: 1_000,
        ...options,
      });
      captureOutput(`outcome ${serverId}`, JSON.stringify(outcome));
      return outcome;
    },
    async reconcileMany(selection, options = {}) {
      const result = await reconcileSelection(selection, {
        clients,
        prefix: PREFIX,
        trigger: 'schedule',
        deadline: Date.now() + 60_000,
        clock: fastClock,
        offlineWindowMs: 1_000,
        concurrency: 4,
        ...options,
      });
      captureOutput('outcomes', result.outcomes.map((o) => JSON.stringify(o)).join('\n'));
      return result;
    },
    updates: () =>
      engine.sent
        .filter((r) => r.operation === 'UpdateServer')
        .map((r) => {
          const { ServerId: _id, ...rest } = r.input;
          return rest;
        }),
  };

  clients.transfer.middlewareStack.add(
    (next, context) => async (args) => {
      const request = {
        operation: (context.commandName ?? '').replace(/Command$/, ''),
        input: structuredClone(args.input as Record<string, unknown>),
      };
      engine.sent.push(request);
      engine.beforeSend?.(request);
      return next(args);
    },
    { step: 'initialize', name: 'engineTestRecorder' },
  );
  return engine;
}

/** A server ID that no server has (for not-found). */
export const MISSING_SERVER_ID = 's-00000000000000000';

/** The outcome fields every reconcile reports, whatever its result. */
export function assertOutcomeShape(o: Outcome): void {
  assert.match(o.serverId, /^s-[0-9a-f]{17}$/);
  assert.equal(typeof o.parameter.name, 'string');
  assert.ok(o.parameter.name.startsWith(PREFIX));
  assert.ok(['event', 'schedule', 'cli'].includes(o.trigger));
  assert.ok(['enforce', 'detect'].includes(o.mode));
  assert.ok(['in-sync', 'updated', 'drift-detected', 'blocked', 'invalid', 'not-found', 'failed', 'unmanaged'].includes(o.result));
  assert.ok(Array.isArray(o.changes));
  assert.equal(typeof o.calls, 'object');
  assert.equal(typeof o.durationMs, 'number');
  assert.ok(o.durationMs >= 0);
  assert.ok(Array.isArray(o.warnings));
  if (o.result === 'failed' || o.result === 'invalid' || o.result === 'blocked' || o.result === 'not-found' || o.result === 'unmanaged') {
    assert.ok(o.error, `${o.result} outcome without error`);
    assert.equal(typeof o.error.code, 'string');
    assert.equal(typeof o.error.message, 'string');
    assert.equal(typeof o.error.retryable, 'boolean');
  }
}

/** Puts the document and returns the Parameter Store change event it caused (as EventBridge delivers it). */
export async function documentEvent<E>(engine: Engine, id: string, document: unknown): Promise<E> {
  const since = engine.emu.events.list().at(-1)?.seq ?? 0;
  await engine.putDocument(id, document);
  const [first] = engine.emu.events.list(since);
  assert.ok(first, `no event after putting the document of ${id}`);
  return first.event as unknown as E;
}
