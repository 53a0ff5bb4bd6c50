// The accounts file (accounts.yaml in git, one JSON parameter in SSM): the spoke accounts a hub may
// manage, the role it assumes in each, and the regions it works in (docs/accounts.md). Every rule
// of the file is here; the JSON Schema (accounts-schema.ts) states the same limits from the same
// constants. Never throws: the answer is the accounts or the issues, each with its JSON path.
import { isPlainObject } from '../../shared/model-validate.ts';
import type { Issue } from '../types.ts';
import { PARTITIONS, accountIdProblem, isAccountId, isRegion, partitionOfRegion, regionProblem } from './aws-region.ts';
import { canonicalJson } from './canonical-json.ts';
import { unknownKeyMessage } from './closest-key.ts';
import { TIER_LIMITS } from './rules/size-limit.ts';
import stsJson from '../../shared/aws-models/sts.json' with { type: 'json' };
import { showText } from './user-text.ts';

export interface AccountEntry {
  id: string;
  name?: string;
  role: string;
  /** The read-only role (the spoke template's `<SpokeRoleName>-read`) for the router and the CLI's plan, status and export; absent: they use `role`. */
  readRole?: string;
  externalId: string;
  regions: string[];
  transferCallsPerSecond?: number;
  ssmCallsPerSecond?: number;
}

export interface AccountsFile {
  accounts: AccountEntry[];
}

/** Where `push` stores the accounts file, unless told otherwise (docs/accounts.md). */
export const DEFAULT_ACCOUNTS_PARAMETER = '/transfer-reconciler/accounts';

export type AccountsResult = { ok: true; accounts: AccountsFile } | { ok: false; issues: Issue[] };

/** STS AssumeRole's ExternalId: the STS model's externalIdType, read as data (functions/shared/aws-models/sts.json). */
export const EXTERNAL_ID = externalIdType();
/** IAM role ARN: arn:<partition>:iam::<account>:role/<path><name>, name as IAM's roleNameType. */
export const ROLE_ARN = `^arn:(${PARTITIONS.join('|')}):iam::(\\d{12}):role/((?:[\\x21-\\x7e]*/)?)([\\w+=,.@-]{1,64})$`;
export const NAME_MAX = 64;
export const ROOT_KEYS = ['$schema', 'accounts'] as const;
export const ENTRY_KEYS = [
  'id',
  'name',
  'role',
  'readRole',
  'externalId',
  'regions',
  'transferCallsPerSecond',
  'ssmCallsPerSecond',
] as const;
const REQUIRED = ['id', 'role', 'externalId', 'regions'] as const;

const EXTERNAL_ID_RE = new RegExp(`^${EXTERNAL_ID.pattern}$`);
const ROLE_ARN_RE = new RegExp(ROLE_ARN);

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v);

function roleIssues(role: string, id: string, regions: string[], at: string): Issue[] {
  const m = ROLE_ARN_RE.exec(role);
  if (!m)
    return [
      {
        path: at,
        message: `${showText(role)} is not an IAM role ARN: expected arn:<partition>:iam::<AccountId>:role/<name> (for example arn:aws:iam::${isAccountId(id) ? id : '111111111111'}:role/transfer-reconciler-spoke)`,
      },
    ];
  const [, partition = '', account = ''] = m;
  const out: Issue[] = [];
  if (isAccountId(id) && account !== id)
    out.push({ path: at, message: `the role is in account ${account}, not ${id}: the role assumed must be in the account it manages` });
  const elsewhere = regions.filter((r) => isRegion(r) && partitionOfRegion(r) !== partition);
  if (elsewhere.length > 0)
    out.push({
      path: at,
      message: `the role is in partition ${partition}, but ${elsewhere.join(', ')} ${elsewhere.length === 1 ? 'is' : 'are'} in ${partitionOfRegion(elsewhere[0] ?? '')}: one account entry serves one partition`,
    });
  return out;
}

function externalIdIssues(value: string, at: string): Issue[] {
  // The value is a shared secret of sorts: its length and the rule, never the value itself.
  if (value.length < EXTERNAL_ID.min || value.length > EXTERNAL_ID.max)
    return [{ path: at, message: `the external id has ${value.length} characters; STS allows ${EXTERNAL_ID.min} to ${EXTERNAL_ID.max}` }];
  if (!EXTERNAL_ID_RE.test(value)) {
    const bad = [...value].findIndex((ch) => !EXTERNAL_ID_RE.test(`${ch}${ch}`));
    return [
      {
        path: at,
        message: `the external id has a character STS does not allow at position ${bad + 1}; allowed: letters, digits and _ + = , . @ : / -`,
      },
    ];
  }
  return [];
}

function rateIssues(entry: Record<string, unknown>, key: string, at: string): Issue[] {
  const v = entry[key];
  if (v === undefined) return [];
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
    return [{ path: `${at}.${key}`, message: `must be a number of calls per second greater than 0, not ${showText(String(v))}` }];
  return [];
}

function regionsIssues(value: unknown, at: string): { regions: string[]; issues: Issue[] } {
  if (!Array.isArray(value) || value.length === 0)
    return {
      regions: [],
      issues: [
        {
          path: at,
          message: `must be a non-empty list of regions (like [eu-west-1]), not ${Array.isArray(value) ? 'an empty list' : typeName(value)}`,
        },
      ],
    };
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  value.forEach((r: unknown, i) => {
    const p = `${at}[${i}]`;
    if (typeof r !== 'string') issues.push({ path: p, message: `a region must be a string, not ${typeName(r)}` });
    else if (!isRegion(r)) issues.push({ path: p, message: regionProblem(r) });
    else if (seen.has(r))
      issues.push({ path: p, message: `${r} is listed twice (also ${at}[${seen.get(r) ?? 0}]); list each region once` });
    else seen.set(r, i);
  });
  return { regions: value.filter((r): r is string => typeof r === 'string'), issues };
}

