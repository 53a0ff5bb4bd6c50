// What a Parameter Store change event asks for. The event names a parameter, never its value:
// a document under the prefix keys one server; a host key under the host-key prefix keys every
// server whose document references it. Anything else reaching us (a rule edited by hand) is
// ignored and said so.
import type { EventBridgeEvent } from 'aws-lambda';
import type { ServerAddress } from '../../reconciler/desired/server-address.ts';
import { isHubAddress, parseParameterName } from '../../reconciler/desired/server-address.ts';
import type { HandlerConfig } from './config.ts';

export interface ParameterChangeDetail {
  operation: string;
  name: string;
  type?: string;
  description?: string;
}

export type ParameterChangeEvent = EventBridgeEvent<'Parameter Store Change', ParameterChangeDetail>;

export type ChangeTarget =
  | { kind: 'document'; serverId: string; name: string; deleted: boolean; address?: ServerAddress }
  | { kind: 'host-key'; name: string; operation: string }
  | { kind: 'ignored'; reason: string };

export function targetOf(event: ParameterChangeEvent, config: Pick<HandlerConfig, 'prefix' | 'hostKeyPrefix'>): ChangeTarget {
  if (event.source !== 'aws.ssm' || event['detail-type'] !== 'Parameter Store Change') {
    return { kind: 'ignored', reason: `not a Parameter Store change (${String(event.source)} / ${String(event['detail-type'])})` };
  }
  const name = event.detail?.name;
  const operation = event.detail?.operation;
  if (typeof name !== 'string' || typeof operation !== 'string')
    return { kind: 'ignored', reason: 'the event has no detail.name or detail.operation' };
  if (name.startsWith(config.prefix)) {
    // <prefix><ServerId> (the hub's) or <prefix><AccountId>/<Region>/<ServerId> (docs/accounts.md).
    const parsed = parseParameterName(config.prefix, name);
    if (parsed === undefined || !parsed.ok)
      return {
        kind: 'ignored',
        reason: `${name} is under the prefix but is not <prefix><ServerId> or <prefix><AccountId>/<Region>/<ServerId>${parsed ? `: ${parsed.message}` : ''}`,
      };
    const { address } = parsed;
    return {
      kind: 'document',
      serverId: address.serverId,
      name,
      deleted: operation === 'Delete',
      ...(isHubAddress(address) ? {} : { address }),
    };
  }
  if (name.startsWith(config.hostKeyPrefix)) return { kind: 'host-key', name, operation };
  return { kind: 'ignored', reason: `${name} is outside ${config.prefix} and ${config.hostKeyPrefix}` };
}
