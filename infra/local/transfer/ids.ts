// Identifier formats AWS uses: `s-` + 17 lowercase hex for servers, `vpce-` + 17 hex for the
// VPC endpoint AWS creates for an EndpointType VPC server, `hostkey-` + 17 hex for host keys.
import { randomBytes } from 'node:crypto';

function hex17(): string {
  return randomBytes(9).toString('hex').slice(0, 17);
}

export function newServerId(): string {
  return `s-${hex17()}`;
}

export function newVpcEndpointId(): string {
  return `vpce-${hex17()}`;
}

export function newHostKeyId(): string {
  return `hostkey-${hex17()}`;
}

/** The emulator's spelling of a host key's ARN (AWS documents the member, not the format). */
export function hostKeyArn(serverArnText: string, hostKeyId: string): string {
  return `${serverArnText.replace(':server/', ':host-key/')}/${hostKeyId}`;
}

export function serverArn(region: string, accountId: string, serverId: string): string {
  return `arn:aws:transfer:${region}:${accountId}:server/${serverId}`;
}

/** The server id in a Transfer server ARN, or undefined when the ARN names something else. */
export function serverIdFromArn(arn: string): string | undefined {
  const match = /^arn:aws[a-z-]*:transfer:[^:]*:[^:]*:server\/(s-[0-9a-f]{17})$/.exec(arn);
  return match?.[1];
}
