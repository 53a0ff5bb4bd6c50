// The accounts side of a handler's deps, built once per instance: the cached accounts file and the
// clients per address (aws/account-clients.ts), the latter told about every newer file it reads.
// The pacing rule of a spoke's account-region (docs/pipeline.md, docs/accounts.md): the entry's
// transferCallsPerSecond, else the hub's TRANSFER_CALLS_PER_SECOND, divided by
// WORKER_MAX_CONCURRENCY (every worker instance paces alone; together they stay under the rate).
import { AccountClients } from '../../reconciler/aws/account-clients.ts';
import type { AccountAccess } from '../../reconciler/aws/account-clients.ts';
import type { AccountEntry } from '../../reconciler/desired/accounts-rules.ts';
import type { AccountsCache, AccountsView } from './accounts-cache.ts';
import { accountsCache } from './accounts-cache.ts';
import type { HandlerConfig } from './config.ts';
import type { HandlerDeps } from './deps.ts';

export interface AccountsDeps {
  accounts: AccountsCache;
  accountClients: AccountClients;
  /** The current accounts file, handed to the clients (call once per invocation). */
  refresh(): Promise<AccountsView>;
}

export function spokePace(config: Pick<HandlerConfig, 'transferCallsPerSecond' | 'workerMaxConcurrency'>, divide: boolean) {
  return (entry: AccountEntry): number =>
    (entry.transferCallsPerSecond ?? config.transferCallsPerSecond) / (divide ? config.workerMaxConcurrency : 1);
}

/** `access`: which role of a spoke (account-clients.ts); the router only reads (DescribeServer), the worker writes. */
export function accountsDeps(
  deps: HandlerDeps,
  sessionName: string,
  opts: { divideByWorkers: boolean; access?: AccountAccess },
): AccountsDeps {
  const accounts = deps.accounts ?? accountsCache(deps.clients.ssm, deps.config.accountsParameter);
  const accountClients =
    deps.accountClients ??
    new AccountClients({
      hub: deps.clients,
      settings: deps.config.endpointUrl ? { endpointUrl: deps.config.endpointUrl } : {},
      accounts: undefined,
      sessionName,
      ...(opts.access ? { access: opts.access } : {}),
      paceOf: spokePace(deps.config, opts.divideByWorkers),
    });
  return {
    accounts,
    accountClients,
    refresh: async () => {
      const view = await accounts.get();
      accountClients.setAccounts(view.accounts);
      return view;
    },
  };
}
