// One SQS queue's messages, on an injectable clock: FIFO groups delivered in order with nothing
// later of a group delivered while one of its messages is in flight, deduplication within a
// window, visibility timeouts, delays, retention and redrive to a dead-letter queue. No I/O:
// the back end (backend.ts) owns the queues, long polling and the wire.
import { hash, randomUUID } from 'node:crypto';
import { randomHex } from '../random-hex.ts';
import type { MessageAttributeValue } from './md5.ts';
import { md5Hex, md5OfAttributes } from './md5.ts';

export interface StoredMessage {
  id: string;
  body: string;
  md5: string;
  attributes?: Record<string, MessageAttributeValue>;
  md5Attributes?: string;
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
  sentAt: number;
  /** Not deliverable before (DelaySeconds). */
  availableAt: number;
  /** In flight until then (0: never received, or visible again). */
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  /** The receipt handle of the latest receive; older ones have expired. */
  handle?: string;
  /** Set on a message moved here by redrive. */
  sourceArn?: string;
}

export interface QueueSettings {
  fifo: boolean;
  contentBasedDeduplication: boolean;
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  delaySeconds: number;
  redrive?: { deadLetterTargetArn: string; maxReceiveCount: number };
}

export interface SendInput {
  body: string;
  attributes?: Record<string, MessageAttributeValue>;
  groupId?: string;
  dedupId?: string;
  delaySeconds?: number;
}

export interface SendResult {
  id: string;
  md5: string;
  md5Attributes?: string;
  sequenceNumber?: string;
}

/** SQS's own deduplication interval; tests shorten it (the emulator's `sqsDeduplicationWindowMs`). */
export const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;

export class SqsQueue {
  readonly name: string;
  readonly arn: string;
  settings: QueueSettings;
  private messages: StoredMessage[] = [];
  private dedup = new Map<string, { expiresAt: number; result: SendResult }>();
  /** No dedup entry expires before this (a lower bound): sends skip the sweep until then. */
  private dedupSweepAt = Infinity;
  /** No message was sent before this (a lower bound): retention has nothing to drop until then. */
  private oldestSentAt = Infinity;
  private sequence = 0n;
  private readonly now: () => number;
  private readonly dedupWindowMs: () => number;

  constructor(
    name: string,
    arn: string,
    settings: QueueSettings,
    now: () => number,
    dedupWindowMs: () => number = () => DEDUPLICATION_WINDOW_MS,
  ) {
    this.name = name;
    this.arn = arn;
    this.settings = settings;
    this.now = now;
    this.dedupWindowMs = dedupWindowMs;
  }

  /** Enqueues a message; a FIFO duplicate within the window answers the first send's result and adds nothing. */
  send(input: SendInput): SendResult {
    const now = this.now();
    const dedupId = input.dedupId ?? (this.settings.fifo && this.settings.contentBasedDeduplication ? sha256(input.body) : undefined);
    if (this.settings.fifo && dedupId !== undefined) {
      if (now >= this.dedupSweepAt) this.sweepDedup(now);
      const seen = this.dedup.get(dedupId);
      // The first send's MessageId, but digests of this request's body (the SDK checks them against what it sent).
      if (seen) return duplicateOf(seen.result, input);
    }
    const message: StoredMessage = {
      id: randomUUID(),
      body: input.body,
      md5: md5Hex(input.body),
      sentAt: now,
      availableAt: now + (input.delaySeconds ?? this.settings.delaySeconds) * 1000,
      visibleAt: 0,
      receiveCount: 0,
    };
    if (input.attributes && Object.keys(input.attributes).length > 0) {
      message.attributes = input.attributes;
      message.md5Attributes = md5OfAttributes(input.attributes);
    }
    if (this.settings.fifo) {
      message.groupId = input.groupId;
      message.dedupId = dedupId;
      message.sequenceNumber = String(++this.sequence).padStart(20, '0');
    }
    this.messages.push(message);
    if (message.sentAt < this.oldestSentAt) this.oldestSentAt = message.sentAt;
    const result: SendResult = { id: message.id, md5: message.md5 };
    if (message.md5Attributes) result.md5Attributes = message.md5Attributes;
    if (message.sequenceNumber) result.sequenceNumber = message.sequenceNumber;
    if (this.settings.fifo && dedupId !== undefined) {
      const expiresAt = now + this.dedupWindowMs();
      this.dedup.set(dedupId, { expiresAt, result });
      if (expiresAt < this.dedupSweepAt) this.dedupSweepAt = expiresAt;
    }
    return result;
  }

  /** A message redrive moved here from its source queue: same id, body and group, counted afresh. */
  accept(moved: StoredMessage, sourceArn: string): void {
    const copy: StoredMessage = { ...moved, visibleAt: 0, receiveCount: 0, availableAt: this.now(), sourceArn };
    delete copy.handle;
    delete copy.firstReceiveAt;
    if (this.settings.fifo) copy.sequenceNumber = String(++this.sequence).padStart(20, '0');
    this.messages.push(copy);
    if (copy.sentAt < this.oldestSentAt) this.oldestSentAt = copy.sentAt;
  }

