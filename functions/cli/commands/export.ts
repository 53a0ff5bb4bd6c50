// transfer-reconciler export (--server ID... | --all) --out DIR [--format yaml|json] [--force]
// — onboarding: one desired-state document per existing server, written so that `plan --dir DIR`
// right after finds nothing to change. Reads only (DescribeServer, ListHostKeys, EC2
// DescribeVpcEndpoints for VPC servers); writes files, never AWS.
import { createClients, destroyClients } from '../../reconciler/aws/clients.ts';
import { listServerIds } from '../../reconciler/aws/transfer-api.ts';
import { mapLimit } from '../../reconciler/concurrency.ts';
import { showForeignMessage } from '../../reconciler/desired/user-text.ts';
import { conflicts, documentText, ensureDir, exportPath, writeDocument } from '../../reconciler/export/export-files.ts';
import { exportServer } from '../../reconciler/export/exported.ts';
import { hostKeyNoteLine } from '../../reconciler/export/host-key-note.ts';
import { observeForExport } from '../../reconciler/export/observe-for-export.ts';
import type { ExportFormat } from '../../reconciler/export/render.ts';
import { GLOBAL_HELP, UsageError, globalSettings, parse } from '../options.ts';
import { selectionFrom } from '../selection.ts';

const HELP = `usage: transfer-reconciler export (--server ID... | --all) --out DIR [--format yaml|json] [--force]

Writes one desired-state document per existing server, DIR/<ServerId>.yaml (or .json), from
DescribeServer, the VPC endpoint's security groups and the server's host keys: only what differs
from AWS's defaults, "$schema", ServerId, tags without aws:, transfer: and transfer-reconciler:
ones (the custom hostname tags become CustomHostname). Every document passes "validate", and
"plan --dir DIR" right after reports no changes. Reads AWS, never writes to it.
Left out on purpose:
  HostKey/HostKeys  AWS never returns a private key; YAML files carry a comment with the server's
                    key fingerprints and how to reference the key, JSON gets that note on stderr
  State             so that reconciling an exported document never starts or stops a server
  values a document may not hold (text that looks like key material, …): listed on stderr
  --server ID       a server to export (repeatable)
  --all             every server in the account and region (ListServers)
  --out DIR         the folder to write to (created if missing)
  --format F        yaml (default) or json
  --force           overwrite a server's existing file of the same name
  --schema REF      the "$schema" to write (default: the published schema's URL)
exit: 0 every document written; 1 any server not exported (missing, unreadable), an existing
      file without --force, or bad usage (nothing is written when files would be overwritten)

${GLOBAL_HELP}`;

function formatFrom(value: string | undefined): ExportFormat {
  if (value === undefined || value === 'yaml' || value === 'json') return value ?? 'yaml';
  throw new UsageError(`--format must be yaml or json, got "${value}"`);
}

function errorText(err: unknown): string {
  return showForeignMessage(err instanceof Error ? err.message : String(err), 300);
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    server: { type: 'string', multiple: true },
    all: { type: 'boolean' },
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
  const out = values.out;
  if (out === undefined || out === '') throw new UsageError('give --out DIR, the folder to write the documents to');
  const force = values.force === true;
  const settings = globalSettings(values);
  const clients = createClients(settings.aws);
  try {
    const ids = [...new Set('all' in selection ? await listServerIds(clients.transfer) : selection.serverIds)].sort();
    const refused = conflicts(out, ids, format, force);
    if (refused.length > 0) {
      for (const line of refused) console.error(line);
      console.error('nothing was written');
      return 1;
    }
    await ensureDir(out);
    let failed = 0;
    // Each server is observed, exported and written as soon as it is read; the output is in ID order.
    const lines = await mapLimit(ids, settings.concurrency, async (id) => {
      try {
        const observed = await observeForExport(clients, id);
        const exported = exportServer(observed, values.schema === undefined ? {} : { schema: values.schema });
        if (!exported.ok) {
          failed += 1;
          return { out: [], err: exported.issues.map((i) => `${id}: not exported: ${i.path}: ${i.message}`) };
        }
        const path = exportPath(out, id, format);
        await writeDocument(path, documentText(exported, observed, format), force);
        const notes = [...exported.leftOut, ...exported.warnings, ...(format === 'json' ? [hostKeyNoteLine(observed)] : [])];
        return { out: [`wrote ${path}`], err: notes.map((n) => `${id}: ${n}`) };
      } catch (err) {
        failed += 1;
        return { out: [], err: [`${id}: not exported: ${errorText(err)}`] };
      }
    });
    for (const l of lines) {
      for (const line of l.out) console.log(line);
      for (const line of l.err) console.error(line);
    }
    const written = ids.length - failed;
    const summary = ids.length === 0 ? 'no servers found' : `Export: ${written} written, ${failed} not exported.`;
    (failed > 0 ? console.error : console.log)(summary);
    return failed > 0 ? 1 : 0;
  } finally {
    destroyClients(clients);
  }
}
