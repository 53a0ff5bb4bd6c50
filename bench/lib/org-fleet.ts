// The organisation the org sweep reconciles (bench/org-sweep.ts): A spoke accounts × R regions,
// S servers in each account-region, every server's document in the hub's SSM under
// `<prefix><AccountId>/<Region>/<ServerId>`, the accounts file listing every account with its role,
// external id and transferCallsPerSecond, and each spoke role trusting the hub's worker role. The
// servers and documents are the benchmark fleet's (fleet.ts: the same settings, the account and
// region of each ARN made the server's own), drifted on a seeded fraction of each account-region
// behind the reconciler's back (back ends only: no call-log entry, no CloudTrail event). Pure and
// seeded apart from `seedOrg`, so every run reconciles the same organisation and the same drift.
import type { Emulator } from '../../infra/local/emulator.ts';
import { RECONCILER_ROLE_ARN } from '../../infra/local/principals.ts';
import type { CallLogEntry } from '../../infra/local/types.ts';
import { DEFAULT_ACCOUNTS_PARAMETER, accountsParameterText } from '../../functions/reconciler/desired/accounts-rules.ts';
import type { AccountsFile } from '../../functions/reconciler/desired/accounts-rules.ts';
import { PREFIX, makeDrift, makeFleet } from './fleet.ts';
import type { Drift, FleetServer } from './fleet.ts';
import { driftCounts } from './quota-math.ts';
import type { DriftCounts } from './quota-math.ts';

export const SPOKE_ROLE = 'transfer-reconciler-spoke';
export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1'] as const;

export interface OrgShape {
  accounts: number;
  regions: number;
  serversPerAccountRegion: number;
  driftFraction: number;
  /** transferCallsPerSecond of every entry (and the emulator's Transfer quota per account-region). */
  transferRate: number;
}

export interface Place {
  account: string;
  region: string;
}

export interface OrgServer extends FleetServer, Place {
  /** The document's parameter name in the hub. */
  name: string;
}

export interface Org {
  shape: OrgShape;
  file: AccountsFile;
  places: Place[];
  servers: OrgServer[];
  drift: Array<Drift & Place>;
  counts: DriftCounts;
}

export const accountIdOf = (i: number): string => String(200_000_000_001 + i);
export const roleOf = (account: string): string => `arn:aws:iam::${account}:role/${SPOKE_ROLE}`;
/** 32 characters, as the spoke stack asks; one per account. */
export const externalIdOf = (account: string): string => `org-sweep-${account}`.padEnd(32, 'x');
export const placeKey = (p: Place): string => `${p.account}/${p.region}`;

/** ServerIds unique across the organisation: the account-region's index and the server's. */
const serverIdOf = (place: number, i: number): string => `s-${(place * 0x10000 + i + 1).toString(16).padStart(17, '0')}`;

/** The fleet's ARNs name the hub (000000000000, us-east-1): make them the server's own. */
function localise<T>(value: T, p: Place): T {
  return JSON.parse(JSON.stringify(value).replaceAll('000000000000', p.account).replaceAll(':us-east-1:', `:${p.region}:`)) as T;
}

export function makeOrg(shape: OrgShape, seed = 1): Org {
  if (shape.regions > REGIONS.length) throw new RangeError(`at most ${REGIONS.length} regions`);
  const regions = REGIONS.slice(0, shape.regions);
  const file: AccountsFile = {
    accounts: Array.from({ length: shape.accounts }, (_, i) => {
      const id = accountIdOf(i);
      return {
        id,
        name: `org-sweep-${i + 1}`,
        role: roleOf(id),
        externalId: externalIdOf(id),
        regions: [...regions],
        transferCallsPerSecond: shape.transferRate,
      };
    }),
  };
  const places = file.accounts.flatMap((a) => regions.map((region) => ({ account: a.id, region })));
  const servers: OrgServer[] = [];
  const drift: Array<Drift & Place> = [];
  places.forEach((p, pi) => {
    const fleet = makeFleet(shape.serversPerAccountRegion, seed + pi).map((s, i) => {
      const serverId = serverIdOf(pi, i);
      return {
        ...p,
        serverId,
        name: `${PREFIX}${p.account}/${p.region}/${serverId}`,
        create: localise(s.create, p),
        document: localise(s.document, p),
      };
    });
    servers.push(...fleet);
    drift.push(...makeDrift(fleet, shape.driftFraction, seed + 10_000 + pi).map((d) => ({ ...d, ...p })));
  });
  return { shape, file, places, servers, drift, counts: driftCounts(servers.length, drift) };
}

