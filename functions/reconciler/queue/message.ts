// The queue's message (docs/pipeline.md): built by the router and the enumerator, parsed by the
// worker. The body only names a server and why: the worker always reads the current document and
// server (level-triggered), so nothing here is trusted beyond the key.
import { randomUUID } from 'node:crypto';
import { isServerId } from '../desired/server-id.ts';

export const MESSAGE_REASONS = ['document', 'host-key', 'api-call', 'schedule'] as const;
export type MessageReason = (typeof MESSAGE_REASONS)[number];
export type MessageTrigger = 'event' | 'schedule';

export interface ReconcileMessage {
  serverId: string;
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

/** One message group per server: SQS FIFO then serialises the reconciles of one server. */
export function groupIdOf(serverId: string): string {
  return serverId;
}

/**
 * Unique per trigger and server: the event id (EventBridge's at-least-once redelivery of the same
 * event is dropped) plus the server id (one host-key event keys many servers, and deduplication is
 * queue-wide). Never the server id alone or a time bucket: that would drop a second change made
 * minutes after the first. Without an event id, a random id.
 */
export function deduplicationIdOf(message: Pick<ReconcileMessage, 'serverId' | 'source'>): string {
  const base = message.source !== undefined && /^[\w.:/-]{1,100}$/.test(message.source) ? message.source : randomUUID();
  return `${base}:${message.serverId}`;
}

export function buildMessage(message: ReconcileMessage): OutgoingMessage {
  const parsed = validate(message);
  if (!parsed.ok) throw new Error(`refusing to send an invalid reconcile message: ${parsed.problem}`);
  return { groupId: groupIdOf(message.serverId), deduplicationId: deduplicationIdOf(message), body: JSON.stringify(parsed.message) };
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
  const message: ReconcileMessage = {
    serverId: v.serverId,
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
