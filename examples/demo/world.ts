// The demo's world: the local emulator holding the servers that examples/ describes, as they
// might look after years of console edits, and the on-parameter-change Lambda wired to the
// emulator's event stream the way EventBridge wires it in AWS.
import { ListServersCommand } from '@aws-sdk/client-transfer';
import type { ParameterChangeEvent } from '../../functions/handlers/lib/parameter-event.ts';
import { createHandler as createEventHandler } from '../../functions/handlers/on-parameter-change.ts';
import { createHandler as createSweepHandler } from '../../functions/handlers/drift-sweep.ts';
import { readConfig } from '../../functions/handlers/lib/config.ts';
import { instrumentClients } from '../../functions/handlers/lib/clients.ts';
import { createClients } from '../../functions/reconciler/aws/clients.ts';
import type { AwsClients } from '../../functions/reconciler/aws/clients.ts';
import { generateHostKey } from '../../functions/shared/ssh-key.ts';
import { hostKeySecret } from '../../functions/reconciler/desired/host-key-secret.ts';
import { fingerprintTags } from '../../functions/reconciler/desired/recorded-fingerprint.ts';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { startEmulator } from '../../infra/local/emulator.ts';
import type { Emulator } from '../../infra/local/emulator.ts';
import { followEvents } from '../../infra/local/event-stream-client.ts';
import type { ParameterStoreChangeEvent } from '../../infra/local/types.ts';
import { capturedObservability } from '../../infra/local/lambda/captured-observability.ts';
import { lambdaContext } from '../../infra/local/lambda/context.ts';

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
  clients: AwsClients;
  /** Outcomes logged by the Lambdas, in order. */
  outcomes: Outcome[];
  /** Resolves once every event the emulator emitted so far has been handled by the Lambda. */
  settled(): Promise<void>;
  /** Resolves once every server is ONLINE (they are created STARTING). */
  allOnline(): Promise<void>;
  /** Invokes the drift-sweep Lambda once, as the schedule would. */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

export async function createWorld(port = 0): Promise<World> {
  const emu = await startEmulator({ port, transitionDelayMs: 400 });
  const hostKey = generateHostKey('ed25519');
  await emu.ssm.handle('PutParameter', { Name: HOST_KEY_PARAMETER, Type: 'SecureString', Value: hostKey });
  // As `push` leaves it: the key's fingerprint recorded on its parameter, so `plan` compares it without decrypting.
  const Tags = fingerprintTags(hostKeySecret(hostKey), 1);
  await emu.ssm.handle('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: HOST_KEY_PARAMETER, Tags });
  seedServers(emu, hostKey);

  const config = { ...readConfig({}), endpointUrl: emu.url };
  const outcomes: Outcome[] = [];
  const lambdaClients = (): AwsClients => instrumentClients(createClients({ endpointUrl: emu.url }), config);
  const eventClients = lambdaClients();
  const sweepLogs = capturedObservability();
  const onSchedule = createSweepHandler({ config, clients: lambdaClients(), ...sweepLogs });
  const collect = (logs: ReturnType<typeof capturedObservability>): void => {
    outcomes.push(...logs.outcomes());
    logs.clear();
  };
  const clients = createClients({ endpointUrl: emu.url });

  // Each event gets its own handler instance, as concurrent invocations get their own Lambda
  // instances (a Powertools Metrics object is not meant to be shared by two invocations at once).
  // Follow from the current end of the stream (the seed's own writes are not the story's).
  const start = emu.events.list().at(-1)?.seq ?? 0;
  let delivered = 0;
  let handled = 0;
  let opened!: () => void;
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  const follower = followEvents(
    emu.url,
    (event: ParameterStoreChangeEvent) => {
      delivered++;
      const logs = capturedObservability();
      const onEvent = createEventHandler({ config, clients: eventClients, ...logs });
      onEvent(event as unknown as ParameterChangeEvent, lambdaContext(600_000, 'on-parameter-change'))
        // A throw means "retry me" to Lambda; the outcome was logged before it, which is what we show.
        .catch(() => undefined)
        .finally(() => {
          handled++;
          collect(logs);
        });
    },
    { since: start, onOpen: () => opened() },
  );
  await open;

  return {
    emu,
    clients,
    outcomes,
    async allOnline() {
      for (;;) {
        const { Servers = [] } = await clients.transfer.send(new ListServersCommand({}));
        if (Servers.every((s) => s.State === 'ONLINE')) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async settled() {
      // Every event the emulator has emitted so far has reached the Lambda and been handled.
      // The emulator also emits CloudTrail API-call events; the event Lambda is given the Parameter Store ones.
      const parameterEvents = (): number =>
        emu.events.list(start).filter((e) => e.event['detail-type'] === 'Parameter Store Change').length;
      while (delivered < parameterEvents() || handled < delivered) await new Promise((r) => setTimeout(r, 20));
    },
    async sweep() {
      await onSchedule(
        {
          version: '0',
          id: 'demo-schedule',
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          account: emu.accountId,
          time: new Date().toISOString(),
          region: emu.region,
          resources: [],
          detail: {},
        },
        lambdaContext(540_000, 'drift-sweep'),
      );
      collect(sweepLogs);
    },
    async close() {
      follower.close();
      await emu.stop();
    },
  };
}
