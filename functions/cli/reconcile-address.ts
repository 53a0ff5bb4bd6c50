// The one place the CLI hands a server at an address to the engine, with the clients of that
// address (AccountClients: the account's role for Transfer and EC2, the hub's SSM for documents and
// host keys); the outcome says where the server is (accountId, region; absent for the hub).
import type { ServerAddress } from '../reconciler/desired/server-address.ts';
import { isHubAddress } from '../reconciler/desired/server-address.ts';
import type { AwsClients } from '../reconciler/aws/clients.ts';
import { outcomeWithoutReconcile, reconcileServer } from '../reconciler/reconcile.ts';
import type { PreloadedDocument, ReconcileOptions } from '../reconciler/reconcile.ts';
import type { Outcome } from '../reconciler/types.ts';

/** An outcome of a server at `address`: accountId and region set for another account's, absent for the hub's. */
export function withPlace(o: Outcome, address: ServerAddress): Outcome {
  if (isHubAddress(address)) return o;
  return { ...o, accountId: address.accountId, region: address.region ?? '' };
}

export type AddressOptions = Omit<ReconcileOptions, 'clients' | 'document'>;

/** The clients of an address (AccountClients.for); throws for an address the accounts file does not list. */
export type ClientsFor = (address: ServerAddress) => AwsClients;

export async function reconcileAddress(
  address: ServerAddress,
  clientsFor: ClientsFor,
  document: PreloadedDocument | undefined,
  opts: AddressOptions,
): Promise<Outcome> {
  let clients: AwsClients;
  try {
    clients = clientsFor(address);
  } catch (err) {
    return outcomeWithoutReconcile(address, err, { ...opts, ...(document ? { name: document.name } : {}) });
  }
  const outcome = await reconcileServer(isHubAddress(address) ? address.serverId : address, {
    ...opts,
    clients,
    ...(document ? { document } : {}),
  });
  return withPlace(outcome, address);
}
