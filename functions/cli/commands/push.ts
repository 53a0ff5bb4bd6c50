// transfer-reconciler push <file|dir>... [--dry-run] [--prune] [--json] — GitOps: the files in git
// become the parameters under the prefix. Every document is validated first; if any is invalid
// nothing is written. Only parameters whose canonical JSON differs are written. The accounts file
// (docs/accounts.md), when there is one, is checked with them and pushed first as one parameter.
import { createClients } from '../../reconciler/aws/clients.ts';
import { classifyError } from '../../reconciler/error-outcome.ts';
import { DEFAULT_ACCOUNTS_PARAMETER } from '../../reconciler/desired/accounts-rules.ts';
import { listDocuments } from '../../reconciler/desired/load-ssm.ts';
import { planPush } from '../../reconciler/desired/push-plan.ts';
import type { PushAction } from '../../reconciler/desired/push-plan.ts';
import { paintFor } from '../format/colour.ts';
import { pushCounts, pushLine, pushSummaryLine } from '../format/push-text.ts';
import type { PushResult } from '../format/push-text.ts';
import { loadLocalDocuments } from '../local-documents.ts';
import { GLOBAL_HELP, UsageError, accountsParameterFrom, globalSettings, parse } from '../options.ts';
import { deleteDocuments, pushAccounts, putDocument } from '../push-ssm.ts';
import { ACCOUNT_HELP, accountFiltersFrom, matchesAccount } from '../selection.ts';
import { fingerprintLine, hostKeyParameters, recordFingerprints } from '../record-fingerprints.ts';
import type { FingerprintRecord } from '../record-fingerprints.ts';

const HELP = `usage: transfer-reconciler push <file|dir>... [--dry-run] [--prune] [--fingerprints-only] [--accounts FILE] [--account A]... [--json]

Writes desired-state files (<ServerId>.json, .yaml or .yml; folders are searched) to SSM
Parameter Store as <prefix><ServerId>, and <AccountId>/<Region>/<ServerId>.yaml as
<prefix><AccountId>/<Region>/<ServerId>. The accounts file (accounts.yaml next to or above the
documents, up to the git root, or --accounts FILE) must list those accounts and regions; it is
written first, as the JSON parameter --accounts-parameter, when it changed. Every document and
the accounts file are validated first: if any is invalid, each problem is printed as
<file>: <json-path>: <message> and nothing is written.
A parameter is written only when the document's canonical JSON (keys sorted, no whitespace,
without "$schema") differs from its value: type String (an existing SecureString stays one),
tier Standard up to 4096 bytes, else Advanced (an Advanced parameter stays Advanced).
Prints "+ created", "~ updated", "= unchanged" (and "- deleted") per parameter, then a summary.
Then, for every host key the documents name, records the key's fingerprint as tags on its
parameter (read with decryption, only when not yet recorded for its current version), so that
\`plan\` compares host keys without kms:Decrypt: "# fingerprint recorded <parameter> vN (SHA256:…)".
  --dry-run   read SSM and say what would be written or deleted; write nothing
  --prune     also delete parameters under the prefix whose file is gone (listed before
              they are deleted; parameters whose name is not <prefix><ServerId> are never touched).
              The paths given are taken as ALL the documents of the prefix: push a subset with
              --prune and the others' documents are deleted. Try --dry-run --prune first.
  --fingerprints-only  record the host keys' fingerprints only; no document is listed or
              written (run it after storing a new key, so a pull request's plan can compare it)
  --accounts FILE  the accounts file to use instead of looking for one
  --accounts-parameter NAME  where the accounts file is stored (default ${DEFAULT_ACCOUNTS_PARAMETER});
              env TRANSFER_RECONCILER_ACCOUNTS_PARAMETER
${ACCOUNT_HELP}
              (with --prune, only parameters of the selected accounts are deleted)
  --json      one JSON object on stdout: {ok, dryRun, prefix, invalid, accounts, actions, summary, fingerprints}
exit: 0 everything written (or, with --dry-run, planned); 1 an invalid document, no documents
      found, an AWS error (a fingerprint that could not be written included), or bad usage

${GLOBAL_HELP}`;

interface JsonAction {
  action: PushAction['kind'];
  serverId: string;
  accountId?: string;
  region?: string;
  parameter: string;
  file?: string;
  tier?: string;
  version?: number;
  error?: { code: string; message: string };
}

/** The accounts parameter's line: a JsonAction without a server. */
function jsonAccounts(r: PushResult): Omit<JsonAction, 'serverId'> {
  const { serverId: _none, ...rest } = jsonAction(r);
  return rest;
}

