// Shared by test/e2e/cli-org*.test.ts: an organisation in the emulator — the hub 000000000000
// (us-east-1) and the spokes 111111111111 and 222222222222 in us-east-1 and eu-west-1 — with one
// server per account-region, created through the SDK signed with the account's 12-digit key (and
// with Debian's AWS CLI for one of them when /usr/bin/aws exists), a spoke role per account that
// trusts the CLI's principal with an external id, and a git-like folder of documents (one drift
// each) with its accounts file. The CLI runs as the person "alice" of the hub (the key "local").
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after } from 'node:test';
import { CreateServerCommand, TransferClient } from '@aws-sdk/client-transfer';
import type { Emulator } from '../../infra/local/emulator.ts';
import type { CallLogEntry } from '../../infra/local/types.ts';
import { emulatorForTests } from '../helpers/emulator.ts';
import { runCli } from '../helpers/cli-process.ts';
import type { CliResult } from '../helpers/cli-process.ts';

export const HUB = '000000000000';
export const A = '111111111111';
export const B = '222222222222';
export const HUB_REGION = 'us-east-1';
/** The principal the CLI signs as (its access key "local" is in the hub account: infra/local/principals.ts). */
export const CLI_PRINCIPAL = `arn:aws:sts::${HUB}:assumed-role/Admin/alice`;
export const EXTERNAL_IDS = { [A]: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', [B]: 'f0e1d2c3b4a5968778695a4b3c2d1e0f' } as const;
export const NAMES = { [A]: 'payments', [B]: 'analytics' } as const;
export const roleOf = (account: string): string => `arn:aws:iam::${account}:role/transfer-reconciler-spoke`;
const AWS_CLI = '/usr/bin/aws';
const execAws = promisify(execFile);

export interface Place {
  /** Absent for the hub. */
  accountId?: string;
  region: string;
  serverId: string;
}

export interface OrgWorld {
  emu: Emulator;
  /** The documents' folder (accounts.yaml, hub documents, <AccountId>/<Region>/<ServerId>.yaml). */
  dir: string;
  places: Place[];
  cli(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
  /** Every account-region's calls since the last mark(). */
  calls(): CallLogEntry[];
  mark(): void;
  tmp(): string;
}

export const accountOf = (p: Place): string => p.accountId ?? HUB;
export const keyOf = (p: Place): string => (p.accountId === undefined ? p.serverId : `${p.accountId}/${p.region}/${p.serverId}`);

async function createWithSdk(emu: Emulator, account: string, region: string): Promise<string> {
  const client = new TransferClient({ endpoint: emu.url, region, credentials: { accessKeyId: account, secretAccessKey: 'x' } });
  try {
    const out = await client.send(new CreateServerCommand({ Protocols: ['SFTP'], IdentityProviderType: 'SERVICE_MANAGED' }));
    return out.ServerId ?? '';
  } finally {
    client.destroy();
  }
}

async function createWithAwsCli(emu: Emulator, account: string, region: string, home: string): Promise<string> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
    AWS_PAGER: '',
    AWS_ACCESS_KEY_ID: account,
    AWS_SECRET_ACCESS_KEY: 'x',
  };
  const args = ['--endpoint-url', emu.url, '--region', region, '--output', 'json', 'transfer', 'create-server', '--protocols', 'SFTP'];
  const { stdout } = await execAws(AWS_CLI, args, { env });
  return (JSON.parse(stdout) as { ServerId: string }).ServerId;
}

export function documentText(p: Place): string {
  return `Protocols: [SFTP]\nTags:\n  - Key: team\n    Value: ${p.accountId === undefined ? 'hub' : `${p.accountId}-${p.region}`}\n`;
}

export function accountsText(): string {
  return [
    'accounts:',
    ...[A, B].flatMap((id) => [
      `  - id: "${id}"`,
      `    name: ${NAMES[id as keyof typeof NAMES]}`,
      `    role: ${roleOf(id)}`,
      `    externalId: ${EXTERNAL_IDS[id as keyof typeof EXTERNAL_IDS]}`,
      '    regions: [us-east-1, eu-west-1]',
    ]),
    '',
  ].join('\n');
}

