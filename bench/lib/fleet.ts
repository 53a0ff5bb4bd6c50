// The benchmark's fleet: N servers, each with a desired-state document it matches, and drift made
// behind the reconciler's back on a seeded fraction of them, in mixed fields (security policy,
// banner, logging role, protocol details, S3 options, structured logs, tags). Pure and seeded, so
// every run and every benchmark reconciles the same fleet and the same drift.
import { mulberry32 } from '../../infra/local/faults.ts';

export const PREFIX = '/transfer-reconciler/servers/';
const ACCOUNT = '000000000000';
const POLICIES = [
  'TransferSecurityPolicy-2024-01',
  'TransferSecurityPolicy-2023-05',
  'TransferSecurityPolicy-2025-03',
  'TransferSecurityPolicy-FIPS-2024-01',
];
const TEAMS = ['payments', 'partners', 'logistics', 'hr', 'data'];

export interface Tag {
  Key: string;
  Value: string;
}

export interface FleetServer {
  serverId: string;
  /** CreateServer input (the emulator's createServerWithId): the server as its document says. */
  create: Record<string, unknown>;
  document: Record<string, unknown>;
}

/** The fields a drift touches; all but `Tags` are UpdateServer members. */
export const DRIFT_FIELDS = [
  'SecurityPolicyName',
  'PreAuthenticationLoginBanner',
  'LoggingRole',
  'ProtocolDetails',
  'S3StorageOptions',
  'StructuredLogDestinations',
] as const;
export type DriftField = (typeof DRIFT_FIELDS)[number] | 'Tags';

export interface Drift {
  serverId: string;
  fields: DriftField[];
  /** UpdateServer input made behind the reconciler's back (always at least one field). */
  update: Record<string, unknown>;
  /** TagResource input, when the drift changes a tag the document lists. */
  tags?: Tag[];
}

export function serverIdOf(i: number): string {
  return `s-${i.toString(16).padStart(17, '0')}`;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

export function makeFleet(n: number, seed = 1): FleetServer[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const serverId = serverIdOf(i + 1);
    const team = pick(random, TEAMS);
    const settings: Record<string, unknown> = {
      Protocols: ['SFTP'],
      EndpointType: 'PUBLIC',
      IdentityProviderType: 'SERVICE_MANAGED',
      SecurityPolicyName: pick(random, POLICIES),
      LoggingRole: `arn:aws:iam::${ACCOUNT}:role/transfer-reconciler/logging-${team}`,
      PreAuthenticationLoginBanner: `Example Corp ${team} exchange ${i + 1}. Authorised users only; all activity is logged.`,
      ProtocolDetails: { TlsSessionResumptionMode: 'ENFORCED', SetStatOption: random() < 0.5 ? 'DEFAULT' : 'ENABLE_NO_OP' },
      S3StorageOptions: { DirectoryListingOptimization: random() < 0.5 ? 'ENABLED' : 'DISABLED' },
      StructuredLogDestinations: [`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/transfer/${team}:*`],
    };
    const tags: Tag[] = [
      { Key: 'team', Value: team },
      { Key: 'env', Value: random() < 0.7 ? 'prod' : 'staging' },
      { Key: 'cost-centre', Value: `cc-${1000 + (i % 97)}` },
    ];
    return {
      serverId,
      create: { ...settings, Tags: tags },
      document: { ...settings, State: 'ONLINE', Tags: tags },
    };
  });
}

/** A value different from the document's for one field. */
function drifted(field: (typeof DRIFT_FIELDS)[number], doc: Record<string, unknown>, i: number): unknown {
  switch (field) {
    case 'SecurityPolicyName':
      return 'TransferSecurityPolicy-2018-11';
    case 'PreAuthenticationLoginBanner':
      return `Edited in the console (${i}).`;
    case 'LoggingRole':
      return i % 2 === 0 ? '' : `arn:aws:iam::${ACCOUNT}:role/someone-elses-role`;
    case 'ProtocolDetails':
      return { TlsSessionResumptionMode: 'ENABLED' };
    case 'S3StorageOptions': {
      const now = (doc.S3StorageOptions as { DirectoryListingOptimization: string }).DirectoryListingOptimization;
      return { DirectoryListingOptimization: now === 'ENABLED' ? 'DISABLED' : 'ENABLED' };
    }
    case 'StructuredLogDestinations':
      return [];
  }
}

/**
 * Drift for `round(n × fraction)` servers spread over the fleet: one to three UpdateServer
 * fields each, and on about a third of them a changed tag value as well.
 */
export function makeDrift(fleet: readonly FleetServer[], fraction: number, seed = 2): Drift[] {
  const random = mulberry32(seed);
  const count = Math.round(fleet.length * fraction);
  const step = fleet.length / Math.max(1, count);
  const out: Drift[] = [];
  for (let k = 0; k < count; k++) {
    const server = fleet[Math.floor(k * step)] as FleetServer;
    const fields = [...DRIFT_FIELDS].sort(() => random() - 0.5).slice(0, 1 + Math.floor(random() * 3));
    const update: Record<string, unknown> = { ServerId: server.serverId };
    for (const f of fields) update[f] = drifted(f, server.document, k);
    const drift: Drift = { serverId: server.serverId, fields: [...fields], update };
    if (random() < 1 / 3) {
      drift.fields.push('Tags');
      drift.tags = [{ Key: 'env', Value: 'changed-by-hand' }];
    }
    out.push(drift);
  }
  return out;
}
