// What export reads of one server: DescribeServer (normalised), the security groups of a VPC
// server's endpoint (EC2, which DescribeServer never reports) and its host keys (ListHostKeys, for
// the placeholder: types and fingerprints, never a key). Reads only, through the adapters.
import type { AwsClients } from '../aws/clients.ts';
import { endpointSecurityGroups } from '../aws/ec2-api.ts';
import { listHostKeys, observeServer } from '../aws/transfer-api.ts';
import type { ObservedServer } from '../types.ts';

export async function observeForExport(clients: AwsClients, serverId: string): Promise<ObservedServer> {
  const observed = await observeServer(clients.transfer, serverId);
  const endpoint = observed.EndpointType === 'VPC' ? observed.EndpointDetails.VpcEndpointId : undefined;
  const [groups, keys] = await Promise.all([
    endpoint === undefined ? undefined : endpointSecurityGroups(clients.ec2, endpoint),
    listHostKeys(clients.transfer, serverId),
  ]);
  return { ...observed, ...(groups === undefined ? {} : { SecurityGroupIds: groups }), HostKeys: keys };
}
