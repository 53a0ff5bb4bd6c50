// What the EC2 back end needs of a VPC-hosted server: its endpoint mirrors these (ec2/vpc-endpoints.ts).
import type { StoredServer } from './server-types.ts';

export interface VpcServerView {
  ServerId: string;
  VpcEndpointId: string;
  VpcId?: string;
  SubnetIds: string[];
  SecurityGroupIds: string[];
}

/** The server's VPC endpoint as EC2 sees it, or undefined when it is not VPC-hosted (or gone). */
export function vpcServerView(server: StoredServer | undefined): VpcServerView | undefined {
  const details = server?.config.EndpointDetails;
  if (server === undefined || server.config.EndpointType !== 'VPC' || details?.VpcEndpointId === undefined) return undefined;
  const view: VpcServerView = {
    ServerId: server.ServerId,
    VpcEndpointId: details.VpcEndpointId,
    SubnetIds: [...(details.SubnetIds ?? [])],
    SecurityGroupIds: [...(details.SecurityGroupIds ?? [])],
  };
  if (details.VpcId !== undefined) view.VpcId = details.VpcId;
  return view;
}
