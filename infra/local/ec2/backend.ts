// EC2 back end of the local emulator: the VPC endpoints of VPC-hosted Transfer servers and their
// security groups; DescribeVpcEndpoints, ModifyVpcEndpoint (security groups only) and
// DescribeSecurityGroups. Answers are plain objects in the model's member names; the query front
// (ec2/front.ts) writes them as EC2's XML. Errors are AwsErrors with EC2's codes (ec2-errors.ts).
import type { TransferBackend } from '../transfer/backend.ts';
import type { ServiceBackend } from '../types.ts';
import { checkEndpointId, ec2Error } from './ec2-errors.ts';
import { matchesFilters, page } from './filters.ts';
import type { Filter } from './filters.ts';
import { SecurityGroups } from './security-groups.ts';
import type { SecurityGroupRecord } from './security-groups.ts';
import { VpcEndpoints } from './vpc-endpoints.ts';
import type { VpcEndpointRecord } from './vpc-endpoints.ts';

/**
 * What ModifyVpcEndpoint does when a request would leave an endpoint with no security group:
 * AWS does not document it; `refuse` (default) answers InvalidParameterValue, `allow` leaves none.
 */
export type EndpointWithoutGroups = 'refuse' | 'allow';

export interface Ec2Options {
  region: string;
  accountId: string;
  transfer: TransferBackend;
  endpointWithoutGroups?: EndpointWithoutGroups;
  now?: () => number;
}

interface Ec2Snapshot {
  version: 1;
  endpoints: VpcEndpointRecord[];
  groups: SecurityGroupRecord[];
}

/** Members of ModifyVpcEndpoint the emulator carries out; any other is UnsupportedOperation. */
const MODIFY_MEMBERS = new Set(['VpcEndpointId', 'AddSecurityGroupIds', 'RemoveSecurityGroupIds', 'DryRun']);

export class Ec2Backend implements ServiceBackend {
  readonly name = 'ec2' as const;
  /** EC2 has no X-Amz-Target; this prefix names its operations in fault settings (`AmazonEC2.ModifyVpcEndpoint`). */
  readonly targetPrefix = 'AmazonEC2';
  private readonly options: Ec2Options;
  private readonly now: () => number;
  private readonly endpoints = new VpcEndpoints();
  private readonly groups = new SecurityGroups();
  private endpointWithoutGroups: EndpointWithoutGroups;

