// The accounts a run may reach (docs/accounts.md): with --dir the local accounts file (documents it
// does not list are already invalid files), otherwise the accounts parameter in the hub's SSM, read
// only when another account's document is selected. A document whose account or region is not
// listed there is invalid and reaches no AWS API.
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { KnownAccounts } from '../reconciler/desired/accounts-listing.ts';
import { unlistedProblem } from '../reconciler/desired/accounts-listing.ts';
import { readAccounts } from '../reconciler/desired/accounts-ssm.ts';
import type { ServerAddress } from '../reconciler/desired/server-address.ts';
import { parameterName, placeOf } from '../reconciler/desired/server-address.ts';
import type { Issue, Outcome } from '../reconciler/types.ts';
import { withPlace } from './reconcile-address.ts';

/** The accounts known to a run, or why another account's document cannot be reached (a problem of the file, or an SDK error). */
export type RunAccounts = { known: KnownAccounts | undefined; problem?: (address: ServerAddress) => string; error?: unknown };

export async function accountsFromSsm(ssm: SSMClient, name: string): Promise<RunAccounts> {
  let read;
  try {
    read = await readAccounts(ssm, name);
  } catch (error) {
    // Unreadable (AccessDenied, throttled to the end): every other account's document fails; the hub's carry on.
    return { known: undefined, error };
  }
  if (read.status === 'found') return { known: { source: name, accounts: read.accounts } };
  if (read.status === 'not-found')
    return {
      known: undefined,
      problem: (a) =>
        `this document is for ${placeOf(a)}, and the accounts parameter ${name} does not exist: push the accounts file listing ${a.accountId ?? ''} first (docs/accounts.md)`,
    };
  const issues = read.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return {
    known: undefined,
    problem: (a) => `this document is for ${placeOf(a)}, and the accounts parameter ${name} is invalid: ${issues}`,
  };
}

/** undefined when the run may reach the address, else why not. */
export function unreachable(address: ServerAddress, accounts: RunAccounts): string | undefined {
  if (address.accountId === undefined) return undefined;
  if (accounts.known === undefined && accounts.problem) return accounts.problem(address);
  return unlistedProblem(address, accounts.known);
}

/** An invalid document's outcome, made without any AWS call (a bad file, an unreachable account); `where` leads the message. */
export function invalidOutcome(
  address: ServerAddress,
  name: string,
  issues: Issue[],
  options: { warnings?: Outcome['warnings']; where?: string } = {},
): Outcome {
  const text = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return withPlace(
    {
      serverId: address.serverId,
      parameter: { name },
      trigger: 'cli',
      mode: 'detect',
      result: 'invalid',
      changes: [],
      calls: {},
      durationMs: 0,
      warnings: options.warnings ?? [],
      issues,
      error: { code: 'InvalidDesiredState', message: options.where === undefined ? text : `${options.where}: ${text}`, retryable: false },
    },
    address,
  );
}

/** The outcome of a document the run may not reach: invalid, without any AWS call. */
export function unlistedOutcome(address: ServerAddress, name: string | undefined, prefix: string, message: string): Outcome {
  return invalidOutcome(address, name ?? parameterName(prefix, address), [{ path: '$', message }]);
}
