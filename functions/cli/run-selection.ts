// Shared by `plan`, `reconcile` and `status`: build the hub's clients, decide which servers
// (selection-work.ts), reach each one's account and region through AccountClients (the account's
// role, assumed with the CLI's own credentials), reconcile them with bounded concurrency and hand
// each outcome to the command's reporter as it is ready. A detect run (plan, status, reconcile
// --mode detect) only reads, so it assumes each account's read-only role (readRole, else role); an
// enforcing reconcile assumes the write role. A document the run may not reach (its
// account or region unlisted) is invalid without any AWS call; a role that cannot be assumed fails
// that account's servers only.
import { createClients, destroyClients } from '../reconciler/aws/clients.ts';
import type { AwsClients } from '../reconciler/aws/clients.ts';
import { countCalls } from '../reconciler/aws/call-count.ts';
import { mapLimit } from '../reconciler/concurrency.ts';
import type { Problem } from '../reconciler/reconcile-many.ts';
import { AccountClients } from '../reconciler/aws/account-clients.ts';
import type { PlaceInfo } from './format/places.ts';
import type { Outcome } from '../reconciler/types.ts';
import { NO_PLACES, isOrgWide } from './format/places.ts';
import { hubPlace } from './hub-place.ts';
import { accountsParameterFrom, globalSettings } from './options.ts';
import type { GlobalSettings } from './options.ts';
import { reconcileAddress } from './reconcile-address.ts';
import { outcomeWithoutReconcile } from '../reconciler/reconcile.ts';
import type { RunAccounts } from './run-accounts.ts';
import { accountsFromSsm, unlistedOutcome, unreachable } from './run-accounts.ts';
import { accountFiltersFrom, serverIdsFrom } from './selection.ts';
import { workFromFiles, workFromSsm } from './selection-work.ts';
import type { Work } from './selection-work.ts';
import { listUnmanaged, unmanagedPlaces } from './unmanaged-servers.ts';
import type { UnmanagedListing } from './unmanaged-servers.ts';

export type { Problem };

/** The CLI's STS session name in every account it reaches (CloudTrail shows it). */
export const CLI_SESSION_NAME = 'transfer-reconciler-cli';

export interface SelectionRun {
  outcomes: Outcome[];
  /** Parameters or files that are not a server's document (bad name). */
  problems: Problem[];
  /** For grouped output: the hub's account and region, the accounts' names. */
  places: PlaceInfo;
  /** With options.listUnmanaged (status --all): the servers without a document, per account-region. */
  unmanaged?: UnmanagedListing;
}

export interface SelectionReporter {
  /** How many servers will be reconciled (known once the documents are listed), and whether they span accounts. */
  start?(total: number, orgWide: boolean): void;
  outcome?(o: Outcome): void;
}

function counted(clients: AwsClients): AwsClients {
  countCalls(clients.transfer);
  countCalls(clients.ssm);
  countCalls(clients.ec2);
  return clients;
}

const addressed = (w: Work): boolean => 'address' in w && w.address.accountId !== undefined;

export async function runSelection(
  values: Record<string, unknown>,
  options: {
    detect: boolean;
    reporter?: SelectionReporter;
    settings?: GlobalSettings;
    decryptHostKeys?: boolean;
    /** Label the hub (GetCallerIdentity) even when no other account's document is selected (status). */
    alwaysPlaces?: boolean;
    /** Also list the servers of the hub and of every listed account-region (ListServers) for those without a document (status --all; not with --dir). */
    listUnmanaged?: boolean;
  },
): Promise<SelectionRun> {
  const settings = options.settings ?? globalSettings(values);
  const dirs = Array.isArray(values.dir) ? (values.dir as string[]) : undefined;
  const filters = accountFiltersFrom(values as { account?: string[] });
  const accountsFile = typeof values.accounts === 'string' ? values.accounts : undefined;
  const hub = counted(createClients(settings.aws));
  let reach: AccountClients | undefined;
  try {
    const gathered = dirs
      ? await workFromFiles(dirs, serverIdsFrom(values as { server?: string[] }), filters, accountsFile)
      : await workFromSsm(values, hub.ssm, settings.prefix, filters);
    const orgWide = gathered.work.some(addressed) || isOrgWide(gathered.work.flatMap((w) => ('outcome' in w ? [w.outcome] : [])));
    let accounts: RunAccounts = { known: gathered.accounts };
    if (!dirs && (gathered.work.some(addressed) || options.listUnmanaged === true))
      accounts = await accountsFromSsm(hub.ssm, accountsParameterFrom(values['accounts-parameter'] as string | undefined, settings.prefix));
    const names = new Map((accounts.known?.accounts.accounts ?? []).flatMap((a) => (a.name ? [[a.id, a.name] as const] : [])));
    const places: PlaceInfo = orgWide || options.alwaysPlaces ? { hub: await hubPlace(settings.aws, hub), names } : NO_PLACES;
    const base = { prefix: settings.prefix, trigger: 'cli' as const, ...(options.detect ? { modeOverride: 'detect' as const } : {}) };
    const work = gathered.work.map((w): Work => {
      if ('outcome' in w) return w;
      if (accounts.error !== undefined && w.address.accountId !== undefined)
        return {
          outcome: outcomeWithoutReconcile(w.address, accounts.error, { ...base, ...(w.document ? { name: w.document.name } : {}) }),
        };
      const why = unreachable(w.address, accounts);
      return why === undefined ? w : { outcome: unlistedOutcome(w.address, w.document?.name, settings.prefix, why) };
    });
    reach = new AccountClients({
      hub,
      settings: settings.aws,
      accounts: accounts.known?.accounts,
      sessionName: CLI_SESSION_NAME,
      access: options.detect ? 'read' : 'write',
      masterCredentials: hub.transfer.config.credentials,
    });
    const clientsFor = reach;
    options.reporter?.start?.(work.length, orgWide);
    const known = work.flatMap((w) => ('outcome' in w ? [w.outcome] : []));
    for (const o of known) options.reporter?.outcome?.(o);
    const deadline = Date.now() + settings.timeoutMs;
    const reconciled = await mapLimit(
      work.flatMap((w) => ('address' in w ? [w] : [])),
      settings.concurrency,
      async (w) => {
        const outcome = await reconcileAddress(w.address, (a) => clientsFor.for(a), w.document, {
          ...base,
          deadline,
          ...(options.decryptHostKeys === false ? { decryptHostKeys: false } : {}),
        });
        options.reporter?.outcome?.(outcome);
        return outcome;
      },
    );
    const outcomes = [...known, ...reconciled];
    if (options.listUnmanaged !== true || dirs) return { outcomes, problems: gathered.problems, places };
    const unmanaged = await listUnmanaged(clientsFor, unmanagedPlaces(accounts.known?.accounts, filters), outcomes, {
      prefix: settings.prefix,
      concurrency: settings.concurrency,
    });
    // The accounts parameter unreadable: the other accounts' places are unknown.
    if (accounts.error !== undefined)
      unmanaged.problems.push({
        name: 'accounts',
        message: `unmanaged servers of other accounts not counted: the accounts parameter could not be read: ${accounts.error instanceof Error ? accounts.error.name : 'Error'}`,
      });
    return { outcomes, problems: gathered.problems, places, unmanaged };
  } finally {
    reach?.destroy();
    destroyClients(hub);
  }
}
