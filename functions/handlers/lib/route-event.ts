// The router's work for one EventBridge event: the keys it asks for → one message per server.
// It reads (a host key's referencing documents, an endpoint's server) but writes nothing except
// SendMessage. Anything it cannot map is dropped with its reason; the sweep is the backstop.
import { listDocuments } from '../../reconciler/desired/load-ssm.ts';
import { serverOfEndpoint } from '../../reconciler/queue/endpoint-servers.ts';
import { keyOfEvent } from '../../reconciler/queue/event-keys.ts';
import type { EventKey } from '../../reconciler/queue/event-keys.ts';
import { buildMessage } from '../../reconciler/queue/message.ts';
import type { MessageReason, ReconcileMessage } from '../../reconciler/queue/message.ts';
import { sendMessages } from '../../reconciler/aws/sqs-api.ts';
import type { SendReport } from '../../reconciler/aws/sqs-api.ts';
import { documentsReferencing } from './host-key-references.ts';
import type { QueueDeps } from './queue-deps.ts';

export interface Routed {
  key: EventKey;
  /** Servers a message was sent for. */
  serverIds: string[];
  /** Why nothing was sent (the key was `none`, or nothing matched). */
  dropped?: string;
  send?: SendReport;
  /** DescribeServer calls made to map an endpoint. */
  described?: number;
}

type Target = { serverId: string; reason: MessageReason; document?: { name: string; version?: number } };

export async function routeEvent(
  event: { id?: string },
  deps: Pick<QueueDeps, 'config' | 'clients' | 'sqs' | 'queueUrl'>,
): Promise<Routed> {
  const { config, clients } = deps;
  const key = keyOfEvent(event, { prefix: config.prefix, hostKeyPrefix: config.hostKeyPrefix, ignoredRoleArns: config.reconcilerRoleArns });
  let targets: Target[] = [];
  let described: number | undefined;
  let dropped: string | undefined;
  switch (key.kind) {
    case 'none':
      return { key, serverIds: [], dropped: key.reason };
    case 'server':
      targets = [{ serverId: key.serverId, reason: key.reason, ...(key.document ? { document: key.document } : {}) }];
      break;
    case 'host-key': {
      const listed = await listDocuments(clients.ssm, config.prefix);
      targets = documentsReferencing(listed.documents, key.name).map((d) => ({
        serverId: d.serverId,
        reason: 'host-key' as const,
        document: { name: d.name, ...(d.version !== undefined ? { version: d.version } : {}) },
      }));
      if (targets.length === 0) dropped = `no document references ${key.name}`;
      break;
    }
    case 'endpoint': {
      const found = await serverOfEndpoint(clients, key.endpointId, {
        prefix: config.prefix,
        limit: config.endpointLookupLimit,
        concurrency: config.concurrency,
        cache: new Map(),
      });
      described = found.described;
      if (found.serverId !== undefined) targets = [{ serverId: found.serverId, reason: 'api-call' }];
      else
        dropped = `no managed server has VPC endpoint ${key.endpointId}${found.truncated ? ` among the first ${config.endpointLookupLimit} read` : ''}`;
      break;
    }
  }
  const sentAt = new Date().toISOString();
  const messages = targets.map((t) => {
    const m: ReconcileMessage = {
      serverId: t.serverId,
      trigger: 'event',
      reason: t.reason,
      sentAt,
      ...(t.document ? { document: t.document } : {}),
    };
    if (typeof event.id === 'string') m.source = event.id;
    return buildMessage(m);
  });
  const send = messages.length > 0 ? await sendMessages(deps.sqs, deps.queueUrl, messages) : undefined;
  return {
    key,
    serverIds: targets.map((t) => t.serverId),
    ...(dropped !== undefined ? { dropped } : {}),
    ...(send ? { send } : {}),
    ...(described !== undefined ? { described } : {}),
  };
}
