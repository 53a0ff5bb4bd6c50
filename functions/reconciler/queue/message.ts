// The queue's message (docs/pipeline.md): built by the router and the enumerator, parsed by the
// worker. The body only names a server and why: the worker always reads the current document and
// server (level-triggered), so nothing here is trusted beyond the key.
import { createHash, randomUUID } from 'node:crypto';
import { isAccountId, isRegion } from '../desired/aws-region.ts';
import type { ServerAddress } from '../desired/server-address.ts';
import { addressKey } from '../desired/server-address.ts';
import { isServerId } from '../desired/server-id.ts';

export const MESSAGE_REASONS = ['document', 'host-key', 'api-call', 'schedule'] as const;
export type MessageReason = (typeof MESSAGE_REASONS)[number];
export type MessageTrigger = 'event' | 'schedule';

export interface ReconcileMessage {
  serverId: string;
  /** With region, or neither: a server of another account (docs/accounts.md); absent = the hub's. */
  accountId?: string;
  region?: string;
  trigger: MessageTrigger;
  reason: MessageReason;
  /** ISO-8601, when the router or enumerator sent it. */
  sentAt: string;
  /** The EventBridge event id that caused it. */
  source?: string;
  /** The document as the trigger saw it (for the log line only; the worker reads it again). */
  document?: { name: string; version?: number };
}

/** What SendMessageBatch needs for one entry. */
export interface OutgoingMessage {
  groupId: string;
  deduplicationId: string;
  body: string;
}

export type Parsed = { ok: true; message: ReconcileMessage } | { ok: false; problem: string };

/** The address a message names. */
export function addressOf(m: Pick<ReconcileMessage, 'serverId' | 'accountId' | 'region'>): ServerAddress {
  return m.accountId === undefined ? { serverId: m.serverId } : { accountId: m.accountId, region: m.region ?? '', serverId: m.serverId };
}

/**
 * One message group per server: SQS FIFO then serialises the reconciles of one server. The group
 * id is the address's key (`s-…` for the hub, `<AccountId>/<Region>/s-…` otherwise), so the same
 * ServerId in two accounts is two groups (a ServerId is unique only within its account-region).
 */
export function groupIdOf(server: string | ServerAddress): string {
  return typeof server === 'string' ? server : addressKey(server);
}

/** SQS's MessageDeduplicationId limit. */
const DEDUP_MAX = 128;

/**
 * Unique per trigger and server: the event id (EventBridge's at-least-once redelivery of the same
 * event is dropped) plus the server id (one host-key event keys many servers, and deduplication is
 * queue-wide). Never the server id alone or a time bucket: that would drop a second change made
 * minutes after the first. Without an event id, a random id.
 */
export function deduplicationIdOf(message: Pick<ReconcileMessage, 'serverId' | 'accountId' | 'region' | 'source'>): string {
  const base = message.source !== undefined && /^[\w.:/-]{1,100}$/.test(message.source) ? message.source : randomUUID();
  const id = `${base}:${addressKey(addressOf(message))}`;
  // A long event id with a spoke's key can pass 128 characters: the same id, hashed.
  return id.length <= DEDUP_MAX ? id : createHash('sha256').update(id).digest('hex');
}

export function buildMessage(message: ReconcileMessage): OutgoingMessage {
  const parsed = validate(message);
  if (!parsed.ok) throw new Error(`refusing to send an invalid reconcile message: ${parsed.problem}`);
  return {
    groupId: groupIdOf(addressOf(parsed.message)),
    deduplicationId: deduplicationIdOf(message),
    body: JSON.stringify(parsed.message),
  };
}

export function parseMessage(body: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'the body is not JSON' };
  }
  return validate(value);
}

function validate(value: unknown): Parsed {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problem: 'the body is not an object' };
  const v = value as Record<string, unknown>;
  if (typeof v.serverId !== 'string' || !isServerId(v.serverId)) return { ok: false, problem: 'serverId is not a server id' };
  if (v.trigger !== 'event' && v.trigger !== 'schedule') return { ok: false, problem: 'trigger is not "event" or "schedule"' };
  if (typeof v.reason !== 'string' || !(MESSAGE_REASONS as readonly string[]).includes(v.reason))
    return { ok: false, problem: `reason is not one of ${MESSAGE_REASONS.join(', ')}` };
  if (typeof v.sentAt !== 'string' || Number.isNaN(Date.parse(v.sentAt))) return { ok: false, problem: 'sentAt is not a date' };
  if (v.source !== undefined && typeof v.source !== 'string') return { ok: false, problem: 'source is not a string' };
  if ((v.accountId === undefined) !== (v.region === undefined))
    return { ok: false, problem: 'accountId and region come together or not at all' };
  if (v.accountId !== undefined && (typeof v.accountId !== 'string' || !isAccountId(v.accountId)))
    return { ok: false, problem: 'accountId is not 12 digits' };
  if (v.region !== undefined && (typeof v.region !== 'string' || !isRegion(v.region)))
    return { ok: false, problem: 'region is not a region' };
  const message: ReconcileMessage = {
    serverId: v.serverId,
    ...(typeof v.accountId === 'string' && typeof v.region === 'string' ? { accountId: v.accountId, region: v.region } : {}),
    trigger: v.trigger,
    reason: v.reason as MessageReason,
    sentAt: v.sentAt,
    ...(typeof v.source === 'string' ? { source: v.source } : {}),
  };
  if (v.document !== undefined) {
    const d = v.document as { name?: unknown; version?: unknown } | null;
    if (typeof d?.name !== 'string') return { ok: false, problem: 'document.name is not a string' };
    if (d.version !== undefined && !Number.isInteger(d.version)) return { ok: false, problem: 'document.version is not an integer' };
    message.document = { name: d.name, ...(typeof d.version === 'number' ? { version: d.version } : {}) };
  }
  return { ok: true, message };
}
