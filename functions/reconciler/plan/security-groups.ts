// The security groups of a VPC-hosted server live on its VPC endpoint (EC2), not on the server:
// DescribeServer never reports them, and UpdateServer takes them only in the call that moves the
// server to VPC (aws-behaviour.md). On a server already in a VPC they are compared with what
// DescribeVpcEndpoints says (observe-extras.ts) and changed with ModifyVpcEndpoint — groups are
// added in one call and removed in a later one, so the endpoint is never left without a group.
// No stop is needed. Terraform's aws_transfer_server does the same set difference.
import type { Change, DesiredServer, Issue, ObservedServer, Step } from '../types.ts';
import type { Target } from './target.ts';
import { sameSet, sortedCopy } from './values.ts';

export const SECURITY_GROUPS_PATH = 'EndpointDetails.SecurityGroupIds';

/** Managed through the endpoint: the server is and stays VPC, and the document lists groups. */
function managedOnEndpoint(desired: DesiredServer, observed: ObservedServer, target: Target): string[] | undefined {
  const groups = desired.document.EndpointDetails?.SecurityGroupIds;
  if (groups === undefined || target.movingToVpc || observed.EndpointType !== 'VPC' || target.endpointType !== 'VPC') return undefined;
  return groups;
}

export function securityGroupChanges(desired: DesiredServer, observed: ObservedServer, target: Target): Change[] {
  const groups = managedOnEndpoint(desired, observed, target);
  if (groups === undefined || observed.SecurityGroupIds === undefined || sameSet(groups, observed.SecurityGroupIds)) return [];
  return [{ path: SECURITY_GROUPS_PATH, from: sortedCopy(observed.SecurityGroupIds), to: sortedCopy(groups) }];
}

export function securityGroupIssues(desired: DesiredServer, observed: ObservedServer, target: Target): Issue[] {
  const groups = managedOnEndpoint(desired, observed, target);
  if (groups === undefined || groups.length > 0) return [];
  return [
    {
      path: `$.${SECURITY_GROUPS_PATH}`,
      message:
        'lists no security group: a VPC endpoint must keep at least one, so the reconciler never removes the last one. List the groups the endpoint should have, or remove the key to leave them unmanaged.',
    },
  ];
}

export function securityGroupWarnings(desired: DesiredServer, observed: ObservedServer, target: Target): string[] {
  const groups = managedOnEndpoint(desired, observed, target);
  if (groups === undefined || observed.SecurityGroupIds !== undefined) return [];
  return [
    'EndpointDetails.SecurityGroupIds are not verified: the server reports no VpcEndpointId, so its VPC endpoint (which holds the groups) could not be read.',
  ];
}

/** Add first, then remove: at no instant does the endpoint have fewer groups than it must keep. */
export function securityGroupSteps(observed: ObservedServer, changes: Change[]): Step[] {
  const change = changes.find((c) => c.path === SECURITY_GROUPS_PATH && c.from !== undefined);
  const vpcEndpointId = observed.EndpointDetails.VpcEndpointId;
  if (change === undefined || vpcEndpointId === undefined) return [];
  const from = change.from as string[];
  const to = change.to as string[];
  const add = to.filter((g) => !from.includes(g));
  const remove = from.filter((g) => !to.includes(g));
  const steps: Step[] = [];
  if (add.length > 0) steps.push({ kind: 'modify-endpoint', vpcEndpointId, add, remove: [] });
  if (remove.length > 0) steps.push({ kind: 'modify-endpoint', vpcEndpointId, add: [], remove });
  return steps;
}
