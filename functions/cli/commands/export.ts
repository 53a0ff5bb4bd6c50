// transfer-reconciler export (--server ID... | --all) --out DIR [--format yaml|json] [--force]
// — onboarding: one desired-state document per existing server, written so that `plan --dir DIR`
// right after finds nothing to change. Reads only (DescribeServer, ListHostKeys, EC2
// DescribeVpcEndpoints for VPC servers); writes files, never AWS. Other accounts' servers are read
// through the account's role (export-targets.ts) into <out>/<AccountId>/<Region>/.
import { AccountClients } from '../../reconciler/aws/account-clients.ts';
import { createClients, destroyClients } from '../../reconciler/aws/clients.ts';
import { listServerIds } from '../../reconciler/aws/transfer-api.ts';
import { mapLimit } from '../../reconciler/concurrency.ts';
import { showForeignMessage } from '../../reconciler/desired/user-text.ts';
import { conflicts, documentText, ensureDir, exportPath, writeDocument } from '../../reconciler/export/export-files.ts';
import { exportServer } from '../../reconciler/export/exported.ts';
import { hostKeyNoteLine } from '../../reconciler/export/host-key-note.ts';
import { observeForExport } from '../../reconciler/export/observe-for-export.ts';
import type { ExportFormat } from '../../reconciler/export/render.ts';
import { exportAccounts, exportPlaces, placeAddress, placeDir } from '../export-targets.ts';
import type { ExportPlace } from '../export-targets.ts';
import { placeKey } from '../format/places.ts';
import { GLOBAL_HELP, UsageError, accountsParameterFrom, globalSettings, parse } from '../options.ts';
import { CLI_SESSION_NAME } from '../run-selection.ts';
import {
  ACCOUNTS_PARAMETER_HELP,
  ACCOUNTS_PARAMETER_OPTION,
  ACCOUNT_HELP,
  ACCOUNT_OPTION,
  accountFiltersFrom,
  selectionFrom,
} from '../selection.ts';

const HELP = `usage: transfer-reconciler export (--server ID... | --all) --out DIR [--format yaml|json] [--force]

Writes one desired-state document per existing server, DIR/<ServerId>.yaml (or .json; another
account's: DIR/<AccountId>/<Region>/<ServerId>.yaml, read through the account's role), from
DescribeServer, the VPC endpoint's security groups and the server's host keys: only what differs
from AWS's defaults, "$schema", ServerId, tags without aws:, transfer: and transfer-reconciler:
ones (the custom hostname tags become CustomHostname). Every document passes "validate", and
"plan --dir DIR" right after reports no changes. Reads AWS, never writes to it.
Left out on purpose:
  HostKey/HostKeys  AWS never returns a private key; YAML files carry a comment with the server's
                    key fingerprints and how to reference the key, JSON gets that note on stderr
  State             so that reconciling an exported document never starts or stops a server
  values a document may not hold (text that looks like key material, …): listed on stderr
  --server ID       a server to export (repeatable); <AccountId>/<Region>/<ServerId> for another account's
  --all             every server in the account and region (ListServers), or in each --account given
                    (the spoke role of infra/aws/spoke may not ListServers: name the servers there)
  --out DIR         the folder to write to (created if missing)
  --format F        yaml (default) or json
  --force           overwrite a server's existing file of the same name
  --schema REF      the "$schema" to write (default: the published schema's URL)
  --accounts FILE   the accounts file (roles, external ids) instead of the accounts parameter
${ACCOUNTS_PARAMETER_HELP}
${ACCOUNT_HELP}
                      (an account id alone: every region the accounts file lists for it)
exit: 0 every document written; 1 any server not exported (missing, unreadable, an account whose
      role cannot be assumed), an account-region the accounts file does not list, an existing
      file without --force, or bad usage (nothing is written when files would be overwritten)

${GLOBAL_HELP}`;

function formatFrom(value: string | undefined): ExportFormat {
  if (value === undefined || value === 'yaml' || value === 'json') return value ?? 'yaml';
  throw new UsageError(`--format must be yaml or json, got "${value}"`);
}

function errorText(err: unknown): string {
  return showForeignMessage(err instanceof Error ? err.message : String(err), 300);
}

