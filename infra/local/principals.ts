// The caller of a request, from the access key in its SigV4 signature
// (`Authorization: AWS4-HMAC-SHA256 Credential=<AccessKeyId>/<date>/<region>/<service>/aws4_request`).
// Any signature is accepted. The account, as LocalStack does it: a 12-digit access key IS the
// account id; keys the emulator's STS issued (sts/roles.ts) belong to the assumed role's account
// (the sessions' lookup, `sessionOf`, is tried first); any other key is in the default account.
// The access key names a principal through a table of rules, first match wins: the caller's
// `principals` option, then the defaults —
//   `reconciler*` → the worker role  arn:aws:sts::<account>:assumed-role/transfer-reconciler-worker/reconcile
//   `*`           → a person in the console  arn:aws:sts::<account>:assumed-role/Admin/alice
// The region is the signing region of the credential scope (the emulator's default when unsigned).
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
  /** The role the session is of (sessionIssuer.arn): what a role's trust policy names. */
  roleArn: string;
  /** GetCallerIdentity's UserId: `<role id>:<session name>`. */
  userId: string;
  /** CloudTrail's userIdentity for this caller. */
  userIdentity: Record<string, unknown>;
  /** When STS session credentials stop working (none for the emulator's long-term keys). */
  expiresAt?: Date;
}

/** An assumed role session: an issued access key's account, role and session name. */
export interface SessionPrincipal {
  accountId: string;
  roleName: string;
  /** The role's path and name as in its ARN (`role/<path/name>`); defaults to roleName. */
  rolePathName?: string;
  sessionName: string;
  /** When the credentials were issued (CloudTrail's sessionContext.attributes.creationDate). */
  issuedAt?: Date;
  expiration?: Date;
}

const SCOPE = /Credential=([^/,\s]+)\/[^/,\s]+\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** The access key id of a signed request ('' when unsigned). */
export function accessKeyOf(req: IncomingMessage): string {
  const auth = String(req.headers.authorization ?? '');
  const fromHeader = /Credential=([^/,\s]+)\//.exec(auth)?.[1];
  if (fromHeader !== undefined) return fromHeader;
  return queryCredential(req)[0] ?? '';
}

// Every request asks for its signing region and then its service: the last header's match is kept.
let lastAuth: string | undefined;
let lastScope: RegExpExecArray | null = null;

function scopeOf(req: IncomingMessage): RegExpExecArray | null {
  const auth = String(req.headers.authorization ?? '');
  if (auth !== lastAuth) {
    lastScope = SCOPE.exec(auth);
    lastAuth = auth;
  }
  return lastScope;
}

/** The signing region of a request's credential scope (undefined when unsigned). */
export function signingRegionOf(req: IncomingMessage): string | undefined {
  const scope = scopeOf(req);
  if (scope) return scope[2];
  return queryCredential(req)[2];
}

/** The service a request was signed for (`sts`, `ec2`, `transfer`…), undefined when unsigned. */
export function signingServiceOf(req: IncomingMessage): string | undefined {
  const scope = scopeOf(req);
  if (scope) return scope[3];
  return queryCredential(req)[3];
}

function queryCredential(req: IncomingMessage): Array<string | undefined> {
  const query = new URL(req.url ?? '/', 'http://emulator').searchParams.get('X-Amz-Credential');
  return query === null ? [] : query.split('/');
}

/** A 12-digit access key is the account id (LocalStack's convention); anything else is in the default account. */
export function accountFor(accessKeyId: string, defaultAccount: string): string {
  return /^[0-9]{12}$/.test(accessKeyId) ? accessKeyId : defaultAccount;
}

export function matches(rule: PrincipalRule, accessKeyId: string): boolean {
  if (rule.accessKey.endsWith('*')) return accessKeyId.startsWith(rule.accessKey.slice(0, -1));
  return rule.accessKey === accessKeyId;
}

export function resolveCaller(
  accessKeyId: string,
  defaultAccount: string,
  rules: readonly PrincipalRule[] = [],
  sessionOf: (accessKeyId: string) => SessionPrincipal | undefined = () => undefined,
): CallerIdentity {
  const session = sessionOf(accessKeyId);
  if (session) return assumedRole(accessKeyId, session);
  const rule = (rules.find((r) => matches(r, accessKeyId)) ?? DEFAULT_PRINCIPALS.find((r) => matches(r, accessKeyId))) as PrincipalRule;
  return assumedRole(accessKeyId, {
    accountId: accountFor(accessKeyId, defaultAccount),
    roleName: rule.roleName,
    sessionName: rule.sessionName,
  });
}

// Role ids are asked for on every request; a hash each time was a good part of resolving the caller.
const roleIds = new Map<string, string>();
const ROLE_IDS_KEPT = 10_000;

/** A stable role id (AROA + 17 characters), as IAM gives every role one. */
export function roleIdOf(accountId: string, roleName: string): string {
  const key = `${accountId}/${roleName}`;
  let id = roleIds.get(key);
  if (id === undefined) {
    id = `AROA${createHash('sha256').update(key).digest('hex').slice(0, 17).toUpperCase()}`;
    if (roleIds.size >= ROLE_IDS_KEPT) roleIds.clear();
    roleIds.set(key, id);
  }
  return id;
}

export function assumedRole(accessKeyId: string, s: SessionPrincipal): CallerIdentity {
  const { accountId, roleName, sessionName } = s;
  const arn = `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
  const issuer = `arn:aws:iam::${accountId}:role/${s.rolePathName ?? roleName}`;
  const roleId = roleIdOf(accountId, roleName);
  const created = s.issuedAt ?? new Date();
  return {
    ...(s.expiration === undefined ? {} : { expiresAt: s.expiration }),
    accessKeyId,
    accountId,
    arn,
    roleArn: issuer,
    userId: `${roleId}:${sessionName}`,
    userIdentity: {
      type: 'AssumedRole',
      principalId: `${roleId}:${sessionName}`,
      arn,
      accountId,
      accessKeyId,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: roleId, arn: issuer, accountId, userName: roleName },
        attributes: { creationDate: creationDateOf(created), mfaAuthenticated: 'false' },
      },
    },
  };
}

/** Whether the caller signed with STS session credentials that have expired. */
export function isExpired(caller: CallerIdentity, now = Date.now()): boolean {
  return caller.expiresAt !== undefined && caller.expiresAt.getTime() <= now;
}

// Callers without a session were "created" now: the same second's text serves every request in it.
let lastSecond = Number.NaN;
let lastText = '';

/** The time to the second, as CloudTrail prints creationDate: `2024-01-02T03:04:05Z`. */
function creationDateOf(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond) {
    // toISOString always prints three digits of milliseconds (and throws for an invalid date).
    lastText = `${date.toISOString().slice(0, -5)}Z`;
    lastSecond = second;
  }
  return lastText;
}