/**
 * Into the emulator through its back ends (no HTTP, no call-log entries, no events once the
 * pipeline listens, since it starts afterwards): the spoke roles, each account-region's servers
 * ONLINE as their documents say, then the drift; in the hub's SSM the documents and the accounts file.
 */
export function seedOrg(emu: Emulator, org: Org): void {
  for (const a of org.file.accounts) emu.roles.add({ arn: a.role, trustedPrincipals: [RECONCILER_ROLE_ARN], externalId: a.externalId });
  for (const s of org.servers) {
    const transfer = emu.at(s.account, s.region).transfer;
    transfer.createServerWithId(s.serverId, s.create);
    transfer.forceState(s.serverId, 'ONLINE');
    emu.ssm.handle('PutParameter', { Name: s.name, Type: 'String', Value: JSON.stringify(s.document), Overwrite: true });
  }
  for (const d of org.drift) {
    const transfer = emu.at(d.account, d.region).transfer;
    transfer.handle('UpdateServer', d.update);
    if (d.tags) transfer.handle('TagResource', { Arn: transfer.getServer(d.serverId)?.Arn, Tags: d.tags });
  }
  // 25 accounts are ~5 KB: over a Standard parameter's 4 KB, so Advanced, as `push` chooses (push-ssm.ts).
  const text = accountsParameterText(org.file);
  const tier = Buffer.byteLength(text, 'utf8') > 4096 ? 'Advanced' : 'Standard';
  emu.ssm.handle('PutParameter', { Name: DEFAULT_ACCOUNTS_PARAMETER, Type: 'String', Value: text, Tier: tier, Overwrite: true });
}

const SERVER_IN = /s-[0-9a-f]{17}/;

/**
 * Transfer (and EC2) calls naming a server of the organisation (ServerId, or an ARN holding it)
 * made in another account-region than that server's, and calls signed by a role session of one
 * account made in another: must be none.
 */
export function misplacedCalls(calls: readonly CallLogEntry[], home: ReadonlyMap<string, Place>): CallLogEntry[] {
  return calls.filter((c) => {
    if (c.service !== 'transfer' && c.service !== 'ec2') return false;
    const id = SERVER_IN.exec(c.target ?? '')?.[0];
    const h = id === undefined ? undefined : home.get(id);
    if (h !== undefined && (h.account !== c.account || h.region !== c.region)) return true;
    const sessionAccount = /^arn:aws:sts::(\d{12}):assumed-role\//.exec(c.principal ?? '')?.[1];
    return sessionAccount !== undefined && sessionAccount !== c.account;
  });
}

/** Transfer calls naming no server of the organisation (ListServers, …), which the check above cannot place. */
export function unplacedTransferCalls(calls: readonly CallLogEntry[], home: ReadonlyMap<string, Place>): CallLogEntry[] {
  return calls.filter((c) => c.service === 'transfer' && !home.has(SERVER_IN.exec(c.target ?? '')?.[0] ?? ''));
}

function contains(actual: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted)) return JSON.stringify(actual) === JSON.stringify(wanted);
  if (wanted !== null && typeof wanted === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    return Object.entries(wanted).every(([k, v]) => contains((actual as Record<string, unknown>)[k], v));
  }
  return actual === wanted;
}

/** Servers whose back end now holds what their document says (every field but State; tags as a set). */
export function serversAsDocumented(emu: Emulator, org: Org): number {
  let n = 0;
  for (const s of org.servers) {
    const server = emu.at(s.account, s.region).transfer.getServer(s.serverId);
    if (server === undefined) continue;
    const { State: _state, Tags: tags, ...settings } = s.document;
    const have = new Map(((server.Tags ?? []) as Array<{ Key: string; Value: string }>).map((t) => [t.Key, t.Value]));
    const tagsOk = ((tags ?? []) as Array<{ Key: string; Value: string }>).every((t) => have.get(t.Key) === t.Value);
    if (tagsOk && contains(server, settings)) n++;
  }
  return n;
}
