// Which servers `plan`, `reconcile` and `status` work on, before any server is read: named ones
// (`--server ID|KEY`), every document under the prefix (`--all`, one recursive listing) or — plan
// and status — every file under `--dir`; then the `--account` filter. Each is an address with its
// document when one was already read, or an outcome known without AWS (an invalid file).
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { KnownAccounts } from '../reconciler/desired/accounts-listing.ts';
import { listDocuments } from '../reconciler/desired/load-ssm.ts';
import { parameterText } from '../reconciler/desired/push-plan.ts';
import type { ServerAddress } from '../reconciler/desired/server-address.ts';
import { parseAddressKey } from '../reconciler/desired/server-address.ts';
import type { Problem } from '../reconciler/reconcile-many.ts';
import type { PreloadedDocument } from '../reconciler/reconcile.ts';
import type { Outcome } from '../reconciler/types.ts';
import { loadLocalDocuments } from './local-documents.ts';
import type { InvalidFile } from './local-documents.ts';
import type { AccountFilter } from './selection.ts';
import { matchesAccount, selectionFrom, selects } from './selection.ts';
import { invalidOutcome } from './run-accounts.ts';

/** One server to reconcile at its address, or an outcome known without AWS. */
export type Work = { address: ServerAddress; document?: PreloadedDocument } | { outcome: Outcome };

export interface Gathered {
  work: Work[];
  problems: Problem[];
  /** `--dir`: the local accounts file, when there is a valid one (SSM runs read the parameter later, if needed). */
  accounts?: KnownAccounts;
}

function invalidFileOutcome(f: InvalidFile & { serverId: string }): Outcome {
  return invalidOutcome(f.address ?? { serverId: f.serverId }, f.path, f.issues, { warnings: f.warnings, where: f.path });
}

/** `--dir`: the documents come from files (source name = the path); nothing is read from SSM for them. */
export async function workFromFiles(
  dirs: string[],
  only: Set<string> | undefined,
  filters: AccountFilter[] | undefined,
  accountsFile: string | undefined,
): Promise<Gathered> {
  const files = await loadLocalDocuments(dirs, accountsFile === undefined ? {} : { accountsFile });
  const problems: Problem[] = [];
  const entries: Array<{ path: string; work: Work }> = [];
  for (const f of files.valid) {
    if (selects(only, filters, f.address))
      entries.push({ path: f.path, work: { address: f.address, document: { name: f.path, text: parameterText(f.raw), origin: 'file' } } });
  }
  for (const f of files.invalid) {
    if (f.serverId === undefined) {
      for (const i of f.issues) problems.push({ name: f.path, message: `${i.path}: ${i.message}` });
    } else if (selects(only, filters, f.address ?? { serverId: f.serverId })) {
      entries.push({ path: f.path, work: { outcome: invalidFileOutcome({ ...f, serverId: f.serverId }) } });
    }
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (files.valid.length + files.invalid.length === 0)
    problems.push({ name: dirs.join(', '), message: 'no documents found (<ServerId>.json, .yaml or .yml)' });
  const accounts = files.accounts?.ok ? { accounts: { source: files.accounts.path, accounts: files.accounts.accounts } } : {};
  return { work: entries.map((e) => e.work), problems, ...accounts };
}

/** `--server ID|KEY...` (each read by the reconcile itself) or `--all` (one listing, every account's documents). */
export async function workFromSsm(
  values: Record<string, unknown>,
  ssm: SSMClient,
  prefix: string,
  filters: AccountFilter[] | undefined,
): Promise<Gathered> {
  const selection = selectionFrom(values as { server?: string[]; all?: boolean });
  if ('serverIds' in selection) {
    const addresses = [...new Set(selection.serverIds)].flatMap((key) => {
      const parsed = parseAddressKey(key);
      return parsed.ok && matchesAccount(filters, parsed.address) ? [parsed.address] : [];
    });
    return { work: addresses.map((address) => ({ address })), problems: [] };
  }
  const listed = await listDocuments(ssm, prefix);
  const work = [...listed.documents, ...(listed.addressed ?? [])].flatMap((d): Work[] => {
    const address = d.address ?? { serverId: d.serverId };
    if (!matchesAccount(filters, address)) return [];
    return [{ address, document: { name: d.name, text: d.text, version: d.version, type: d.type } }];
  });
  return { work, problems: listed.problems };
}
