// EC2's errors, as the query protocol answers them. The EC2 model lists no errors per operation;
// the codes are those of the EC2 API reference's "Error codes" page, and this list is what the
// emulator may answer (model-errors.ts). Client errors are HTTP 400 except DryRunOperation (412);
// throttling is RequestLimitExceeded with 503 (aws-behaviour.md).
import { AwsError } from '../aws-error.ts';

export const EC2_ERRORS: readonly string[] = [
  'InvalidVpcEndpointId.NotFound',
  'InvalidVpcEndpointId.Malformed',
  'InvalidGroup.NotFound',
  'InvalidGroupId.Malformed',
  'InvalidParameterValue',
  'InvalidParameterCombination',
  'InvalidPaginationToken',
  'MissingParameter',
  'UnsupportedOperation',
  'DryRunOperation',
  'InvalidAction',
  'UnauthorizedOperation',
  'RequestLimitExceeded',
  'InternalError',
  'Unavailable',
];

export function ec2Error(code: (typeof EC2_ERRORS)[number], message: string, status = 400): AwsError {
  return new AwsError(code, message, { status });
}

export const VPC_ENDPOINT_ID = /^vpce-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
export const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;

export function checkEndpointId(id: string): void {
  if (!VPC_ENDPOINT_ID.test(id)) throw ec2Error('InvalidVpcEndpointId.Malformed', `The Vpc Endpoint Id '${id}' is malformed`);
}

export function checkGroupId(id: string): void {
  if (!SECURITY_GROUP_ID.test(id)) throw ec2Error('InvalidGroupId.Malformed', `Invalid id: "${id}" (expecting "sg-...")`);
}