  constructor(options: Ec2Options) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.endpointWithoutGroups = options.endpointWithoutGroups ?? 'refuse';
    options.transfer.onEndpointChange((serverId) =>
      this.endpoints.sync(serverId, options.transfer.vpcServer(serverId), this.groups, this.now()),
    );
    this.syncAll();
  }

  handle(operation: string, input: Record<string, unknown>): unknown {
    if (input.DryRun === true) throw ec2Error('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
    switch (operation) {
      case 'DescribeVpcEndpoints':
        return this.describeVpcEndpoints(input);
      case 'ModifyVpcEndpoint':
        return this.modifyVpcEndpoint(input);
      case 'DescribeSecurityGroups':
        return this.describeSecurityGroups(input);
    }
    throw ec2Error('InvalidAction', `The action ${operation} is not valid for this web service.`);
  }

  setEndpointWithoutGroups(mode: EndpointWithoutGroups): void {
    this.endpointWithoutGroups = mode;
  }

  /** Seeds a security group with a chosen name (tests, demos); any well-formed `sg-` id. */
  addSecurityGroup(group: { GroupId: string; VpcId: string; GroupName?: string; Description?: string }): void {
    this.groups.add({
      GroupId: group.GroupId,
      VpcId: group.VpcId,
      GroupName: group.GroupName ?? `emulator-${group.GroupId}`,
      Description: group.Description ?? 'Seeded in the local emulator',
    });
  }

  /** The endpoint's groups as stored (tests), or undefined for an unknown endpoint. */
  endpointGroups(vpcEndpointId: string): string[] | undefined {
    const endpoint = this.endpoints.find(vpcEndpointId);
    return endpoint === undefined ? undefined : [...endpoint.Groups];
  }

  reset(): void {
    this.endpoints.clear();
    this.groups.clear();
    this.syncAll();
  }

  snapshot(): unknown {
    this.syncAll();
    const snapshot: Ec2Snapshot = { version: 1, endpoints: this.endpoints.snapshot(), groups: this.groups.snapshot() };
    return snapshot;
  }

  /** A state file without EC2 state (older emulators) rebuilds the endpoints from the servers. */
  restore(s: unknown): void {
    const snapshot = s as Partial<Ec2Snapshot> | undefined;
    if (snapshot !== undefined) {
      if (snapshot.version !== 1 || !Array.isArray(snapshot.endpoints) || !Array.isArray(snapshot.groups))
        throw new Error('not an EC2 back end snapshot');
      this.groups.restore(snapshot.groups);
      this.endpoints.restore(snapshot.endpoints);
    }
    this.syncAll();
  }

  private syncAll(): void {
    this.endpoints.syncAll(this.options.transfer.vpcServers(), this.groups, this.now());
  }

  private endpoint(id: string): VpcEndpointRecord {
    checkEndpointId(id);
    const endpoint = this.endpoints.find(id);
    if (endpoint === undefined) throw ec2Error('InvalidVpcEndpointId.NotFound', `The Vpc Endpoint Id '${id}' does not exist`);
    return endpoint;
  }

  private described(endpoint: VpcEndpointRecord): Record<string, unknown> {
    return {
      VpcEndpointId: endpoint.VpcEndpointId,
      VpcEndpointType: 'Interface',
      VpcId: endpoint.VpcId,
      ServiceName: `com.amazonaws.${this.options.region}.transfer.server`,
      State: 'available',
      RouteTableIds: [],
      SubnetIds: [...endpoint.SubnetIds],
      Groups: endpoint.Groups.map((id) => ({ GroupId: id, GroupName: this.groups.find(id)?.GroupName ?? id })),
      IpAddressType: 'ipv4',
      PrivateDnsEnabled: false,
      RequesterManaged: false,
      NetworkInterfaceIds: [],
      CreationTimestamp: new Date(endpoint.CreationTimestamp),
      Tags: [],
      OwnerId: this.options.accountId,
    };
  }

  private describeVpcEndpoints(input: Record<string, unknown>): Record<string, unknown> {
    const ids = (input.VpcEndpointIds as string[] | undefined) ?? [];
    const chosen = ids.length > 0 ? [...new Set(ids)].map((id) => this.endpoint(id)) : this.endpoints.list();
    const matching = chosen.filter((e) =>
      matchesFilters(e, input.Filters as Filter[] | undefined, {
        'vpc-endpoint-id': (x) => [x.VpcEndpointId],
        'vpc-id': (x) => [x.VpcId],
        'service-name': () => [`com.amazonaws.${this.options.region}.transfer.server`],
        'vpc-endpoint-state': () => ['available'],
        'vpc-endpoint-type': () => ['Interface'],
      }),
    );
    const p = page(matching, 'vpc-endpoints', input);
    return { VpcEndpoints: p.items.map((e) => this.described(e)), ...(p.NextToken === undefined ? {} : { NextToken: p.NextToken }) };
  }

  private modifyVpcEndpoint(input: Record<string, unknown>): { Return: boolean } {
    const unsupported = Object.keys(input).filter((m) => !MODIFY_MEMBERS.has(m));
    if (unsupported.length > 0)
      throw ec2Error('UnsupportedOperation', `The local emulator changes only security groups; not supported: ${unsupported.join(', ')}`);
    const endpoint = this.endpoint(typeof input.VpcEndpointId === 'string' ? input.VpcEndpointId : '');
    const add = [...new Set((input.AddSecurityGroupIds as string[] | undefined) ?? [])];
    const remove = [...new Set((input.RemoveSecurityGroupIds as string[] | undefined) ?? [])];
    const both = add.find((id) => remove.includes(id));
    if (both !== undefined) throw ec2Error('InvalidParameterValue', `Security group ${both} cannot be both added and removed`);
    for (const id of remove) {
      this.groups.get(id);
      if (!endpoint.Groups.includes(id))
        throw ec2Error('InvalidParameterValue', `Security group ${id} is not associated with ${endpoint.VpcEndpointId}`);
    }
    const added = add.map((id) => this.groups.reference(id, endpoint.VpcId).GroupId);
    const next = [...new Set([...endpoint.Groups, ...added])].filter((id) => !remove.includes(id));
    if (next.length === 0 && this.endpointWithoutGroups === 'refuse')
      throw ec2Error(
        'InvalidParameterValue',
        `An interface endpoint must keep at least one security group; ${endpoint.VpcEndpointId} would have none`,
      );
    endpoint.Groups = next;
    this.options.transfer.mirrorSecurityGroups(endpoint.ServerId, next);
    return { Return: true };
  }

  private describeSecurityGroups(input: Record<string, unknown>): Record<string, unknown> {
    const ids = (input.GroupIds as string[] | undefined) ?? [];
    const names = (input.GroupNames as string[] | undefined) ?? [];
    let chosen = ids.length > 0 ? [...new Set(ids)].map((id) => this.groups.get(id)) : this.groups.list();
    for (const name of names) {
      if (!chosen.some((g) => g.GroupName === name)) throw ec2Error('InvalidGroup.NotFound', `The security group '${name}' does not exist`);
    }
    if (names.length > 0) chosen = chosen.filter((g) => names.includes(g.GroupName));
    const matching = chosen.filter((g) =>
      matchesFilters(g, input.Filters as Filter[] | undefined, {
        'group-id': (x) => [x.GroupId],
        'group-name': (x) => [x.GroupName],
        'vpc-id': (x) => [x.VpcId],
        'owner-id': () => [this.options.accountId],
      }),
    );
    const p = page(matching, 'security-groups', input);
    return {
      SecurityGroups: p.items.map((g) => ({
        GroupId: g.GroupId,
        GroupName: g.GroupName,
        Description: g.Description,
        VpcId: g.VpcId,
        OwnerId: this.options.accountId,
        SecurityGroupArn: `arn:aws:ec2:${this.options.region}:${this.options.accountId}:security-group/${g.GroupId}`,
        IpPermissions: [],
        IpPermissionsEgress: [],
        Tags: [],
      })),
      ...(p.NextToken === undefined ? {} : { NextToken: p.NextToken }),
    };
  }
}
