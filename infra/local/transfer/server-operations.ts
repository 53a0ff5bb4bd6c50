// CreateServer, DescribeServer, UpdateServer, StartServer, StopServer, DeleteServer, ListServers.
import { AwsError } from '../aws-error.ts';
import type { NestedUpdateMode } from '../types.ts';
import { describedServer, listedServer } from './describe.ts';
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
}

function check(context: RuleContext): void {
  const message = firstViolation(context);
  if (message !== undefined) throw new AwsError('InvalidRequestException', message, { status: 400 });
}

/** Writes are refused while a server is STARTING or STOPPING. */
function assertNotTransitional(server: StoredServer): void {
  const state = server.lifecycle.state;
  if (isTransitional(state)) {
    throw new AwsError(
      'ConflictException',
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
    hostKey: key.hostKey,
    HostKeyFingerprint: key.HostKeyFingerprint,
    Tags: tags,
    lifecycle: newLifecycle(settings.now(), settings.transitionDelayMs),
  });
  return { ServerId: serverId };
}

export function describeServer(store: ServersStore, input: Record<string, unknown>): { Server: Record<string, unknown> } {
  return { Server: describedServer(store.get(serverIdOf(input))) };
}

export function updateServer(store: ServersStore, settings: OperationSettings, input: Record<string, unknown>): { ServerId: string } {
  const server = store.get(serverIdOf(input));
  assertNotTransitional(server);
  const request = input as ServerRequest;
  const result = resolveConfig(server.config, request, settings.nestedUpdate);
  check({ operation: 'UpdateServer', request, current: server.config, result, state: server.lifecycle.state });
  const givenKey = hostKeyOf(request);
  if (givenKey !== undefined) {
    const key = acceptHostKey(givenKey);
    server.hostKey = key.hostKey;
    server.HostKeyFingerprint = key.HostKeyFingerprint;
  }
  server.config = completeConfig(result, newVpcEndpointId);
  return { ServerId: server.ServerId };
}

export function startServer(store: ServersStore, settings: OperationSettings, input: Record<string, unknown>): Record<string, never> {
  const server = store.get(serverIdOf(input));
  assertNotTransitional(server);
  start(server.lifecycle, settings.now(), settings.transitionDelayMs);
  return {};
}

export function stopServer(store: ServersStore, settings: OperationSettings, input: Record<string, unknown>): Record<string, never> {
  const server = store.get(serverIdOf(input));
  assertNotTransitional(server);
  stop(server.lifecycle, settings.now(), settings.transitionDelayMs);
  return {};
}

export function deleteServer(store: ServersStore, input: Record<string, unknown>): Record<string, never> {
  const server = store.get(serverIdOf(input));
  assertNotTransitional(server);
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
