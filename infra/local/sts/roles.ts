// The emulator's IAM roles and STS sessions. A role models a spoke stack deployed in its account:
// its ARN, the principals its trust policy names and an optional external id. AssumeRole checks
// the trust (the caller's role ARN, its session ARN or its account's root ARN must be listed) and
// the external id, then issues temporary credentials (ASIA… access key) bound to the role's
// account: requests signed with that key run as the assumed-role session (principals.ts).
import { randomBytes } from 'node:crypto';
import type { CallerIdentity, SessionPrincipal } from '../principals.ts';
import { stsError } from './sts-xml.ts';

export interface RoleDefinition {
  /** arn:aws:iam::<12 digits>:role/[path/]<name> */
  arn: string;
  /** Role ARNs, assumed-role session ARNs or `arn:aws:iam::<account>:root` allowed to assume it. */
  trustedPrincipals: string[];
  /** When set, AssumeRole must pass exactly this ExternalId. */
  externalId?: string;
  /** Longest session (DurationSeconds) this role allows; default 43200 (12 hours). */
  maxSessionDurationSeconds?: number;
}

export interface IssuedSession extends SessionPrincipal {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  roleArn: string;
}

export interface AssumeRoleRequest {
  RoleArn?: string;
  RoleSessionName?: string;
  DurationSeconds?: number;
  ExternalId?: string;
}

const ROLE_ARN = /^arn:aws:iam::([0-9]{12}):role\/((?:[\w+=,.@-]+\/)*([\w+=,.@-]+))$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
export const DEFAULT_SESSION_DURATION_SECONDS = 3600;

/** Checks a role definition (option, in-process call or control request); throws Error naming the problem. */
export function parseRole(value: unknown): RoleDefinition {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('a role must be an object');
  const r = value as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!['arn', 'trustedPrincipals', 'externalId', 'maxSessionDurationSeconds'].includes(key))
      throw new Error(`unknown role member ${key}`);
  }
  if (typeof r.arn !== 'string' || !ROLE_ARN.test(r.arn)) throw new Error('role arn must be arn:aws:iam::<12 digits>:role/<name>');
  if (!Array.isArray(r.trustedPrincipals) || !r.trustedPrincipals.every((p) => typeof p === 'string'))
    throw new Error('trustedPrincipals must be a list of ARNs');
  const out: RoleDefinition = { arn: r.arn, trustedPrincipals: [...(r.trustedPrincipals as string[])] };
  if (r.externalId !== undefined) {
    if (typeof r.externalId !== 'string' || r.externalId.length < 2) throw new Error('externalId must be a string of 2 characters or more');
    out.externalId = r.externalId;
  }
  if (r.maxSessionDurationSeconds !== undefined) {
    const max = r.maxSessionDurationSeconds;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 3600 || max > 43200)
      throw new Error('maxSessionDurationSeconds must be an integer from 3600 to 43200');
    out.maxSessionDurationSeconds = max;
  }
  return out;
}

export class RoleRegistry {
  private readonly roles = new Map<string, RoleDefinition>();
  private readonly sessions = new Map<string, IssuedSession>();
  defaultDurationSeconds: number;
  private readonly now: () => number;

  constructor(defaultDurationSeconds = DEFAULT_SESSION_DURATION_SECONDS, now: () => number = Date.now) {
    this.defaultDurationSeconds = defaultDurationSeconds;
    this.now = now;
  }

  /** Adds or replaces a role (by ARN). */
  add(role: RoleDefinition): RoleDefinition {
    const parsed = parseRole(role);
    this.roles.set(parsed.arn, parsed);
    return structuredClone(parsed);
  }

  remove(arn: string): boolean {
    return this.roles.delete(arn);
  }

  list(): RoleDefinition[] {
    return [...this.roles.values()].map((r) => structuredClone(r));
  }

  /** The session an issued access key belongs to, expired ones included (the fronts refuse those). */
  sessionOf(accessKeyId: string): IssuedSession | undefined {
    return this.sessions.get(accessKeyId);
  }

  /** Makes a session's credentials expire now (tests of credential refresh); false when unknown. */
  expire(accessKeyId: string): boolean {
    const session = this.sessions.get(accessKeyId);
    if (session) session.expiration = new Date(this.now() - 1000);
    return session !== undefined;
  }

  assume(caller: CallerIdentity, req: AssumeRoleRequest): IssuedSession {
    const arn = req.RoleArn;
    const name = req.RoleSessionName;
    if (arn === undefined || arn === '') throw validation("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
    if (name === undefined || name === '')
      throw validation("Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
    if (!SESSION_NAME.test(name))
      throw validation(
        `Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      );
    const duration = req.DurationSeconds ?? this.defaultDurationSeconds;
    if (!Number.isInteger(duration) || duration < 900)
      throw validation(
        `Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
      );
    if (duration > 43200)
      throw validation(
        `Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`,
      );
    const role = this.roles.get(arn);
    const denied = stsError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${arn}`, 403);
    if (role === undefined || !this.trusts(role, caller)) throw denied;
    if (role.externalId !== undefined && req.ExternalId !== role.externalId) throw denied;
    if (duration > (role.maxSessionDurationSeconds ?? 43200))
      throw stsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
    const [, accountId, pathName, roleName] = ROLE_ARN.exec(arn) as RegExpExecArray;
    const issuedAt = new Date(this.now());
    const session: IssuedSession = {
      accountId: accountId as string,
      roleName: roleName as string,
      rolePathName: pathName as string,
      sessionName: name,
      issuedAt,
      roleArn: arn,
      accessKeyId: `ASIA${randomKey(16, UPPER)}`,
      secretAccessKey: randomKey(40, MIXED),
      sessionToken: randomBytes(96).toString('base64'),
      expiration: new Date(issuedAt.getTime() + duration * 1000),
    };
    this.sessions.set(session.accessKeyId, session);
    return session;
  }

  private trusts(role: RoleDefinition, caller: CallerIdentity): boolean {
    const root = `arn:aws:iam::${caller.accountId}:root`;
    return role.trustedPrincipals.some((p) => p === caller.roleArn || p === caller.arn || p === root || p === '*');
  }

  snapshot(): {
    roles: RoleDefinition[];
    sessions: Array<Omit<IssuedSession, 'issuedAt' | 'expiration'> & { issuedAt: string; expiration: string }>;
  } {
    return {
      roles: this.list(),
      sessions: [...this.sessions.values()].map((s) => ({
        ...s,
        issuedAt: (s.issuedAt ?? s.expiration).toISOString(),
        expiration: s.expiration.toISOString(),
      })),
    };
  }

  restore(snapshot: unknown): void {
    const s = (snapshot ?? {}) as { roles?: unknown[]; sessions?: Array<Record<string, unknown>> };
    for (const role of s.roles ?? []) this.add(role as RoleDefinition);
    for (const raw of s.sessions ?? []) {
      const session = { ...raw, issuedAt: new Date(String(raw.issuedAt)), expiration: new Date(String(raw.expiration)) } as IssuedSession;
      if (typeof session.accessKeyId === 'string') this.sessions.set(session.accessKeyId, session);
    }
  }
}

function validation(detail: string): Error {
  return stsError('ValidationError', `1 validation error detected: ${detail}`, 400);
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const MIXED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function randomKey(length: number, alphabet: string): string {
  const bytes = randomBytes(length);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}
