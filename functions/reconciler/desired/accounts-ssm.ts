// The accounts parameter (docs/accounts.md): the accounts file as canonical JSON in one String
// parameter, written by `push`, read by whatever reaches a spoke account. JSON only, so a Lambda
// bundle carries no YAML parser. SDK errors other than "not found" pass through for the caller.
import { GetParameterCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { Issue } from '../types.ts';
import type { AccountsFile } from './accounts-rules.ts';
import { DEFAULT_ACCOUNTS_PARAMETER, validateAccounts } from './accounts-rules.ts';
import { parseJsonText } from './parse-json.ts';

export { DEFAULT_ACCOUNTS_PARAMETER };

export type ReadAccountsResult =
  | { status: 'found'; name: string; accounts: AccountsFile; text: string; version?: number; type: string }
  | { status: 'not-found'; name: string }
  | { status: 'invalid'; name: string; issues: Issue[]; version?: number };

export async function readAccountsText(
  ssm: SSMClient,
  name: string,
): Promise<{ text: string; version?: number; type: string } | undefined> {
  try {
    const { Parameter: p } = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    return { text: p?.Value ?? '', version: p?.Version, type: p?.Type ?? 'String' };
  } catch (err) {
    if (err instanceof ParameterNotFound) return undefined;
    throw err;
  }
}

/** The accounts parameter, validated by the same rules as the file in git. */
export async function readAccounts(ssm: SSMClient, name: string = DEFAULT_ACCOUNTS_PARAMETER): Promise<ReadAccountsResult> {
  const read = await readAccountsText(ssm, name);
  if (read === undefined) return { status: 'not-found', name };
  const parsed = parseJsonText(read.text);
  const checked = parsed.ok ? validateAccounts(parsed.value) : { ok: false as const, issues: parsed.issues };
  if (!checked.ok)
    return { status: 'invalid', name, issues: checked.issues, ...(read.version !== undefined ? { version: read.version } : {}) };
  return {
    status: 'found',
    name,
    accounts: checked.accounts,
    text: read.text,
    type: read.type,
    ...(read.version !== undefined ? { version: read.version } : {}),
  };
}
