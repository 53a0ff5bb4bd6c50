// Whether a document's address is one the accounts file allows: a hub document always is; one
// addressed to an account must find that account, and its region under it, in the accounts file.
import type { AccountsFile } from './accounts-rules.ts';
import type { ServerAddress } from './server-address.ts';

export interface KnownAccounts {
  /** The accounts file (for messages). */
  source: string;
  accounts: AccountsFile;
}

/** undefined when the address is allowed, else why not (naming the accounts file). */
export function unlistedProblem(address: ServerAddress, known: KnownAccounts | undefined): string | undefined {
  const { accountId, region } = address;
  if (accountId === undefined) return undefined;
  if (known === undefined)
    return `this document is for account ${accountId} region ${region ?? ''} and needs an accounts file listing ${accountId}: add accounts.yaml next to or above the documents, or give --accounts FILE (docs/accounts.md)`;
  const entry = known.accounts.accounts.find((a) => a.id === accountId);
  if (entry === undefined)
    return `account ${accountId} is not listed in ${known.source}; add it there (id, role, externalId, regions) or move the document`;
  if (region === undefined || !entry.regions.includes(region))
    return `region ${region ?? '(none)'} is not listed for account ${accountId} in ${known.source} (its regions: ${entry.regions.join(', ')}); add it there or move the document`;
  return undefined;
}
