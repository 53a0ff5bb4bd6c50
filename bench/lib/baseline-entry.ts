// The cold-start baseline: the same two SDK clients the Lambdas use, constructed, and nothing
// else. Bundled with the Lambdas' esbuild settings (lib/bundle.ts).
import { SSMClient } from '@aws-sdk/client-ssm';
import { TransferClient } from '@aws-sdk/client-transfer';

export const clients = { transfer: new TransferClient({}), ssm: new SSMClient({}) };
