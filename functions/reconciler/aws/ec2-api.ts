// EC2 adapter: the VPC endpoint that Transfer created for a VPC-hosted server holds its security
// groups (DescribeServer never reports them; Terraform reads and changes them here too). The only
// module that builds EC2 commands; it takes the client as a parameter.
import { DescribeVpcEndpointsCommand, ModifyVpcEndpointCommand } from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { ReconcilerError } from '../errors.ts';

/** The endpoint's security group ids, sorted. */
export async function endpointSecurityGroups(ec2: EC2Client, vpcEndpointId: string): Promise<string[]> {
  const out = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [vpcEndpointId] }));
  const endpoint = out.VpcEndpoints?.find((e) => e.VpcEndpointId === vpcEndpointId);
  if (endpoint === undefined) {
    throw new ReconcilerError('VpcEndpointNotFound', `the server's VPC endpoint ${vpcEndpointId} was not found by DescribeVpcEndpoints`, {
      retryable: true,
    });
  }
  return (endpoint.Groups ?? [])
    .map((g) => g.GroupId)
    .filter((id): id is string => typeof id === 'string')
    .sort();
}

export async function modifyEndpointGroups(ec2: EC2Client, vpcEndpointId: string, add: string[], remove: string[]): Promise<void> {
  await ec2.send(
    new ModifyVpcEndpointCommand({
      VpcEndpointId: vpcEndpointId,
      ...(add.length > 0 ? { AddSecurityGroupIds: add } : {}),
      ...(remove.length > 0 ? { RemoveSecurityGroupIds: remove } : {}),
    }),
  );
}
