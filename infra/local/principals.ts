// The caller of a request, from the access key in its SigV4 signature
// (`Authorization: AWS4-HMAC-SHA256 Credential=<AccessKeyId>/<date>/<region>/<service>/aws4_request`).
// Any signature is accepted; the access key only names a principal, through a table of rules,
// first match wins: the caller's `principals` option, then the defaults —
//   `reconciler*` → the worker role  arn:aws:sts::<account>:assumed-role/transfer-reconciler-worker/reconcile
//   `*`           → a person in the console  arn:aws:sts::<account>:assumed-role/Admin/alice
// The account is the emulator's (issue 14 will take it from 12-digit access keys: `accountFor`).
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const DEFAULT_ACCOUNT_ID = '000000000000';
export const RECONCILER_ROLE_NAME = 'transfer-reconciler-worker';
export const RECONCILER_SESSION_NAME = 'reconcile';

export function roleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/** The worker's role ARN (the CloudTrail events' sessionIssuer.arn) in the emulator's default account. */
export const RECONCILER_ROLE_ARN = roleArn(DEFAULT_ACCOUNT_ID, RECONCILER_ROLE_NAME);

export interface PrincipalRule {
  /** An access key id, or a prefix followed by `*` (`*` alone matches every key, and none). */
  accessKey: string;
  roleName: string;
  sessionName: string;
}

export const DEFAULT_PRINCIPALS: readonly PrincipalRule[] = [
  { accessKey: 'reconciler*', roleName: RECONCILER_ROLE_NAME, sessionName: RECONCILER_SESSION_NAME },
  { accessKey: 'console', roleName: 'Admin', sessionName: 'alice' },
  { accessKey: '*', roleName: 'Admin', sessionName: 'alice' },
];

export interface CallerIdentity {
  accessKeyId: string;
  accountId: string;
  /** The assumed-role session ARN (what the call log records). */
  arn: string;
  /** CloudTrail's userIdentity for this caller. */
  userIdentity: Record<string, unknown>;
}

/** The access key id of a signed request ('' when unsigned). */
export function accessKeyOf(req: IncomingMessage): string {
  const auth = String(req.headers.authorization ?? '');
  const fromHeader = /Credential=([^/,\s]+)\//.exec(auth)?.[1];
  if (fromHeader !== undefined) return fromHeader;
  const query = new URL(req.url ?? '/', 'http://emulator').searchParams.get('X-Amz-Credential');
  return query?.split('/')[0] ?? '';
}

/** Room for issue 14: an account per access key. Today every key is in the emulator's account. */
export function accountFor(_accessKeyId: string, defaultAccount: string): string {
  return defaultAccount;
}

export function matches(rule: PrincipalRule, accessKeyId: string): boolean {
  if (rule.accessKey.endsWith('*')) return accessKeyId.startsWith(rule.accessKey.slice(0, -1));
  return rule.accessKey === accessKeyId;
}

export function resolveCaller(accessKeyId: string, defaultAccount: string, rules: readonly PrincipalRule[] = []): CallerIdentity {
  const rule = [...rules, ...DEFAULT_PRINCIPALS].find((r) => matches(r, accessKeyId)) as PrincipalRule;
  const accountId = accountFor(accessKeyId, defaultAccount);
  const arn = `arn:aws:sts::${accountId}:assumed-role/${rule.roleName}/${rule.sessionName}`;
  // A stable role id (AROA + 17 characters), as IAM gives every role one.
  const roleId = `AROA${createHash('sha256').update(`${accountId}/${rule.roleName}`).digest('hex').slice(0, 17).toUpperCase()}`;
  return {
    accessKeyId,
    accountId,
    arn,
    userIdentity: {
      type: 'AssumedRole',
      principalId: `${roleId}:${rule.sessionName}`,
      arn,
      accountId,
      accessKeyId,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: roleId, arn: roleArn(accountId, rule.roleName), accountId, userName: rule.roleName },
        attributes: { creationDate: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), mfaAuthenticated: 'false' },
      },
    },
  };
}
