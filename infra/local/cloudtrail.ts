// CloudTrail's management events for the emulator's Transfer and EC2 writes, delivered as
// EventBridge "AWS API Call via CloudTrail" events (aws-behaviour.md): one per write, failed ones
// too (errorCode, errorMessage; they changed nothing). requestParameters and responseElements
// follow CloudTrail's spelling: camelCase members for JSON services (serverId, arn, tags[].key),
// EC2's query wire names nested under `<Operation>Request` / `<Operation>Response`. Sensitive
// members (the model's `sensitive`, the host keys) are "HIDDEN_DUE_TO_SECURITY_REASONS".
import { randomUUID } from 'node:crypto';
import type { ModelData } from '../../functions/shared/model-validate.ts';
import type { RequestContext } from './request-context.ts';
import { serviceModels } from './service-models.ts';
import type { CloudTrailApiCallEvent, ServiceName } from './types.ts';

export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** The writes CloudTrail events are emitted for (reads are not management write events). */
export const TRAILED_WRITES: Partial<Record<ServiceName, readonly string[]>> = {
  transfer: [
    'CreateServer',
    'UpdateServer',
    'StartServer',
    'StopServer',
    'DeleteServer',
    'TagResource',
    'UntagResource',
    'ImportHostKey',
    'UpdateHostKey',
    'DeleteHostKey',
  ],
  ec2: ['ModifyVpcEndpoint'],
};

// Key material whatever the model says (ImportHostKey's HostKeyBody is not marked sensitive).
const ALWAYS_HIDDEN = new Set(['HostKey', 'HostKeyBody']);

export interface TrailedCall {
  service: 'transfer' | 'ec2';
  operation: string;
  input: Record<string, unknown>;
  output?: unknown;
  error?: { code: string; message: string };
  requestId: string;
  context: RequestContext;
  region: string;
}

export function isTrailed(service: ServiceName | 'unknown', operation: string): service is 'transfer' | 'ec2' {
  return service !== 'unknown' && (TRAILED_WRITES[service]?.includes(operation) ?? false);
}

export function cloudTrailEvent(call: TrailedCall): CloudTrailApiCallEvent {
  const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const model = serviceModels[call.service];
  const op = model.operations[call.operation];
  const ec2 = call.service === 'ec2';
  const request = ec2 ? { [`${call.operation}Request`]: ec2Wire(model, op?.input, call.input) } : camel(model, op?.input, call.input);
  let response: Record<string, unknown> | null = null;
  if (call.error === undefined) {
    if (ec2) {
      response = {
        [`${call.operation}Response`]: { xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/', requestId: call.requestId, return: true },
      };
    } else {
      const out = camel(model, op?.output, call.output);
      response = isObject(out) && Object.keys(out).length > 0 ? out : null;
    }
  }
  const account = call.context.caller.accountId;
  const detail: CloudTrailApiCallEvent['detail'] = {
    eventVersion: '1.08',
    userIdentity: call.context.caller.userIdentity,
    eventTime: time,
    eventSource: `${call.service}.amazonaws.com`,
    eventName: call.operation,
    awsRegion: call.region,
    sourceIPAddress: call.context.sourceIp,
    userAgent: call.context.userAgent,
    requestParameters: isObject(request) && Object.keys(request).length > 0 ? request : null,
    responseElements: response,
    requestID: call.requestId,
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  };
  if (call.error) {
    detail.errorCode = call.error.code;
    detail.errorMessage = call.error.message;
  }
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${call.service}`,
    account,
    time,
    region: call.region,
    resources: [],
    detail,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** A JSON-protocol value with structure members in camelCase (map keys kept), sensitive ones hidden. */
function camel(model: ModelData, shapeName: string | undefined, value: unknown): unknown {
  const def = shapeName !== undefined && Object.hasOwn(model.shapes, shapeName) ? model.shapes[shapeName] : undefined;
  if (def?.sensitive) return HIDDEN;
  if (Array.isArray(value)) return value.map((v) => camel(model, def?.member, v));
  if (!isObject(value)) return value;
  if (def?.type === 'map') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, camel(model, def.value, v)]));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [lowerFirst(k), ALWAYS_HIDDEN.has(k) ? HIDDEN : camel(model, def?.members?.[k], v)]),
  );
}

interface WireShape {
  locationNames?: Record<string, string>;
  queryNames?: Record<string, string>;
}

/** EC2's query names (AddSecurityGroupId), list items as CloudTrail writes them: {tag, content}, one item bare. */
function ec2Wire(model: ModelData, shapeName: string | undefined, value: unknown): unknown {
  const def = shapeName !== undefined && Object.hasOwn(model.shapes, shapeName) ? model.shapes[shapeName] : undefined;
  if (def?.sensitive) return HIDDEN;
  if (Array.isArray(value)) {
    const items = value.map((v, i) => ({ tag: i + 1, content: ec2Wire(model, def?.member, v) }));
    return items.length === 1 ? items[0] : items;
  }
  if (!isObject(value)) return value;
  const wire = (def ?? {}) as WireShape;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      const name = wire.queryNames?.[k] ?? wire.locationNames?.[k] ?? k;
      return [name.charAt(0).toUpperCase() + name.slice(1), ec2Wire(model, def?.members?.[k], v)];
    }),
  );
}
