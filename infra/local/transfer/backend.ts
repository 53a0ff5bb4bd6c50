// Transfer Family back end of the local emulator: dispatches operations by name, holds the
// options the HTTP front and tests may change, and exposes test hooks (failure injection,
// forced states).
import { AwsError } from '../aws-error.ts';
import { listedOr } from '../model-errors.ts';
import type { HostKeyFingerprintMode, NestedUpdateMode, ServiceBackend, TransferOptions } from '../types.ts';
import { rawServer } from './describe.ts';
import {
  DEFAULT_MAX_HOST_KEYS,
  deleteHostKey,
  describeHostKey,
  importHostKey,
  listHostKeys,
  migrateServer,
  updateHostKey,
} from './host-key-operations.ts';
import { serverIdFromArn } from './ids.ts';
import { paginate } from './paging.ts';
import { ALL_SECURITY_POLICIES } from './security-policies.ts';
import { createServer, deleteServer, describeServer, listServers, startServer, stopServer, updateServer } from './server-operations.ts';
import type { OperationSettings } from './server-operations.ts';
import type { FailureState, ServerState, StoredServer, Tag } from './server-types.ts';
import { notFound, ServersStore } from './servers-store.ts';
import type { StoreSnapshot } from './servers-store.ts';
import { force, injectFailure } from './states.ts';
import { mergeTags, removeTags, seedTags } from './tags.ts';
import { vpcServerView } from './vpc-view.ts';
import type { VpcServerView } from './vpc-view.ts';

export type { VpcServerView } from './vpc-view.ts';

export type { ServerState } from './server-types.ts';

/** Servers only: the nested-update mode and transition delay are the emulator's settings, not state. */
interface BackendSnapshot {
  store: StoreSnapshot;
}

type Operation = (input: Record<string, unknown>) => unknown;

/** Operations after which a server may have entered or left VPC (or gone). */
const ENDPOINT_CHANGES = new Set(['CreateServer', 'UpdateServer', 'DeleteServer']);

export class TransferBackend implements ServiceBackend {
  readonly name = 'transfer' as const;
  readonly targetPrefix = 'TransferService';
  private readonly settings: OperationSettings;
  private readonly store: ServersStore;
  private readonly operations: Record<string, Operation>;
  private maxHostKeys: number;
  private endpointListener: ((serverId: string) => void) | undefined;

  constructor(options: TransferOptions) {
    const now = options.now ?? Date.now;
    this.settings = {
      region: options.region,
      accountId: options.accountId,
      nestedUpdate: options.nestedUpdate,
      transitionDelayMs: options.transitionDelayMs,
      now,
      ...(options.hostKeyFingerprint ? { hostKeyFingerprint: options.hostKeyFingerprint } : {}),
    };
    this.store = new ServersStore(now);
    this.maxHostKeys = options.maxHostKeys ?? DEFAULT_MAX_HOST_KEYS;
    const s = this.store;
    const o = this.settings;
    this.operations = {
      CreateServer: (input) => createServer(s, o, input),
      DescribeServer: (input) => describeServer(s, input, o),
      UpdateServer: (input) => updateServer(s, o, input),
      StartServer: (input) => startServer(s, o, input),
      StopServer: (input) => stopServer(s, o, input),
      DeleteServer: (input) => deleteServer(s, input),
      ListServers: (input) => listServers(s, input),
      TagResource: (input) => this.tagResource(input),
      UntagResource: (input) => this.untagResource(input),
      ListTagsForResource: (input) => this.listTagsForResource(input),
      ListSecurityPolicies: (input) => this.listSecurityPolicies(input),
      ImportHostKey: (input) => importHostKey(s, this.maxHostKeys, input),
      ListHostKeys: (input) => listHostKeys(s, input),
      DescribeHostKey: (input) => describeHostKey(s, input),
      UpdateHostKey: (input) => updateHostKey(s, input),
      DeleteHostKey: (input) => deleteHostKey(s, input),
    };
  }

  async handle(operation: string, input: Record<string, unknown>): Promise<unknown> {
    const run = Object.hasOwn(this.operations, operation) ? this.operations[operation] : undefined;
    if (run === undefined) throw new AwsError('UnknownOperationException', `Unknown operation ${operation}`, { status: 400 });
    const answer = run(input);
    if (ENDPOINT_CHANGES.has(operation)) {
      const serverId = (answer as { ServerId?: unknown }).ServerId ?? input.ServerId;
      if (typeof serverId === 'string') this.endpointListener?.(serverId);
    }
    return answer;
  }

  /** The EC2 back end keeps each VPC server's endpoint; it is told whenever one may have changed. */
  onEndpointChange(listener: (serverId: string) => void): void {
    this.endpointListener = listener;
  }

  /** The server's VPC endpoint as EC2 sees it, or undefined when it is not VPC-hosted (or gone). */
  vpcServer(serverId: string): VpcServerView | undefined {
    return vpcServerView(this.store.find(serverId));
  }

  vpcServers(): VpcServerView[] {
    return this.store.list().flatMap((server) => this.vpcServer(server.ServerId) ?? []);
  }

  /** ModifyVpcEndpoint's result, mirrored into the stored copy (getServer) so both tell the same. */
  mirrorSecurityGroups(serverId: string, groups: string[]): void {
    const details = this.store.find(serverId)?.config.EndpointDetails;
    if (details !== undefined) details.SecurityGroupIds = [...groups];
  }

