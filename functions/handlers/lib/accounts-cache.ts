// The accounts file as the Lambdas see it (router, worker, enumerator): read from the hub's SSM
// with readAccounts (desired/accounts-ssm.ts) and kept per instance for a short TTL, so a batch or
// a burst of events costs one GetParameter a minute, and a `push` of a changed file is seen within
// that minute. No parameter: no accounts (a hub-only deployment). An invalid one, or a read that
// fails, keeps what was last read (none before the first good read) and says why in `problem`.
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { AccountsFile } from '../../reconciler/desired/accounts-rules.ts';
import { readAccounts } from '../../reconciler/desired/accounts-ssm.ts';
import { classifyError } from '../../reconciler/error-outcome.ts';

export const ACCOUNTS_TTL_MS = 60_000;

export interface AccountsView {
  accounts: AccountsFile | undefined;
  /** Set when the last read did not give a valid file (invalid, or the read failed). */
  problem?: string;
}

export interface AccountsCache {
  get(): Promise<AccountsView>;
}

export function accountsCache(ssm: SSMClient, name: string, opts: { ttlMs?: number; now?: () => number } = {}): AccountsCache {
  const ttl = opts.ttlMs ?? ACCOUNTS_TTL_MS;
  const now = opts.now ?? Date.now;
  let view: AccountsView | undefined;
  let readAt = 0;
  let pending: Promise<AccountsView> | undefined;
  const read = async (): Promise<AccountsView> => {
    const last = view?.accounts;
    try {
      const r = await readAccounts(ssm, name);
      if (r.status === 'found') return { accounts: r.accounts };
      if (r.status === 'not-found') return { accounts: undefined };
      return {
        accounts: last,
        problem: `the accounts parameter ${name} is invalid: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      };
    } catch (err) {
      const c = classifyError(err);
      return { accounts: last, problem: `could not read the accounts parameter ${name}: ${c.code}: ${c.message}` };
    }
  };
  return {
    get: async () => {
      if (view !== undefined && now() - readAt < ttl) return view;
      pending ??= read().then((v) => {
        view = v;
        readAt = now();
        pending = undefined;
        return v;
      });
      return pending;
    },
  };
}
