// The interface VPC endpoint Transfer creates for each VPC-hosted server (aws-behaviour.md, "EC2:
// the VPC endpoint of a VPC-hosted server"): its id is the server's EndpointDetails.VpcEndpointId,
// it appears when a server becomes VPC (CreateServer, or UpdateServer to EndpointType VPC) with the
// request's SecurityGroupIds, or the VPC's default group when none were given, and it is gone when
// the server leaves VPC or is deleted. EC2 owns the groups from then on (ModifyVpcEndpoint).
import type { VpcServerView } from '../transfer/backend.ts';
import type { SecurityGroups } from './security-groups.ts';

export interface VpcEndpointRecord {
  VpcEndpointId: string;
  ServerId: string;
  VpcId: string;
  SubnetIds: string[];
  Groups: string[];
  /** Epoch milliseconds. */
  CreationTimestamp: number;
}

export class VpcEndpoints {
  private endpoints = new Map<string, VpcEndpointRecord>();

  /** Brings one server's endpoint in line with the server: created, kept, or removed. */
  sync(serverId: string, view: VpcServerView | undefined, groups: SecurityGroups, now: number): void {
    for (const [id, endpoint] of this.endpoints) {
      if (endpoint.ServerId === serverId && id !== view?.VpcEndpointId) this.endpoints.delete(id);
    }
    if (view === undefined || this.endpoints.has(view.VpcEndpointId)) return;
    const vpcId = view.VpcId ?? '';
    const named = view.SecurityGroupIds;
    const attached = named.length > 0 ? named.map((id) => groups.adopt(id, vpcId).GroupId) : [groups.defaultOf(vpcId).GroupId];
    this.endpoints.set(view.VpcEndpointId, {
      VpcEndpointId: view.VpcEndpointId,
      ServerId: view.ServerId,
      VpcId: vpcId,
      SubnetIds: [...view.SubnetIds],
      Groups: [...new Set(attached)],
      CreationTimestamp: now,
    });
  }

  /** Every endpoint whose server is no longer VPC-hosted is removed; every VPC server gets one. */
  syncAll(views: VpcServerView[], groups: SecurityGroups, now: number): void {
    const live = new Set(views.map((v) => v.VpcEndpointId));
    for (const id of this.endpoints.keys()) if (!live.has(id)) this.endpoints.delete(id);
    for (const view of views) this.sync(view.ServerId, view, groups, now);
  }

  find(id: string): VpcEndpointRecord | undefined {
    return this.endpoints.get(id);
  }

  list(): VpcEndpointRecord[] {
    return [...this.endpoints.values()].sort(
      (a, b) => a.CreationTimestamp - b.CreationTimestamp || a.VpcEndpointId.localeCompare(b.VpcEndpointId),
    );
  }

  clear(): void {
    this.endpoints.clear();
  }

  snapshot(): VpcEndpointRecord[] {
    return structuredClone(this.list());
  }

  restore(records: VpcEndpointRecord[]): void {
    this.clear();
    for (const record of structuredClone(records)) this.endpoints.set(record.VpcEndpointId, record);
  }
}
