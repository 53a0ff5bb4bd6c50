// The router's work for one EventBridge event: the keys it asks for → one message per server.
// It reads (a host key's referencing documents, an endpoint's server) but writes nothing except
// SendMessage. Anything it cannot map is dropped with its reason; the sweep is the backstop.
// Events of another account-region (forwarded by a spoke) name that account's servers, and only an
// account-region the accounts file lists is enqueued (else `unlisted-account`).
import type { AccountClients } from '../../reconciler/aws/account-clients.ts';
import { AccountRoleUnavailableError } from '../../reconciler/errors.ts';
import type { ListedDocument } from '../../reconciler/desired/load-ssm.ts';
import { listDocuments } from '../../reconciler/desired/load-ssm.ts';
import type { ServerAddress } from '../../reconciler/desired/server-address.ts';
import { addressKey, isHubAddress } from '../../reconciler/desired/server-address.ts';
import { serverOfEndpoint } from '../../reconciler/queue/endpoint-servers.ts';
import { addressOfKey, keyOfEvent } from '../../reconciler/queue/event-keys.ts';
import type { EventKey, Place } from '../../reconciler/queue/event-keys.ts';
import { buildMessage } from '../../reconciler/queue/message.ts';
import type { MessageReason, ReconcileMessage } from '../../reconciler/queue/message.ts';
import { sendMessages } from '../../reconciler/aws/sqs-api.ts';
import type { SendReport } from '../../reconciler/aws/sqs-api.ts';
import { documentsReferencing } from './host-key-references.ts';
import type { QueueDeps } from './queue-deps.ts';

export const UNLISTED_ACCOUNT = 'unlisted-account';

export interface Routed {
  key: EventKey;
  /** Servers a message was sent for (keys: `s-…`, or `<AccountId>/<Region>/s-…`). */
  serverIds: string[];
  /** Why nothing was sent (the key was `none`, or nothing matched). */
  dropped?: string;
  /** Documents of account-regions the accounts file does not list (a host-key event), not enqueued. */
  unlisted?: string[];
  send?: SendReport;
  /** DescribeServer calls made to map an endpoint. */
  described?: number;
}

export interface RouteDeps extends Pick<QueueDeps, 'config' | 'clients' | 'sqs' | 'queueUrl'> {
  /** The hub's own account and region (from the Lambda context or the config); absent: every event is the hub's. */
  hub?: Place;
  /** Told the current accounts file by `readAccounts`. */
  accountClients: AccountClients;
  /** Reads the accounts file (cached) into accountClients: only events of other accounts need it. */
  readAccounts: () => Promise<unknown>;
}

type Target = { address: ServerAddress; reason: MessageReason; document?: { name: string; version?: number } };

const listed = (deps: RouteDeps, a: ServerAddress): boolean =>
  isHubAddress(a) || deps.accountClients.lists(a.accountId ?? '', a.region ?? '');

const unlistedReason = (a: Partial<Place>): string =>
  `${UNLISTED_ACCOUNT}: account ${a.accountId ?? ''} region ${a.region ?? ''} is not listed in the accounts file`;

function documentTarget(d: ListedDocument): Target {
  return {
    address: d.address ?? { serverId: d.serverId },
    reason: 'host-key',
    document: { name: d.name, ...(d.version !== undefined ? { version: d.version } : {}) },
  };
}

export async function routeEvent(event: { id?: string }, deps: RouteDeps): Promise<Routed> {
  const { config, clients } = deps;
  const key = keyOfEvent(event, {
    prefix: config.prefix,
    hostKeyPrefix: config.hostKeyPrefix,
    ignoredRoleArns: config.reconcilerRoleArns,
    ...(deps.hub ? { hub: deps.hub } : {}),
  });
  let targets: Target[] = [];
  let described: number | undefined;
  let dropped: string | undefined;
  let unlisted: string[] | undefined;
  switch (key.kind) {
    case 'none':
      return { key, serverIds: [], dropped: key.reason };
    case 'server': {
      const address = addressOfKey(key);
      if (!isHubAddress(address)) await deps.readAccounts();
      if (!listed(deps, address)) return { key, serverIds: [], dropped: unlistedReason(key) };
      targets = [{ address, reason: key.reason, ...(key.document ? { document: key.document } : {}) }];
      break;
    }
    case 'host-key': {
      // Host keys live in the hub's SSM and may be imported into servers of any account.
      const all = await listDocuments(clients.ssm, config.prefix);
      const referencing = documentsReferencing([...all.documents, ...(all.addressed ?? [])], key.name).map(documentTarget);
      if (referencing.some((t) => !isHubAddress(t.address))) await deps.readAccounts();
      targets = referencing.filter((t) => listed(deps, t.address));
      const skipped = referencing.filter((t) => !listed(deps, t.address)).map((t) => addressKey(t.address));
      if (skipped.length > 0) unlisted = skipped;
      if (targets.length === 0) dropped = skipped.length > 0 ? unlistedReason({}) : `no document references ${key.name}`;
      break;
    }
    case 'endpoint': {
      const place = key.accountId !== undefined && key.region !== undefined ? { accountId: key.accountId, region: key.region } : undefined;
      if (place !== undefined) await deps.readAccounts();
      if (place !== undefined && !deps.accountClients.lists(place.accountId, place.region))
        return { key, serverIds: [], dropped: unlistedReason(place) };
      const transfer = deps.accountClients.for({ ...(place ?? {}), serverId: '' }).transfer;
      let found;
      try {
        found = await serverOfEndpoint({ ssm: clients.ssm, transfer }, key.endpointId, {
          prefix: config.prefix,
          limit: config.endpointLookupLimit,
          concurrency: config.concurrency,
          cache: new Map(),
          ...(place ? { place } : {}),
        });
      } catch (err) {
        // A spoke whose role is broken: the worker reports each of its servers; the sweep covers this one.
        if (err instanceof AccountRoleUnavailableError) return { key, serverIds: [], dropped: err.message };
        throw err;
      }
      described = found.described;
      if (found.serverId !== undefined) targets = [{ address: { ...(place ?? {}), serverId: found.serverId }, reason: 'api-call' }];
      else
        dropped = `no managed server has VPC endpoint ${key.endpointId}${found.truncated ? ` among the first ${config.endpointLookupLimit} read` : ''}`;
      break;
    }
  }
  const sentAt = new Date().toISOString();
  const messages = targets.map((t) => {
    const m: ReconcileMessage = {
      serverId: t.address.serverId,
      ...(isHubAddress(t.address) ? {} : { accountId: t.address.accountId, region: t.address.region }),
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
    serverIds: targets.map((t) => addressKey(t.address)),
    ...(dropped !== undefined ? { dropped } : {}),
    ...(unlisted ? { unlisted } : {}),
    ...(send ? { send } : {}),
    ...(described !== undefined ? { described } : {}),
  };
}
