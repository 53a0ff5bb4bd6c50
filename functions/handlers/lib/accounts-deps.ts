// The accounts side of a handler's deps, built once per instance: the cached accounts file and the
// clients per address (aws/account-clients.ts), the latter told about every newer file it reads.
// A spoke account-region's pace: the worker shares its quota among its instances (worker-share.ts);
// the router, which reads a server per event, paces at the entry's whole rate.
import { AccountClients } from '../../reconciler/aws/account-clients.ts';
import type { AccountAccess } from '../../reconciler/aws/account-clients.ts';
import type { AccountEntry, AccountsFile } from '../../reconciler/desired/accounts-rules.ts';
import type { AccountsCache, AccountsView } from './accounts-cache.ts';
import { accountsCache } from './accounts-cache.ts';
import type { HandlerConfig } from './config.ts';
import type { HandlerDeps } from './deps.ts';
import { spokeShare } from './worker-share.ts';
import type { Pace } from './worker-share.ts';

export interface AccountsDeps {
  accounts: AccountsCache;
  accountClients: AccountClients;
  /** The current accounts file, handed to the clients (call once per invocation). */
  refresh(): Promise<AccountsView>;
}

export function spokePace(config: Pick<HandlerConfig, 'transferCallsPerSecond' | 'workerMaxConcurrency'>, divide: boolean) {
  return (entry: AccountEntry, _region: string, accounts: AccountsFile | undefined): Pace => {
    if (divide) return spokeShare(config, entry, accounts);
    const rate = entry.transferCallsPerSecond ?? config.transferCallsPerSecond;
    return { rate, floor: rate };
  };
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