type Line = { out: string[]; err: string[]; failed: 0 | 1 };

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    server: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    ...ACCOUNT_OPTION,
    accounts: { type: 'string' },
    ...ACCOUNTS_PARAMETER_OPTION,
    out: { type: 'string' },
    format: { type: 'string' },
    force: { type: 'boolean' },
    schema: { type: 'string' },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`);
  const format = formatFrom(values.format);
  const selection = selectionFrom(values);
  const filters = accountFiltersFrom(values);
  const out = values.out;
  if (out === undefined || out === '') throw new UsageError('give --out DIR, the folder to write the documents to');
  const force = values.force === true;
  const settings = globalSettings(values);
  const hub = createClients(settings.aws);
  let reach: AccountClients | undefined;
  try {
    const { places, accounts } = await exportPlaces(selection, filters, () =>
      exportAccounts(values.accounts, hub.ssm, accountsParameterFrom(values['accounts-parameter'], settings.prefix)),
    );
    // Export only reads (ListServers, DescribeServer, ListHostKeys, DescribeVpcEndpoints): the read-only role.
    const clients = new AccountClients({ hub, settings: settings.aws, accounts, sessionName: CLI_SESSION_NAME, access: 'read' });
    reach = clients;
    const named = (p: ExportPlace, id: string): string => (p.accountId === undefined ? id : `${placeKey(p)}/${id}`);
    // The servers of each place; a place whose role or listing fails is reported and the others carry on.
    const listed = await Promise.all(
      places.map(async (p) => {
        try {
          const ids = p.serverIds ?? (await listServerIds(clients.for(placeAddress(p, '')).transfer));
          return { place: p, ids: [...new Set(ids)].sort() };
        } catch (err) {
          return { place: p, ids: [], error: `${placeKey(p)}: not exported: ${errorText(err)}` };
        }
      }),
    );
    const refused = listed.flatMap((l) => conflicts(placeDir(out, l.place), l.ids, format, force));
    if (refused.length > 0) {
      for (const line of refused) console.error(line);
      console.error('nothing was written');
      return 1;
    }
    const jobs = listed.flatMap((l) => l.ids.map((id) => ({ place: l.place, id })));
    for (const dir of new Set(listed.filter((l) => l.ids.length > 0).map((l) => placeDir(out, l.place)))) await ensureDir(dir);
    // Each server is observed, exported and written as soon as it is read; the output is in place and ID order.
    const lines = await mapLimit(jobs, settings.concurrency, async ({ place, id }): Promise<Line> => {
      const name = named(place, id);
      try {
        const observed = await observeForExport(clients.for(placeAddress(place, id)), id);
        const exported = exportServer(observed, values.schema === undefined ? {} : { schema: values.schema });
        if (!exported.ok) return { out: [], err: exported.issues.map((i) => `${name}: not exported: ${i.path}: ${i.message}`), failed: 1 };
        const path = exportPath(placeDir(out, place), id, format);
        await writeDocument(path, documentText(exported, observed, format), force);
        const notes = [...exported.leftOut, ...exported.warnings, ...(format === 'json' ? [hostKeyNoteLine(observed)] : [])];
        return { out: [`wrote ${path}`], err: notes.map((n) => `${name}: ${n}`), failed: 0 };
      } catch (err) {
        return { out: [], err: [`${name}: not exported: ${errorText(err)}`], failed: 1 };
      }
    });
    const unlisted = listed.flatMap((l) => (l.error === undefined ? [] : [l.error]));
    for (const l of lines) {
      for (const line of l.out) console.log(line);
      for (const line of l.err) console.error(line);
    }
    for (const line of unlisted) console.error(line);
    const written = lines.filter((l) => l.failed === 0).length;
    // A place that could not be listed counts once: its servers are unknown.
    const failed = jobs.length - written + unlisted.length;
    const summary = jobs.length === 0 && failed === 0 ? 'no servers found' : `Export: ${written} written, ${failed} not exported.`;
    (failed > 0 ? console.error : console.log)(summary);
    return failed > 0 ? 1 : 0;
  } finally {
    reach?.destroy();
    destroyClients(hub);
  }
}
