// A three-account, two-region organisation on one emulator for the accounts tests: the hub
// 000000000000 (us-east-1) and the spokes 111111111111 and 222222222222, their spoke roles trusting
// the hub's worker role with an external id, the accounts file in the hub's SSM, and servers
// created through the SDK with 12-digit keys (a person in that account).
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CreateServerCommand, DescribeServerCommand, TransferClient, UpdateServerCommand } from '@aws-sdk/client-transfer';
import type { Emulator } from '../../infra/local/emulator.ts';
import { RECONCILER_ROLE_ARN } from '../../infra/local/principals.ts';
import { DEFAULT_ACCOUNTS_PARAMETER, accountsParameterText } from '../../functions/reconciler/desired/accounts-rules.ts';
import type { AccountsFile } from '../../functions/reconciler/desired/accounts-rules.ts';
import type { CallLogEntry } from '../../infra/local/types.ts';

export const HUB = '000000000000';
export const A = '111111111111';
export const B = '222222222222';
export const C = '333333333333';
export const US = 'us-east-1';
export const EU = 'eu-west-1';
export const SPOKE_ROLE = 'transfer-reconciler-spoke';
export const EXTERNAL_A = 'a'.repeat(32);
export const EXTERNAL_B = 'b'.repeat(32);
export const roleOf = (account: string): string => `arn:aws:iam::${account}:role/${SPOKE_ROLE}`;

export interface Place {
  account: string;
  region: string;
}

export function accountsFile(): AccountsFile {
  return {
    accounts: [
      { id: A, name: 'payments', role: roleOf(A), externalId: EXTERNAL_A, regions: [US, EU] },
      { id: B, name: 'logistics', role: roleOf(B), externalId: EXTERNAL_B, regions: [EU], transferCallsPerSecond: 100 },
    ],
  };
}

export interface Org {
  emu: Emulator;
  ssm: SSMClient;
  /** A person's Transfer client in that account-region (12-digit key). */
  transferIn(place: Place): TransferClient;
  createServer(place: Place): Promise<string>;
  describe(place: Place, id: string): Promise<{ SecurityPolicyName?: string }>;
  update(place: Place, id: string, policy: string): Promise<void>;
  putDocument(name: string, document: unknown): Promise<void>;
}

/** Registers the spoke roles (B's with `externalIdOfB` as the role expects it) and writes the accounts file. */
export async function organisation(emu: Emulator, opts: { externalIdOfB?: string } = {}): Promise<Org> {
  emu.roles.add({ arn: roleOf(A), trustedPrincipals: [RECONCILER_ROLE_ARN], externalId: EXTERNAL_A });
  emu.roles.add({ arn: roleOf(B), trustedPrincipals: [RECONCILER_ROLE_ARN], externalId: opts.externalIdOfB ?? EXTERNAL_B });
  const ssm = new SSMClient({ endpoint: emu.url, region: US, credentials: { accessKeyId: 'test', secretAccessKey: 'x' } });
  after(() => ssm.destroy());
  const clients = new Map<string, TransferClient>();
  const transferIn = (p: Place): TransferClient => {
    const key = `${p.account}/${p.region}`;
    let c = clients.get(key);
    if (c === undefined) {
      c = new TransferClient({ endpoint: emu.url, region: p.region, credentials: { accessKeyId: p.account, secretAccessKey: 'x' } });
      const made = c;
      after(() => made.destroy());
      clients.set(key, c);
    }
    return c;
  };
  const putDocument = async (name: string, document: unknown): Promise<void> => {
    const value = typeof document === 'string' ? document : JSON.stringify(document);
    await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }));
  };
  await putDocument(DEFAULT_ACCOUNTS_PARAMETER, accountsParameterText(accountsFile()));
  return {
    emu,
    ssm,
    transferIn,
    putDocument,
    createServer: async (p) => {
      const { ServerId } = await transferIn(p).send(new CreateServerCommand({}));
      assert.ok(ServerId);
      emu.at(p.account, p.region).transfer.forceState(ServerId, 'ONLINE');
      return ServerId;
    },
    describe: async (p, id) => (await transferIn(p).send(new DescribeServerCommand({ ServerId: id }))).Server ?? {},
    update: async (p, id, policy) => {
      await transferIn(p).send(new UpdateServerCommand({ ServerId: id, SecurityPolicyName: policy }));
    },
  };
}

/**
 * Transfer and EC2 calls naming one of `servers` made anywhere but in that server's account-region
 * (by call target), and calls signed by the worker's sessions made outside the account named in
 * their session ARN: a document of account A must never cause a call signed for account B.
 */
export function misplacedCalls(calls: readonly CallLogEntry[], servers: ReadonlyMap<string, Place>): CallLogEntry[] {
  return calls.filter((c) => {
    if (c.service !== 'transfer' && c.service !== 'ec2') return false;
    const home = c.target === undefined ? undefined : servers.get(c.target);
    if (home !== undefined && (home.account !== c.account || home.region !== c.region)) return true;
    const sessionAccount = /^arn:aws:sts::(\d{12}):assumed-role\//.exec(c.principal ?? '')?.[1];
    return sessionAccount !== undefined && sessionAccount !== c.account;
  });
}