function jsonAction(r: PushResult): JsonAction {
  const a = r.action;
  const tier = r.tier ?? (a.kind === 'create' || a.kind === 'update' ? a.tier : undefined);
  return {
    action: a.kind,
    serverId: a.serverId,
    ...(a.address?.accountId !== undefined ? { accountId: a.address.accountId, region: a.address.region } : {}),
    parameter: a.name,
    ...('file' in a ? { file: a.file } : {}),
    ...(tier ? { tier } : {}),
    ...(r.version !== undefined ? { version: r.version } : a.kind === 'unchanged' && a.version !== undefined ? { version: a.version } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    'dry-run': { type: 'boolean' },
    prune: { type: 'boolean' },
    json: { type: 'boolean' },
    'fingerprints-only': { type: 'boolean' },
    accounts: { type: 'string' },
    'accounts-parameter': { type: 'string' },
    account: { type: 'string', multiple: true },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('give at least one file or folder to push');
  const settings = globalSettings(values);
  const accountsParameter = accountsParameterFrom(values['accounts-parameter'], settings.prefix);
  const filters = accountFiltersFrom(values);
  const dryRun = values['dry-run'] === true;
  const prune = values.prune === true;
  const json = values.json === true;
  const p = paintFor(process.stdout);
  const emit = (out: Record<string, unknown>): void => {
    process.stdout.write(`${JSON.stringify(out)}\n`);
  };
  const base = { dryRun, prefix: settings.prefix };

  const loaded = await loadLocalDocuments(positionals, values.accounts === undefined ? {} : { accountsFile: values.accounts });
  const files = { ...loaded, valid: loaded.valid.filter((f) => matchesAccount(filters, f.address)) };
  if (files.invalid.length > 0) {
    const invalid = files.invalid.flatMap((f) => f.issues.map((i) => ({ file: f.path, path: i.path, message: i.message })));
    if (json) emit({ ok: false, ...base, invalid, actions: [] });
    else {
      for (const i of invalid) console.error(`${i.file}: ${i.path}: ${i.message}`);
      console.error(`${files.invalid.length} invalid document${files.invalid.length === 1 ? '' : 's'}; nothing was written.`);
    }
    return 1;
  }
  // An accounts file alone may be pushed, but never pruned against: that would delete every document.
  if (files.valid.length === 0 && (prune || filters !== undefined || !files.accounts?.ok)) {
    if (json) emit({ ok: false, ...base, invalid: [], actions: [], error: 'no documents found' });
    else console.error(`no documents found in ${positionals.join(', ')} (<ServerId>.json, .yaml or .yml); nothing was written.`);
    return 1;
  }
  if (!json) for (const f of files.valid) for (const w of f.warnings) console.error(`${f.path}: warning: ${w}`);

  const clients = createClients(settings.aws);
  // Host-key fingerprints, for plan without kms:Decrypt (record-fingerprints.ts).
  const fingerprints = async (): Promise<FingerprintRecord[]> => {
    const records = await recordFingerprints(clients.ssm, hostKeyParameters(files.valid.map((f) => f.raw)), dryRun);
    if (!json)
      for (const line of records.map(fingerprintLine)) if (line) (line.stream === 'stdout' ? console.log : console.error)(line.text);
    return records;
  };
  const recordedOk = (records: FingerprintRecord[]): boolean => !records.some((r) => r.action === 'failed');
  try {
    if (values['fingerprints-only'] === true) {
      const records = await fingerprints();
      if (json) emit({ ok: recordedOk(records), ...base, invalid: [], actions: [], fingerprints: records });
      return recordedOk(records) ? 0 : 1;
    }
    let listed;
    try {
      listed = await listDocuments(clients.ssm, settings.prefix);
    } catch (err) {
      const c = classifyError(err);
      if (json) emit({ ok: false, ...base, invalid: [], actions: [], error: `${c.code}: ${c.message}` });
      else console.error(`cannot list ${settings.prefix}: ${c.code}: ${c.message}; nothing was written.`);
      return 1;
    }
    if (!json) for (const pr of listed.problems) console.error(`${pr.name}: ignored: ${pr.message}`);
    let accounts: PushResult | undefined;
    if (files.accounts?.ok) {
      accounts = await pushAccounts(clients.ssm, accountsParameter, files.accounts.accounts, files.accounts.path, dryRun);
      if (!json) console.log(pushLine(accounts, dryRun, p));
      if (accounts.error) {
        if (json) emit({ ok: false, ...base, invalid: [], accounts: jsonAccounts(accounts), actions: [] });
        else console.error('the accounts file was not written; no document was written either.');
        return 1;
      }
    }
    const stored = [...listed.documents, ...(listed.addressed ?? [])].filter((d) =>
      matchesAccount(filters, d.address ?? { serverId: d.serverId }),
    );
    const actions = planPush(
      files.valid.map((f) => ({ serverId: f.serverId, address: f.address, file: f.path, raw: f.raw })),
      stored,
      { prefix: settings.prefix, prune },
    );
    const results: PushResult[] = [];
    const show = (r: PushResult): void => {
      results.push(r);
      if (!json) console.log(pushLine(r, dryRun, p));
    };
    for (const a of actions) {
      if (a.kind === 'delete') continue;
      if (a.kind === 'unchanged' || dryRun) show({ action: a });
      else show(await putDocument(clients.ssm, a));
    }
    const deletes = actions.filter((a): a is Extract<PushAction, { kind: 'delete' }> => a.kind === 'delete');
    const writeFailed = results.some((r) => r.error);
    if (deletes.length > 0) {
      if (!json) {
        const what = dryRun ? 'would delete' : writeFailed ? 'will NOT delete (a write above failed)' : 'deleting';
        console.log(
          `--prune: ${deletes.length} parameter${deletes.length === 1 ? '' : 's'} under ${settings.prefix} with no file; ${what}:`,
        );
        for (const d of deletes) console.log(`    ${d.name}`);
      }
      // Deleting while the writes did not all succeed could remove a document its file still holds.
      if (dryRun) for (const d of deletes) show({ action: d });
      else if (!writeFailed) for (const r of await deleteDocuments(clients.ssm, deletes)) show(r);
    }
    const records = await fingerprints();
    const ok = !results.some((r) => r.error) && recordedOk(records);
    const accountsJson = accounts ? { accounts: jsonAccounts(accounts) } : {};
    if (json)
      emit({
        ok,
        ...base,
        invalid: [],
        ...accountsJson,
        actions: results.map(jsonAction),
        summary: pushCounts(results),
        fingerprints: records,
      });
    else console.log(p.bold(pushSummaryLine(results, dryRun, prune)));
    return ok ? 0 : 1;
  } finally {
    clients.ssm.destroy();
    clients.transfer.destroy();
    clients.ec2.destroy();
  }
}
