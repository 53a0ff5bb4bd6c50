// The queue's message (docs/pipeline.md): built by the router and the enumerator, parsed by the
// worker. The body names a server and why; the worker reads the current server (level-triggered)
// and trusts nothing here beyond the key. A schedule message may carry the document as the
// enumerator listed it: the worker plans from it and confirms it with SSM before its first write,
// so an in-sync server costs one DescribeServer and no GetParameter.
import { createHash, randomUUID } from 'node:crypto';
import { isAccountId, isRegion } from '../desired/aws-region.ts';
import type { ServerAddress } from '../desired/server-address.ts';
import { addressKey } from '../desired/server-address.ts';
import { isServerId } from '../desired/server-id.ts';
import { looksLikeKeyMaterial } from '../../shared/key-material.ts';

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
  /** The document as the trigger saw it; `text` only as listedDocument() allows (never key material). */
  document?: { name: string; version?: number; text?: string };
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

/** A carried text's JSON at most this long: ten of them stay well under SendMessageBatch's 256 KiB. */
const CARRIED_JSON_MAX = 20_000;

/**
 * The document a schedule message carries: its text only when it is a String parameter (a listing
 * decrypts SecureStrings, and those never go into a queue), holds nothing that looks like key
 * material, and is small enough; otherwise its name and version alone (the worker reads it).
 */
export function listedDocument(d: {
  name: string;
  version?: number;
  type: string;
  text: string;
}): NonNullable<ReconcileMessage['document']> {
  const base = { name: d.name, ...(d.version !== undefined ? { version: d.version } : {}) };
  const carry = d.type === 'String' && JSON.stringify(d.text).length <= CARRIED_JSON_MAX && !looksLikeKeyMaterial(d.text);
  return carry ? { ...base, text: d.text } : base;
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
    const d = v.document as { name?: unknown; version?: unknown; text?: unknown } | null;
    if (typeof d?.name !== 'string') return { ok: false, problem: 'document.name is not a string' };
    if (d.version !== undefined && !Number.isInteger(d.version)) return { ok: false, problem: 'document.version is not an integer' };
    if (d.text !== undefined && typeof d.text !== 'string') return { ok: false, problem: 'document.text is not a string' };
    message.document = {
      name: d.name,
      ...(typeof d.version === 'number' ? { version: d.version } : {}),
      ...(typeof d.text === 'string' ? { text: d.text } : {}),
    };
  }
  return { ok: true, message };
}
