// The cold-start baseline: the same SDK clients the Lambdas use (Transfer, SSM, EC2 for the VPC
// endpoint's security groups), constructed, and nothing else. Bundled with the Lambdas' esbuild
// settings (lib/bundle.ts).
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { TransferClient } from '@aws-sdk/client-transfer';

export const clients = { transfer: new TransferClient({}), ssm: new SSMClient({}), ec2: new EC2Client({}) };
