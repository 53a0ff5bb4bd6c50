// The demo's world: the local emulator holding the servers that examples/ describes, as they
// might look after years of console edits, with the deployed pipeline running inside it (the
// local pipeline runner: EventBridge rules → router → SQS FIFO queue → worker, the enumerator on
// demand), and clients signed as a person — what someone "in the console" would use.
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ListServersCommand, TransferClient } from '@aws-sdk/client-transfer';
import { clientConfig } from '../../functions/reconciler/aws/clients.ts';
import type { AwsClients } from '../../functions/reconciler/aws/clients.ts';
import { generateHostKey } from '../../functions/shared/ssh-key.ts';
import { hostKeySecret } from '../../functions/reconciler/desired/host-key-secret.ts';
import { fingerprintTags } from '../../functions/reconciler/desired/recorded-fingerprint.ts';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { startEmulator } from '../../infra/local/emulator.ts';
import type { Emulator } from '../../infra/local/emulator.ts';
import { startPipeline } from '../../infra/local/pipeline/runner.ts';
import type { PipelineRunner } from '../../infra/local/pipeline/runner.ts';

export const HOST_KEY_PARAMETER = '/transfer-reconciler/host-keys/s-0000000000000000a';
const VPC = { VpcId: 'vpc-0a1b2c3d4e5f60001', SubnetIds: ['subnet-0a1b2c3d4e5f60011', 'subnet-0a1b2c3d4e5f60012'] };

/** The servers as they are before anyone wrote them down: each a little off its document. */
function seedServers(emu: Emulator, hostKey: string): void {
  const t = emu.transfer;
  t.createServerWithId('s-0000000000000000a', {
    Protocols: ['SFTP'],
    IdentityProviderType: 'AWS_LAMBDA',
    HostKey: hostKey,
    IdentityProviderDetails: { Function: 'arn:aws:lambda:us-east-1:000000000000:function:partner-sftp-auth' },
    Tags: [{ Key: 'team', Value: 'partner-integrations' }],
  });
  t.createServerWithId('s-0000000000000000b', {
    Protocols: ['SFTP', 'FTPS'],
    Certificate: 'arn:aws:acm:us-east-1:000000000000:certificate/4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
    EndpointType: 'VPC',
    EndpointDetails: VPC,
    IdentityProviderType: 'API_GATEWAY',
    IdentityProviderDetails: {
      Url: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod',
      InvocationRole: 'arn:aws:iam::000000000000:role/transfer-reconciler/transfer-idp-invoke',
    },
    SecurityPolicyName: 'TransferSecurityPolicy-2020-06',
  });
  t.createServerWithId('s-0000000000000000c', {
    Protocols: ['AS2'],
    EndpointType: 'VPC',
    EndpointDetails: { VpcId: VPC.VpcId, SubnetIds: [VPC.SubnetIds[0]] },
    Domain: 'S3',
  });
  t.createServerWithId('s-0000000000000000d', {
    Protocols: ['SFTP'],
    SecurityPolicyName: 'TransferSecurityPolicy-2024-01',
    PreAuthenticationLoginBanner: 'Example Corp internal SFTP.\nUnauthorised access is prohibited.',
    S3StorageOptions: { DirectoryListingOptimization: 'ENABLED' },
    Tags: [
      { Key: 'team', Value: 'platform' },
      { Key: 'env', Value: 'staging' },
    ],
  });
  t.createServerWithId('s-0000000000000000e', { Protocols: ['SFTP'] });
  t.createServerWithId('s-0000000000000000f', {
    Protocols: ['SFTP'],
    SecurityPolicyName: 'TransferSecurityPolicy-2024-01',
    Tags: [
      { Key: 'team', Value: 'platform' },
      { Key: 'env', Value: 'prod' },
    ],
  });
}

export interface World {
  emu: Emulator;
  pipeline: PipelineRunner;
  /** Clients signed with a person's access key (the emulator names it arn:…:assumed-role/Admin/alice). */
  clients: AwsClients;
  /** Outcomes logged by the workers and the enumerator, in order. */
  outcomes: Outcome[];
  /** Resolves once every event so far has been routed, the queue is empty and no worker is running. */
  settled(): Promise<void>;
  /** Resolves once every server is ONLINE (they are created STARTING). */
  allOnline(): Promise<void>;
  /** Runs the enumerator once (hourly in AWS) and waits for the workers. */
  enumerate(): Promise<void>;
  close(): Promise<void>;
}

/** Any access key not starting "reconciler" is a person in the emulator (infra/local/principals.ts). */
const PERSON = { accessKeyId: 'AKIADEMOPERSON', secretAccessKey: 'demo' };

export async function createWorld(port = 0): Promise<World> {
  const emu = await startEmulator({ port, transitionDelayMs: 400 });
  const hostKey = generateHostKey('ed25519');
  await emu.ssm.handle('PutParameter', { Name: HOST_KEY_PARAMETER, Type: 'SecureString', Value: hostKey });
  // As `push` leaves it: the key's fingerprint recorded on its parameter, so `plan` compares it without decrypting.
  const Tags = fingerprintTags(hostKeySecret(hostKey), 1);
  await emu.ssm.handle('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: HOST_KEY_PARAMETER, Tags });
  seedServers(emu, hostKey);

  const outcomes: Outcome[] = [];
  // Started after the seed: the seed's own writes are not the story's. The enumerator runs hourly (or by enumerate()).
  // The emulator has no quota: 40 calls/s shared by the 4 workers paces each at 10/s.
  const pipeline = await startPipeline(emu, {
    env: { TRANSFER_CALLS_PER_SECOND: '40', SSM_CALLS_PER_SECOND: '80' },
    onOutcome: (o) => outcomes.push(o),
  });
  const c = { ...clientConfig({ endpointUrl: emu.url, region: emu.region }), credentials: PERSON };
  const clients: AwsClients = { transfer: new TransferClient(c), ssm: new SSMClient(c), ec2: new EC2Client(c) };

  return {
    emu,
    pipeline,
    clients,
    outcomes,
    async allOnline() {
      for (;;) {
        const { Servers = [] } = await clients.transfer.send(new ListServersCommand({}));
        if (Servers.every((s) => s.State === 'ONLINE')) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    settled: () => pipeline.settled(),
    async enumerate() {
      await pipeline.enumerate();
      await pipeline.settled();
    },
    async close() {
      await pipeline.close();
      clients.transfer.destroy();
      clients.ssm.destroy();
      clients.ec2.destroy();
      await emu.stop();
    },
  };
}