  /** How many host keys ImportHostKey lets a server have (default 10, unverified; README). */
  setMaxHostKeys(max: number): void {
    this.maxHostKeys = max;
  }

  /**
   * Tags AWS itself sets, such as the older custom-hostname keys `aws:transfer:customHostname` and
   * `aws:transfer:route53HostedZoneId` (console, earlier servers). Callers cannot set `aws:` keys
   * through TagResource; seeding can. Merged by key.
   */
  seedTags(serverId: string, tags: Tag[]): void {
    const server = this.store.get(serverId);
    server.Tags = seedTags(server.Tags, tags);
  }

  /**
   * CreateServer with a chosen ServerId, for seeding the demo and tests with known IDs. The input
   * is not checked against the service model here (the HTTP front does that for real requests).
   */
  createServerWithId(serverId: string, input: Record<string, unknown>): { ServerId: string } {
    const answer = createServer(this.store, this.settings, input, serverId);
    this.endpointListener?.(serverId);
    return answer;
  }

  /** Forgets every server; the settings stay as they are. */
  reset(): void {
    this.store.clear();
  }

  snapshot(): unknown {
    const snapshot: BackendSnapshot = { store: this.store.snapshot() };
    return snapshot;
  }

  restore(s: unknown): void {
    const snapshot = s as Partial<BackendSnapshot> | undefined;
    if (snapshot?.store?.version !== 1 || !Array.isArray(snapshot.store.servers)) throw new Error('not a Transfer back end snapshot');
    this.store.restore(snapshot.store, (server) => migrateServer(server, () => this.store.stampImport()));
  }

  /** The server's next start (START_FAILED) or stop (STOP_FAILED) fails. */
  injectFailure(serverId: string, next: FailureState): void {
    injectFailure(this.store.get(serverId).lifecycle, next);
  }

  /** Puts a server in a state; a transitional one is held for holdMs (forever without), then ends naturally. */
  forceState(serverId: string, state: ServerState, holdMs?: number): void {
    force(this.store.get(serverId).lifecycle, state, this.settings.now(), holdMs);
  }

  setTransitionDelay(ms: number): void {
    this.settings.transitionDelayMs = ms;
  }

  setNestedUpdateMode(mode: NestedUpdateMode): void {
    this.settings.nestedUpdate = mode;
  }

  setHostKeyFingerprintMode(mode: HostKeyFingerprintMode): void {
    this.settings.hostKeyFingerprint = mode;
  }

  getServer(serverId: string): Record<string, unknown> | undefined {
    const server = this.store.find(serverId);
    return server === undefined ? undefined : rawServer(server);
  }

  /**
   * The server an ARN names. ListTagsForResource lists no ResourceNotFoundException and AWS does
   * not document its answer for an unknown ARN: it gets the listed InvalidRequestException.
   */
  private serverByArn(input: Record<string, unknown>, operation: 'TagResource' | 'UntagResource' | 'ListTagsForResource'): StoredServer {
    const arn = typeof input.Arn === 'string' ? input.Arn : '';
    const serverId = serverIdFromArn(arn);
    const server = serverId === undefined ? undefined : this.store.find(serverId);
    if (server !== undefined && server.Arn === arn) return server;
    if (listedOr('transfer', operation, 'ResourceNotFoundException', 'InvalidRequestException') === 'ResourceNotFoundException')
      throw notFound(serverId ?? arn);
    throw new AwsError('InvalidRequestException', `Unknown resource: ${arn}`, { status: 400 });
  }

  private tagResource(input: Record<string, unknown>): Record<string, never> {
    const server = this.serverByArn(input, 'TagResource');
    server.Tags = mergeTags(server.Tags, (input.Tags as Tag[] | undefined) ?? []);
    return {};
  }

  private untagResource(input: Record<string, unknown>): Record<string, never> {
    const server = this.serverByArn(input, 'UntagResource');
    server.Tags = removeTags(server.Tags, (input.TagKeys as string[] | undefined) ?? []);
    return {};
  }

  private listTagsForResource(input: Record<string, unknown>): { Arn: string; Tags: Tag[]; NextToken?: string } {
    const server = this.serverByArn(input, 'ListTagsForResource');
    const indexed = server.Tags.map((tag, index) => ({ tag, index }));
    const page = paginate(indexed, (entry) => entry.index, `tags:${server.ServerId}`, input, 1000);
    const answer: { Arn: string; Tags: Tag[]; NextToken?: string } = {
      Arn: server.Arn,
      Tags: page.items.map((entry) => ({ ...entry.tag })),
    };
    if (page.nextToken !== undefined) answer.NextToken = page.nextToken;
    return answer;
  }

  private listSecurityPolicies(input: Record<string, unknown>): { SecurityPolicyNames: string[]; NextToken?: string } {
    const indexed = ALL_SECURITY_POLICIES.map((name, index) => ({ name, index }));
    const page = paginate(indexed, (entry) => entry.index, 'security-policies', input, 1000);
    const answer: { SecurityPolicyNames: string[]; NextToken?: string } = { SecurityPolicyNames: page.items.map((entry) => entry.name) };
    if (page.nextToken !== undefined) answer.NextToken = page.nextToken;
    return answer;
  }
}
