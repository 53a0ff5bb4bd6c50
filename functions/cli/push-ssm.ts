// The writes of `push`: PutParameter per created or changed document (and for the accounts
// file), DeleteParameters in batches of 10 (the API's limit) for pruned ones. Errors become data so one failure does not
// hide what else was done.
import { DeleteParametersCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { classifyError } from '../reconciler/error-outcome.ts';
import type { AccountsFile } from '../reconciler/desired/accounts-rules.ts';
import { accountsParameterText } from '../reconciler/desired/accounts-rules.ts';
import { readAccountsText } from '../reconciler/desired/accounts-ssm.ts';
import type { PushAction } from '../reconciler/desired/push-plan.ts';
import { tierFor } from '../reconciler/desired/push-plan.ts';
import type { PushResult } from './format/push-text.ts';

const DELETE_BATCH = 10;

function failure(action: PushAction, err: unknown): PushResult {
  const c = classifyError(err);
  return { action, error: { code: c.code, message: c.message } };
}

/** AWS refuses to move an Advanced parameter back to Standard; its listing does not tell the tier. */
function isDowngradeRefusal(err: unknown): boolean {
  const e = err as { name?: string; message?: string };
  return e.name === 'ValidationException' && /advanced/i.test(e.message ?? '') && /standard/i.test(e.message ?? '');
}

export async function putDocument(ssm: SSMClient, action: Extract<PushAction, { kind: 'create' | 'update' }>): Promise<PushResult> {
  const put = (tier: 'Standard' | 'Advanced') =>
    ssm.send(
      new PutParameterCommand({
        Name: action.name,
        Value: action.text,
        Tier: tier,
        ...(action.kind === 'create' ? { Type: 'String' as const } : { Overwrite: true, ...(action.type ? { Type: action.type } : {}) }),
      }),
    );
  try {
    const out = await put(action.tier);
    return { action, ...(out.Version !== undefined ? { version: out.Version } : {}), tier: out.Tier ?? action.tier };
  } catch (err) {
    if (action.kind !== 'update' || action.tier !== 'Standard' || !isDowngradeRefusal(err)) return failure(action, err);
    try {
      const out = await put('Advanced');
      return { action, ...(out.Version !== undefined ? { version: out.Version } : {}), tier: out.Tier ?? 'Advanced' };
    } catch (again) {
      return failure(action, again);
    }
  }
}

export async function deleteDocuments(ssm: SSMClient, actions: Extract<PushAction, { kind: 'delete' }>[]): Promise<PushResult[]> {
  const results: PushResult[] = [];
  for (let i = 0; i < actions.length; i += DELETE_BATCH) {
    const batch = actions.slice(i, i + DELETE_BATCH);
    try {
      // InvalidParameters are names already gone: the wanted end state either way.
      await ssm.send(new DeleteParametersCommand({ Names: batch.map((a) => a.name) }));
      results.push(...batch.map((action) => ({ action })));
    } catch (err) {
      results.push(...batch.map((action) => failure(action, err)));
    }
  }
  return results;
}

/**
 * The accounts file as one parameter (docs/accounts.md), planned like a document: created when
 * missing, updated when its canonical JSON differs, else unchanged. Written before the documents,
 * so a document of a newly listed account never arrives before its account's entry.
 */
export async function pushAccounts(
  ssm: SSMClient,
  name: string,
  accounts: AccountsFile,
  file: string,
  dryRun: boolean,
): Promise<PushResult> {
  const text = accountsParameterText(accounts);
  const where = { serverId: '', name, file };
  let stored;
  try {
    stored = await readAccountsText(ssm, name);
  } catch (err) {
    return failure({ kind: 'unchanged', ...where }, err);
  }
  let action: PushAction;
  if (stored === undefined) action = { kind: 'create', ...where, text, tier: tierFor(text) };
  else if (stored.text === text)
    return { action: { kind: 'unchanged', ...where, ...(stored.version !== undefined ? { version: stored.version } : {}) } };
  else
    action = {
      kind: 'update',
      ...where,
      text,
      tier: tierFor(text, stored.text),
      type: stored.type === 'SecureString' ? undefined : 'String',
      ...(stored.version !== undefined ? { fromVersion: stored.version } : {}),
    };
  return dryRun ? { action } : putDocument(ssm, action);
}
