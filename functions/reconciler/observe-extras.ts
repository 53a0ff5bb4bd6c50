// What DescribeServer does not tell, read only when the document manages it: the VPC endpoint's
// security groups (EC2) and the server's host keys (ListHostKeys). A document that manages
// neither pays nothing; the in-sync cost stays one GetParameter and one DescribeServer.
import type { AwsClients } from './aws/clients.ts';
import { endpointSecurityGroups } from './aws/ec2-api.ts';
import { listHostKeys } from './aws/transfer-api.ts';
import type { DesiredServer, ObservedServer } from './types.ts';

export function readsSecurityGroups(desired: DesiredServer, observed: ObservedServer): boolean {
  return (
    desired.document.EndpointDetails?.SecurityGroupIds !== undefined &&
    observed.EndpointType === 'VPC' &&
    observed.EndpointDetails.VpcEndpointId !== undefined
  );
}

export async function withExtras(clients: AwsClients, desired: DesiredServer, observed: ObservedServer): Promise<ObservedServer> {
  const [groups, keys] = await Promise.all([
    readsSecurityGroups(desired, observed)
      ? endpointSecurityGroups(clients.ec2, observed.EndpointDetails.VpcEndpointId as string)
      : undefined,
    desired.document.HostKeys !== undefined ? listHostKeys(clients.transfer, observed.ServerId || desired.serverId) : undefined,
  ]);
  return { ...observed, ...(groups ? { SecurityGroupIds: groups } : {}), ...(keys ? { HostKeys: keys } : {}) };
}