export function writeDocument(dir: string, p: Place, text = documentText(p)): string {
  const folder = p.accountId === undefined ? dir : join(dir, p.accountId, p.region);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${p.serverId}.yaml`);
  writeFileSync(path, text);
  return path;
}

export async function orgWorld(): Promise<OrgWorld> {
  const emu = await emulatorForTests({ transitionDelayMs: 20 });
  const temps: string[] = [];
  const tmp = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'tr-org-'));
    temps.push(d);
    return d;
  };
  after(() => {
    for (const d of temps) rmSync(d, { recursive: true, force: true });
  });
  const wanted: Array<{ accountId?: string; region: string }> = [
    { region: HUB_REGION },
    { accountId: A, region: 'us-east-1' },
    { accountId: A, region: 'eu-west-1' },
    { accountId: B, region: 'us-east-1' },
    { accountId: B, region: 'eu-west-1' },
  ];
  const home = tmp();
  const places: Place[] = [];
  for (const w of wanted) {
    const account = w.accountId ?? HUB;
    const byAwsCli = w.accountId === B && w.region === 'eu-west-1' && existsSync(AWS_CLI);
    const serverId = byAwsCli ? await createWithAwsCli(emu, account, w.region, home) : await createWithSdk(emu, account, w.region);
    places.push({ ...w, serverId });
  }
  for (const id of [A, B])
    emu.roles.add({ arn: roleOf(id), trustedPrincipals: [CLI_PRINCIPAL], externalId: EXTERNAL_IDS[id as keyof typeof EXTERNAL_IDS] });
  const dir = tmp();
  writeFileSync(join(dir, 'accounts.yaml'), accountsText());
  for (const p of places) writeDocument(dir, p);
  const env = {
    TRANSFER_RECONCILER_ENDPOINT_URL: emu.url,
    NO_COLOR: undefined,
    AWS_PROFILE: undefined,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_REGION: undefined,
    AWS_DEFAULT_REGION: undefined,
  };
  let since = emu.calls.list(0, {}).at(-1)?.seq ?? 0;
  return {
    emu,
    dir,
    places,
    cli: async (args, extra = {}) => {
      const r = await runCli(args, { ...env, ...extra });
      for (const ext of Object.values(EXTERNAL_IDS)) {
        if (`${r.stdout}${r.stderr}`.includes(ext)) throw new Error(`the output holds an external id: ${r.stdout}\n${r.stderr}`);
      }
      return r;
    },
    calls: () => emu.calls.list(since, {}),
    mark: () => {
      since = emu.calls.list(0, {}).at(-1)?.seq ?? since;
    },
    tmp,
  };
}

export const WRITE_OPERATIONS = new Set([
  'UpdateServer',
  'StartServer',
  'StopServer',
  'TagResource',
  'UntagResource',
  'ImportHostKey',
  'UpdateHostKey',
  'DeleteHostKey',
  'ModifyVpcEndpoint',
  'PutParameter',
  'DeleteParameters',
  'DeleteParameter',
  'AddTagsToResource',
  'CreateServer',
]);

/**
 * Calls in the wrong account-region: a Transfer or EC2 call about a server made anywhere but where
 * that server lives, one about no server outside the organisation's places, or an SSM or STS call
 * outside the hub. Empty when every call was where it belongs.
 */
export function misplacedCalls(calls: CallLogEntry[], places: Place[]): string[] {
  const where = new Map(places.map((p) => [p.serverId, `${accountOf(p)}/${p.region}`]));
  return calls.flatMap((c) => {
    const at = `${c.account ?? '?'}/${c.region ?? '?'}`;
    if (c.service === 'ssm' || c.service === 'sts') return at === `${HUB}/${HUB_REGION}` ? [] : [`${c.service} ${c.operation} in ${at}`];
    const serverId = /s-[0-9a-f]{17}/.exec(c.target ?? '')?.[0];
    // A call about no server (export's ListServers) must still be in an account-region of the organisation.
    if (serverId === undefined) return [...where.values()].includes(at) ? [] : [`${c.service} ${c.operation} in ${at}`];
    return where.get(serverId) === at ? [] : [`${c.operation} ${serverId} in ${at}, not ${where.get(serverId) ?? 'anywhere'}`];
  });
}
