// What an EventBridge event asks the queue for (pure): a server, a host key (every server whose
// document references it), a VPC endpoint (the server it belongs to), or nothing — with the
// reason, so a dropped event is said to be dropped. Parameter Store changes follow the one mapping
// the direct handler uses (handlers/lib/parameter-event.ts); CloudTrail events as aws-behaviour.md.
import { targetOf } from '../../handlers/lib/parameter-event.ts';
import type { ParameterChangeEvent } from '../../handlers/lib/parameter-event.ts';
import type { ServerAddress } from '../desired/server-address.ts';
import { isServerId } from '../desired/server-id.ts';

/** The Transfer writes that can change what a server is (docs/pipeline.md). */
export const TRANSFER_EVENT_NAMES = [
  'UpdateServer',
  'StartServer',
  'StopServer',
  'TagResource',
  'UntagResource',
  'ImportHostKey',
  'UpdateHostKey',
  'DeleteHostKey',
] as const;
export const EC2_EVENT_NAMES = ['ModifyVpcEndpoint'] as const;

/** Another account-region than the hub's (absent on a key: the hub's own). */
export interface Place {
  accountId: string;
  region: string;
}

export type EventKey =
  | ({ kind: 'server'; serverId: string; reason: 'document' | 'api-call'; document?: { name: string } } & Partial<Place>)
  | { kind: 'host-key'; name: string }
  | ({ kind: 'endpoint'; endpointId: string } & Partial<Place>)
  | { kind: 'none'; reason: string };

export interface KeyOptions {
  prefix: string;
  hostKeyPrefix: string;
  /**
   * The reconciler's own roles (the worker's, the spoke role): their writes are not drift. An entry
   * is a role ARN (`*` matches any run of characters but ":", so `arn:aws:iam::*:role/x` is role x
   * of any account) or a bare role name (that role, any path, in any account and partition).
   */
  ignoredRoleArns: readonly string[];
  /** The hub's own account and region: an event of another is that account's (forwarded from a spoke). */
  hub?: Place;
}

const escape = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a session issuer ARN is one of the reconciler's own roles (KeyOptions.ignoredRoleArns). */
export function isOwnRole(issuer: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => {
    if (p === issuer) return true;
    if (p.startsWith('arn:')) return new RegExp(`^${p.split('*').map(escape).join('[^:]*')}$`).test(issuer);
    return new RegExp(`^arn:aws[\\w-]*:iam::\\d{12}:role/(?:[^:]*/)?${escape(p)}$`).test(issuer);
  });
}

/** The event's account-region when it is not the hub's (events without account/region are the hub's). */
function placeOf(e: { account?: unknown; region?: unknown }, hub: Place | undefined): Place | undefined {
  if (hub === undefined || typeof e.account !== 'string' || typeof e.region !== 'string') return undefined;
  if (e.account === hub.accountId && e.region === hub.region) return undefined;
  return { accountId: e.account, region: e.region };
}

/** The address an event key names (servers only). */
export function addressOfKey(key: Extract<EventKey, { kind: 'server' }>): ServerAddress {
  return key.accountId === undefined || key.region === undefined
    ? { serverId: key.serverId }
    : { accountId: key.accountId, region: key.region, serverId: key.serverId };
}

interface ApiCallDetail {
  eventName?: unknown;
  errorCode?: unknown;
  userIdentity?: { sessionContext?: { sessionIssuer?: { arn?: unknown } } };
  requestParameters?: Record<string, unknown> | null;
}

interface AnyEvent {
  id?: unknown;
  account?: unknown;
  region?: unknown;
  source?: unknown;
  'detail-type'?: unknown;
  detail?: unknown;
}

const SERVER_ARN = /^arn:aws[\w-]*:transfer:[\w-]+:\d{12}:server\/(s-[0-9a-f]{17})$/;
const VPC_ENDPOINT_ID = /^vpce-[0-9a-f]{8,17}$/;

export function keyOfEvent(event: unknown, opts: KeyOptions): EventKey {
  const e = (typeof event === 'object' && event !== null ? event : {}) as AnyEvent;
  const place = placeOf(e, opts.hub);
  if (e['detail-type'] === 'Parameter Store Change') {
    // The documents and host keys live in the hub's SSM: another account's parameters are not ours.
    if (place !== undefined)
      return { kind: 'none', reason: `a parameter of account ${place.accountId} region ${place.region}, not the hub's` };
    return keyOfParameterChange(e as ParameterChangeEvent, opts);
  }
  if (e['detail-type'] === 'AWS API Call via CloudTrail') {
    const key = keyOfApiCall(String(e.source), (e.detail ?? {}) as ApiCallDetail, opts);
    return place !== undefined && (key.kind === 'server' || key.kind === 'endpoint') ? { ...key, ...place } : key;
  }
  return { kind: 'none', reason: `not an event the pipeline handles (${String(e.source)} / ${String(e['detail-type'])})` };
}

function keyOfParameterChange(event: ParameterChangeEvent, opts: KeyOptions): EventKey {
  const target = targetOf(event, opts);
  switch (target.kind) {
    case 'ignored':
      return { kind: 'none', reason: target.reason };
    case 'host-key':
      return { kind: 'host-key', name: target.name };
    case 'document':
      // A deletion is reconciled too: the worker reads no document and reports `unmanaged`.
      return {
        kind: 'server',
        serverId: target.serverId,
        reason: 'document',
        document: { name: target.name },
        ...(target.address?.accountId !== undefined ? { accountId: target.address.accountId, region: target.address.region ?? '' } : {}),
      };
  }
}

function keyOfApiCall(source: string, detail: ApiCallDetail, opts: KeyOptions): EventKey {
  const name = typeof detail.eventName === 'string' ? detail.eventName : '';
  if (detail.errorCode !== undefined && detail.errorCode !== null && detail.errorCode !== '')
    return { kind: 'none', reason: `${name} failed (${String(detail.errorCode)}) and changed nothing` };
  const issuer = detail.userIdentity?.sessionContext?.sessionIssuer?.arn;
  if (typeof issuer === 'string' && isOwnRole(issuer, opts.ignoredRoleArns))
    return { kind: 'none', reason: `${name} was made by the reconciler's own role` };
  const params = detail.requestParameters ?? {};
  if (source === 'aws.transfer' && (TRANSFER_EVENT_NAMES as readonly string[]).includes(name)) {
    const serverId = serverIdOf(params);
    if (serverId === undefined) return { kind: 'none', reason: `${name} names no server (a user or another resource)` };
    return { kind: 'server', serverId, reason: 'api-call' };
  }
  if (source === 'aws.ec2' && (EC2_EVENT_NAMES as readonly string[]).includes(name)) {
    const request = params.ModifyVpcEndpointRequest as { VpcEndpointId?: unknown } | undefined;
    const endpointId = request?.VpcEndpointId;
    if (typeof endpointId !== 'string' || !VPC_ENDPOINT_ID.test(endpointId))
      return { kind: 'none', reason: `${name} names no VPC endpoint id` };
    return { kind: 'endpoint', endpointId };
  }
  return { kind: 'none', reason: `${source} ${name || '(no eventName)'} cannot change a server` };
}

/** `serverId` (UpdateServer, Start/Stop, host keys) or the server ARN (Tag/UntagResource). */
function serverIdOf(params: Record<string, unknown>): string | undefined {
  if (typeof params.serverId === 'string') return isServerId(params.serverId) ? params.serverId : undefined;
  if (typeof params.arn === 'string') return SERVER_ARN.exec(params.arn)?.[1];
  return undefined;
}
