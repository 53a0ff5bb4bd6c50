// Builders for the plan and normalisation tests: DesiredServer objects built directly (no loader)
// and observed servers built through normaliseServer, as the observe step would produce them.
import { normaliseServer } from '../../functions/reconciler/observed/normalise.ts';
import type { DesiredDocument, DesiredServer, HostKeySecret, ObservedServer, ReconcilerPolicy } from '../../functions/reconciler/types.ts';

export const SERVER_ID = 's-0123456789abcdef0';

/** A stand-in for the real secret: its text must never reach a plan's changes or messages. */
export function fakeSecret(fingerprint = 'SHA256:abcAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'): HostKeySecret {
  return { fingerprint, algorithm: 'ssh-ed25519', reveal: () => 'SECRET' };
}

export function desiredOf(document: DesiredDocument, options: { policy?: ReconcilerPolicy; fingerprint?: string } = {}): DesiredServer {
  const desired: DesiredServer = {
    serverId: SERVER_ID,
    source: { kind: 'file', name: 'x' },
    document,
    policy: { Mode: 'enforce', AllowOfflineChanges: false, AllowHostKeyRotation: false, PruneTags: false, ...options.policy },
    warnings: [],
  };
  if (options.fingerprint !== undefined) desired.hostKey = { parameter: '/keys/host', secret: fakeSecret(options.fingerprint) };
  return desired;
}

/** A DescribeServer `Server` as AWS would answer for a server created with only `fields`. */
export function observedOf(fields: Record<string, unknown> = {}): ObservedServer {
  return normaliseServer({
    ServerId: SERVER_ID,
    Arn: `arn:aws:transfer:eu-west-1:111122223333:server/${SERVER_ID}`,
    State: 'ONLINE',
    ...fields,
  });
}

export const VPC_SERVER: Record<string, unknown> = {
  EndpointType: 'VPC',
  EndpointDetails: { SubnetIds: ['subnet-b', 'subnet-a'], VpcId: 'vpc-1', VpcEndpointId: 'vpce-0123456789abcdef0' },
};

export const VPC_SERVER_WITH_EIPS: Record<string, unknown> = {
  EndpointType: 'VPC',
  EndpointDetails: {
    SubnetIds: ['subnet-a', 'subnet-b'],
    VpcId: 'vpc-1',
    VpcEndpointId: 'vpce-0123456789abcdef0',
    AddressAllocationIds: ['eipalloc-2', 'eipalloc-1'],
  },
};
