// CreateServer, DescribeServer, UpdateServer, StartServer, StopServer, DeleteServer, ListServers.
import { AwsError } from '../aws-error.ts';
import { listedOr } from '../model-errors.ts';
import type { HostKeyFingerprintMode, NestedUpdateMode } from '../types.ts';
import { describedServer, listedServer } from './describe.ts';
import { newKeyEntry, replacePrimaryKey } from './host-key-operations.ts';
import { acceptHostKey, generatedHostKey } from './host-keys.ts';
import { newServerId, newVpcEndpointId, serverArn } from './ids.ts';
import { paginate } from './paging.ts';
import { completeConfig, resolveConfig } from './resolve.ts';
import { firstViolation } from './rules.ts';
import type { RuleContext } from './rules.ts';
import type { ServerRequest, StoredServer } from './server-types.ts';
import type { ServersStore } from './servers-store.ts';
import { isTransitional, newLifecycle, start, stop } from './states.ts';
import { mergeTags } from './tags.ts';

export interface OperationSettings {
  region: string;
  accountId: string;
  nestedUpdate: NestedUpdateMode;
  transitionDelayMs: number;
  now: () => number;
  hostKeyFingerprint?: HostKeyFingerprintMode;
}

function check(context: RuleContext): void {
  const message = firstViolation(context);
  if (message !== undefined) throw new AwsError('InvalidRequestException', message, { status: 400 });
}

/**
 * Writes are refused while a server is STARTING or STOPPING: ConflictException where the model
 * lists it (UpdateServer); StartServer, StopServer and DeleteServer list none, and AWS does not
 * document their answer, so they get the listed InvalidRequestException (README, "The local emulator").
 */
function assertNotTransitional(server: StoredServer, operation: 'UpdateServer' | 'StartServer' | 'StopServer' | 'DeleteServer'): void {
  const state = server.lifecycle.state;
  if (isTransitional(state)) {
    throw new AwsError(
      listedOr('transfer', operation, 'ConflictException', 'InvalidRequestException'),
      `Server is in ${state} state; ${server.ServerId} cannot be changed until it is ONLINE or OFFLINE`,
      { status: 400 },
    );
  }
}

function serverIdOf(input: Record<string, unknown>): string {
  return typeof input.ServerId === 'string' ? input.ServerId : '';
}

function hostKeyOf(request: ServerRequest): string | undefined {
  return request.HostKey === undefined || request.HostKey === '' ? undefined : request.HostKey;
}

/** `serverId` is for seeding (demo, tests): AWS always picks the ID itself. */
export function createServer(
  store: ServersStore,
  settings: OperationSettings,
  input: Record<string, unknown>,
  serverId = newServerId(),
): { ServerId: string } {
  if (store.find(serverId) !== undefined) {
    throw new AwsError('ResourceExistsException', `Server ${serverId} already exists`, {
      fields: { Resource: serverId, ResourceType: 'Server' },
    });
  }
  const request = input as ServerRequest;
  const result = resolveConfig(undefined, request, settings.nestedUpdate);
  check({ operation: 'CreateServer', request, result });
  const tags = mergeTags([], request.Tags ?? []);
  const givenKey = hostKeyOf(request);
  const key = givenKey === undefined ? generatedHostKey() : acceptHostKey(givenKey);
  store.add({
    ServerId: serverId,
    Arn: serverArn(settings.region, settings.accountId, serverId),
    config: completeConfig(result, newVpcEndpointId),
    hostKeys: [newKeyEntry(store, key)],
    Tags: tags,
    lifecycle: newLifecycle(settings.now(), settings.transitionDelayMs),
  });
  return { ServerId: serverId };
}

export function describeServer(
  store: ServersStore,
  input: Record<string, unknown>,
  settings?: Pick<OperationSettings, 'hostKeyFingerprint'>,
): { Server: Record<string, unknown> } {
  return { Server: describedServer(store.get(serverIdOf(input)), settings?.hostKeyFingerprint) };
}

export function updateServer(store: ServersStore, settings: OperationSettings, input: Record<string, unknown>): { ServerId: string } {
  const server = store.get(serverIdOf(input));
  assertNotTransitional(server, 'UpdateServer');
  const request = input as ServerRequest;
  const result = resolveConfig(server.config, request, settings.nestedUpdate);
  check({ operation: 'UpdateServer', request, current: server.config, result, state: server.lifecycle.state });
  const givenKey = hostKeyOf(request);
  if (givenKey !== undefined) replacePrimaryKey(store, server, acceptHostKey(givenKey));
  server.config = completeConfig(result, newVpcEndpointId);
  return { ServerId: server.ServerId };
}

export function startServer(store: ServersStore, settings: OperationSettings, input: Record<string, unknown>): Record<string, never> {
  const server = store.get(serverIdOf(input));
  assertNotTransitional(server, 'StartServer');
  start(server.lifecycle, settings.now(), settings.transitionDelayMs);
  return {};
}

export function stopServer(store: ServersStore, settings: OperationSettings, input: Record<string, unknown>): Record<string, never> {
  const server = store.get(serverIdOf(input));
  assertNotTransitional(server, 'StopServer');
  stop(server.lifecycle, settings.now(), settings.transitionDelayMs);
  return {};
}

export function deleteServer(store: ServersStore, input: Record<string, unknown>): Record<string, never> {
  const server = store.get(serverIdOf(input));
  assertNotTransitional(server, 'DeleteServer');
  store.delete(server.ServerId);
  return {};
}

export function listServers(
  store: ServersStore,
  input: Record<string, unknown>,
): { Servers: Record<string, unknown>[]; NextToken?: string } {
  const page = paginate(store.list(), (server) => server.seq, 'servers', input, 1000);
  const answer: { Servers: Record<string, unknown>[]; NextToken?: string } = { Servers: page.items.map(listedServer) };
  if (page.nextToken !== undefined) answer.NextToken = page.nextToken;
  return answer;
}