  /**
   * Up to `max` deliverable messages, made invisible for `visibilitySeconds`. In a FIFO queue a
   * group with a message in flight (or delayed) yields nothing after it. A message already received
   * maxReceiveCount times goes to the dead-letter queue instead (`moveToDeadLetter` answers whether it could).
   */
  receive(max: number, visibilitySeconds: number | undefined, moveToDeadLetter: (m: StoredMessage) => boolean): StoredMessage[] {
    const now = this.now();
    this.expire(now);
    const blocked = new Set<string | undefined>();
    const out: StoredMessage[] = [];
    for (const m of [...this.messages]) {
      if (out.length >= max) break;
      if (this.settings.fifo && blocked.has(m.groupId)) continue;
      if (m.visibleAt > now || m.availableAt > now) {
        if (this.settings.fifo) blocked.add(m.groupId);
        continue;
      }
      const redrive = this.settings.redrive;
      if (redrive && m.receiveCount >= redrive.maxReceiveCount && moveToDeadLetter(m)) {
        this.remove(m);
        continue;
      }
      m.receiveCount++;
      m.firstReceiveAt ??= now;
      m.visibleAt = now + (visibilitySeconds ?? this.settings.visibilityTimeoutSeconds) * 1000;
      m.handle = encodeHandle(this.name, m.id, m.receiveCount);
      out.push(m);
    }
    return out;
  }

  /** 'ok' also for a message already deleted (SQS answers success); 'invalid' for a handle not of this queue or expired. */
  delete(handle: string): 'ok' | 'invalid' {
    const found = this.find(handle);
    if (found === 'invalid') return 'invalid';
    if (found !== 'gone') this.remove(found);
    return 'ok';
  }

  changeVisibility(handle: string, seconds: number): 'ok' | 'invalid' | 'not-in-flight' {
    const found = this.find(handle);
    if (found === 'invalid' || found === 'gone') return 'invalid';
    if (found.visibleAt <= this.now()) return 'not-in-flight';
    found.visibleAt = this.now() + seconds * 1000;
    return 'ok';
  }

  purge(): void {
    this.messages = [];
  }

  counts(): { visible: number; inFlight: number; delayed: number; oldestAgeSeconds: number } {
    const now = this.now();
    this.expire(now);
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const m of this.messages) {
      if (m.availableAt > now) delayed++;
      else if (m.visibleAt > now) inFlight++;
      else visible++;
    }
    const oldest = this.messages[0];
    return { visible, inFlight, delayed, oldestAgeSeconds: oldest ? Math.floor((now - oldest.sentAt) / 1000) : 0 };
  }

  /** The earliest future moment a message becomes deliverable (for long polls), if any. */
  nextChangeAt(): number | undefined {
    const now = this.now();
    let next: number | undefined;
    for (const m of this.messages) {
      const at = Math.max(m.visibleAt, m.availableAt);
      if (at > now && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  private find(handle: string): StoredMessage | 'gone' | 'invalid' {
    const decoded = decodeHandle(handle);
    if (!decoded || decoded.queue !== this.name) return 'invalid';
    const m = this.messages.find((x) => x.id === decoded.id);
    if (!m) return 'gone';
    return m.handle === handle ? m : 'invalid';
  }

  private remove(m: StoredMessage): void {
    const i = this.messages.indexOf(m);
    if (i !== -1) this.messages.splice(i, 1);
  }

  /** Forgets the deduplication ids whose window has passed. */
  private sweepDedup(now: number): void {
    let next = Infinity;
    for (const [key, entry] of this.dedup) {
      if (entry.expiresAt <= now) this.dedup.delete(key);
      else if (entry.expiresAt < next) next = entry.expiresAt;
    }
    this.dedupSweepAt = next;
  }

  private expire(now: number): void {
    const limit = now - this.settings.retentionSeconds * 1000;
    // Receives and attribute reads call this each time: scan only when something may be due.
    if (!(limit >= this.oldestSentAt)) return;
    let oldest = Infinity;
    let due = false;
    for (const m of this.messages) {
      if (m.sentAt <= limit) due = true;
      else if (m.sentAt < oldest) oldest = m.sentAt;
    }
    if (due) this.messages = this.messages.filter((m) => m.sentAt > limit);
    this.oldestSentAt = oldest;
  }
}

function duplicateOf(first: SendResult, input: SendInput): SendResult {
  const out: SendResult = { ...first, md5: md5Hex(input.body) };
  delete out.md5Attributes;
  if (input.attributes && Object.keys(input.attributes).length > 0) out.md5Attributes = md5OfAttributes(input.attributes);
  return out;
}

function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}

// A receipt handle names its queue, message and receive, plus random bytes so it cannot be guessed.
function encodeHandle(queue: string, id: string, receive: number): string {
  return Buffer.from(JSON.stringify({ q: queue, m: id, n: receive, r: randomHex(8) })).toString('base64');
}

function decodeHandle(handle: string): { queue: string; id: string } | undefined {
  try {
    const value = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as { q?: unknown; m?: unknown };
    return typeof value.q === 'string' && typeof value.m === 'string' ? { queue: value.q, id: value.m } : undefined;
  } catch {
    return undefined;
  }
}
