// The hub's own account and region, for the label of its group ("this account (…)") in output that
// spans accounts: the clients' region, and the account from STS GetCallerIdentity (one call, made
// only for such output). Unknown parts stay unknown: the label is then just "hub".
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsClients, AwsSettings } from '../reconciler/aws/clients.ts';
import { clientConfig } from '../reconciler/aws/clients.ts';

export async function hubPlace(settings: AwsSettings, hub: AwsClients): Promise<{ accountId?: string; region?: string }> {
  const region = await hub.transfer.config.region().catch(() => undefined);
  const sts = new STSClient({ ...clientConfig(settings), maxAttempts: 1, credentials: hub.transfer.config.credentials });
  try {
    const id = await sts.send(new GetCallerIdentityCommand({}));
    return { ...(id.Account ? { accountId: id.Account } : {}), ...(region ? { region } : {}) };
  } catch {
    return region ? { region } : {};
  } finally {
    sts.destroy();
  }
}