function entryIssues(entry: unknown, at: string): Issue[] {
  if (!isPlainObject(entry))
    return [{ path: at, message: `an account must be a mapping (id, role, externalId, regions), not ${typeName(entry)}` }];
  const out: Issue[] = [];
  for (const key of Object.keys(entry))
    if (!(ENTRY_KEYS as readonly string[]).includes(key))
      out.push({ path: `${at}.${key}`, message: unknownKeyMessage(key, ENTRY_KEYS, 'in an account') });
  for (const key of REQUIRED) if (entry[key] === undefined) out.push({ path: at, message: `${key} is required` });
  const { id, role, readRole, externalId, name } = entry;
  const idText = typeof id === 'string' ? id : '';
  if (typeof id === 'number')
    out.push({
      path: `${at}.id`,
      message: 'the account id must be a string: quote it (id: "111111111111"), or YAML reads it as a number and drops leading zeros',
    });
  else if (id !== undefined && (typeof id !== 'string' || !isAccountId(id)))
    out.push({
      path: `${at}.id`,
      message: typeof id === 'string' ? accountIdProblem(id) : `must be a string of 12 digits, not ${typeName(id)}`,
    });
  if (name !== undefined && (typeof name !== 'string' || name.length === 0 || name.length > NAME_MAX))
    out.push({ path: `${at}.name`, message: `an optional label: a string of 1 to ${NAME_MAX} characters` });
  const regions = regionsIssues(entry.regions, `${at}.regions`);
  if (entry.regions !== undefined) out.push(...regions.issues);
  if (role !== undefined) {
    if (typeof role !== 'string') out.push({ path: `${at}.role`, message: `must be an IAM role ARN string, not ${typeName(role)}` });
    else out.push(...roleIssues(role, idText, regions.regions, `${at}.role`));
  }
  // The read-only role: the same checks (well-formed, in this account, this partition).
  if (readRole !== undefined) {
    if (typeof readRole !== 'string')
      out.push({ path: `${at}.readRole`, message: `must be an IAM role ARN string, not ${typeName(readRole)}` });
    else out.push(...roleIssues(readRole, idText, regions.regions, `${at}.readRole`));
  }
  if (externalId !== undefined) {
    if (typeof externalId !== 'string') out.push({ path: `${at}.externalId`, message: `must be a string, not ${typeName(externalId)}` });
    else out.push(...externalIdIssues(externalId, `${at}.externalId`));
  }
  out.push(...rateIssues(entry, 'transferCallsPerSecond', at), ...rateIssues(entry, 'ssmCallsPerSecond', at));
  return out;
}

/** The value stored in SSM: the file's canonical JSON without `$schema`. */
export function accountsParameterText(accounts: AccountsFile): string {
  return canonicalJson(accounts);
}

export function validateAccounts(raw: unknown): AccountsResult {
  if (!isPlainObject(raw))
    return { ok: false, issues: [{ path: '$', message: `the accounts file must be a mapping with "accounts:", not ${typeName(raw)}` }] };
  const issues: Issue[] = [];
  for (const key of Object.keys(raw))
    if (!(ROOT_KEYS as readonly string[]).includes(key))
      issues.push({ path: `$.${key}`, message: unknownKeyMessage(key, ROOT_KEYS, 'at the top of the accounts file') });
  const list = raw.accounts;
  if (!Array.isArray(list)) {
    issues.push({
      path: '$.accounts',
      message: list === undefined ? 'accounts is required: a list of accounts' : `must be a list of accounts, not ${typeName(list)}`,
    });
    return { ok: false, issues };
  }
  const seen = new Map<string, number>();
  list.forEach((entry: unknown, i) => {
    issues.push(...entryIssues(entry, `$.accounts[${i}]`));
    const id = isPlainObject(entry) && typeof entry.id === 'string' && isAccountId(entry.id) ? entry.id : undefined;
    if (id === undefined) return;
    const first = seen.get(id);
    if (first !== undefined)
      issues.push({
        path: `$.accounts[${i}].id`,
        message: `account ${id} is listed twice (also $.accounts[${first}]); list each account once`,
      });
    else seen.set(id, i);
  });
  if (issues.length > 0) return { ok: false, issues };
  const accounts: AccountsFile = { accounts: structuredClone(list) as AccountEntry[] };
  const size = Buffer.byteLength(accountsParameterText(accounts), 'utf8');
  if (size > TIER_LIMITS.Advanced)
    return {
      ok: false,
      issues: [
        {
          path: '$',
          message: `the accounts file is ${size} bytes as canonical JSON, over the ${TIER_LIMITS.Advanced}-byte limit of an Advanced-tier SSM parameter`,
        },
      ],
    };
  return { ok: true, accounts };
}

function externalIdType(): { min: number; max: number; pattern: string } {
  const shape = (stsJson as { shapes: Record<string, { min?: number; max?: number; pattern?: string }> }).shapes.externalIdType;
  if (shape?.min === undefined || shape.max === undefined || shape.pattern === undefined)
    throw new Error('the STS model extract lacks externalIdType (npm run gen:model)');
  return { min: shape.min, max: shape.max, pattern: shape.pattern };
}
