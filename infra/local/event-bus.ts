// Delivers the emulator's EventBridge events (SSM Parameter Store changes, CloudTrail API calls)
// to in-process subscribers and keeps the last ones (numbered) so that an HTTP follower can
// replay what it missed with `?since=<seq>`. AWS's delivery delay is modelled where events are
// routed (event-routing.ts `publishLater`).
import type { EmulatorEvent } from './types.ts';

export type EventListener = (event: EmulatorEvent, seq: number) => void;

export const DEFAULT_EVENT_BUFFER = 10_000;

export class EventBus {
  private buffer: Array<{ seq: number; event: EmulatorEvent }> = [];
  private listeners = new Set<EventListener>();
  private nextSeq = 1;
  private readonly limit: number;
  private readonly onListenerError: (err: unknown) => void;

  constructor(limit = DEFAULT_EVENT_BUFFER, onListenerError: (err: unknown) => void = () => {}) {
    this.limit = limit;
    this.onListenerError = onListenerError;
  }

  publish(event: EmulatorEvent): number {
    const seq = this.nextSeq++;
    this.buffer.push({ seq, event });
    if (this.buffer.length > this.limit) this.buffer.splice(0, this.buffer.length - this.limit);
    for (const fn of [...this.listeners]) {
      // A failing subscriber must not break the call that emitted the event, nor the others.
      try {
        fn(event, seq);
      } catch (err) {
        this.onListenerError(err);
      }
    }
    return seq;
  }

  /** Calls `fn` for every event published from now on; returns the unsubscribe function. */
  subscribe(fn: EventListener): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  /** Buffered events with seq greater than `since`, oldest first. */
  since(since = 0): Array<{ seq: number; event: EmulatorEvent }> {
    return this.buffer.filter((e) => e.seq > since);
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Forgets buffered events; sequence numbers keep counting. */
  clear(): void {
    this.buffer = [];
  }
}
