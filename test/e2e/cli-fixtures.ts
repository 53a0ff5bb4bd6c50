// Shared by the test/e2e/cli-*.test.ts files: an emulator holding the servers that examples/
// describes (created with the example IDs, a little behind their documents), a host key with
// recorded material in the SecureString that s-0000000000000000a's document names, and a CLI
// runner that fails at once if any output line holds that key.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { hostKeySecret } from '../../functions/reconciler/desired/host-key-secret.ts';
import { fingerprintTags } from '../../functions/reconciler/desired/recorded-fingerprint.ts';
import type { Emulator } from '../../infra/local/emulator.ts';
import type { CallLogEntry } from '../../infra/local/types.ts';
import { emulatorForTests } from '../helpers/emulator.ts';
import { runCli } from '../helpers/cli-process.ts';
import type { CliResult } from '../helpers/cli-process.ts';
import { assertNoKeyMaterial, markedHostKey } from '../helpers/secrets.ts';

export const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
export const VALID_EXAMPLES = join(EXAMPLES, 'servers');
export const HOST_KEY_PARAMETER = '/transfer-reconciler/host-keys/s-0000000000000000a';
export const IDS = {
  lambdaSftp: 's-0000000000000000a',
  ftpsVpc: 's-0000000000000000b',
  as2: 's-0000000000000000c',
  plainSftp: 's-0000000000000000d',
  invalid: 's-0000000000000000e',
  dualstack: 's-0000000000000000f',
} as const;

const VPC = { VpcId: 'vpc-0a1b2c3d4e5f60001', SubnetIds: ['subnet-0a1b2c3d4e5f60011'] };

export interface CliWorld {
  emu: Emulator;
  hostKey: string;
  /** Runs the CLI against the emulator; throws if stdout or stderr holds a line of the host key. */
  cli(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
  /** Emulator calls since the last mark(). */
  calls(): CallLogEntry[];
  mark(): void;
  /** A private copy of examples/servers to change. */
  copyOfExamples(): string;
}

export async function cliWorld(): Promise<CliWorld> {
  const emu = await emulatorForTests({ transitionDelayMs: 30 });
  const hostKey = markedHostKey('ed25519');
  const t = emu.transfer;
  t.createServerWithId(IDS.lambdaSftp, {
    Protocols: ['SFTP'],
    EndpointType: 'PUBLIC',
    IdentityProviderType: 'SERVICE_MANAGED',
    HostKey: hostKey,
  });
  t.createServerWithId(IDS.ftpsVpc, {
    Protocols: ['SFTP', 'FTPS'],
    Certificate: 'arn:aws:acm:us-east-1:000000000000:certificate/4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
    EndpointType: 'VPC',
    EndpointDetails: VPC,
    IdentityProviderType: 'API_GATEWAY',
    IdentityProviderDetails: {
      Url: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod',
      InvocationRole: 'arn:aws:iam::000000000000:role/transfer-reconciler/transfer-idp-invoke',
    },
  });
  t.createServerWithId(IDS.as2, { Protocols: ['AS2'], EndpointType: 'VPC', EndpointDetails: VPC, Domain: 'S3' });
  t.createServerWithId(IDS.plainSftp, { Protocols: ['SFTP'] });
  t.createServerWithId(IDS.invalid, { Protocols: ['SFTP'] });
  t.createServerWithId(IDS.dualstack, { Protocols: ['SFTP'] });
  await emu.ssm.handle('PutParameter', { Name: HOST_KEY_PARAMETER, Type: 'SecureString', Value: hostKey });
  // As `push` leaves it: the key's fingerprint recorded on its parameter, so `plan` compares it without decrypting.
  const Tags = fingerprintTags(hostKeySecret(hostKey), 1);
  await emu.ssm.handle('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: HOST_KEY_PARAMETER, Tags });
  const env = { TRANSFER_RECONCILER_ENDPOINT_URL: emu.url, NO_COLOR: undefined, AWS_PROFILE: undefined, AWS_ACCESS_KEY_ID: undefined };
  let since = emu.calls.list().at(-1)?.seq ?? 0;
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return {
    emu,
    hostKey,
    cli: async (args, extra = {}) => {
      const r = await runCli(args, { ...env, ...extra });
      assertNoKeyMaterial(`${r.stdout}\n${r.stderr}`, hostKey);
      return r;
    },
    calls: () => emu.calls.list(since),
    mark: () => {
      since = emu.calls.list().at(-1)?.seq ?? since;
    },
    copyOfExamples: () => {
      const dir = mkdtempSync(join(tmpdir(), 'tr-examples-'));
      dirs.push(dir);
      cpSync(VALID_EXAMPLES, dir, { recursive: true });
      return dir;
    },
  };
}

export function operations(calls: CallLogEntry[]): string[] {
  return calls.map((c) => c.operation);
}

export function ndjson(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
