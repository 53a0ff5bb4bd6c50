// What a handler is built from. The module-level `handler` builds it from the environment;
// tests build it around the local emulator, captured output and a fast clock.
import type { Clock } from '../../reconciler/apply/clock.ts';
import type { AccountClients } from '../../reconciler/aws/account-clients.ts';
import type { AwsClients } from '../../reconciler/aws/clients.ts';
import type { AccountsCache } from './accounts-cache.ts';
import type { HandlerConfig } from './config.ts';
import type { Observability } from './observability.ts';

export interface HandlerDeps extends Observability {
  config: HandlerConfig;
  /** The hub's own clients: SSM (documents, host keys, the accounts file) and the hub's servers. */
  clients: AwsClients;
  /** Polling and sleeping while a server changes state (default: real time). */
  clock?: Clock;
  /** The accounts file (router, worker, enumerator); default: config.accountsParameter in the hub's SSM, cached (accounts-cache.ts). */
  accounts?: AccountsCache;
  /** Clients per address (router, worker); default: built from `clients` and `config` (accounts-deps.ts). */
  accountClients?: AccountClients;
}
