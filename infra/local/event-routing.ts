// Where each account-region's events go. Every account-region has its own bus (its account's
// default event bus in that region); the hub bus — the default account's, where the reconciler
// listens — also receives every other account's events, as the spokes' forwarding rules send them
// there (EventBridge keeps each event's `account` and `region`). A spoke without its forwarding
// rule (`setForwarding(account, false)`) keeps its events on its own buses.
import { keyOf } from './account-region.ts';
import { EventBus } from './event-bus.ts';
import type { EmulatorEvent } from './types.ts';

export class EventRouter {
  readonly hub: EventBus;
  readonly hubAccount: string;
  private readonly local = new Map<string, EventBus>();
  private readonly unforwarded = new Set<string>();
  private readonly pending = new Set<ReturnType<typeof setTimeout>>();
  private readonly onListenerError: (err: unknown) => void;

  constructor(hubAccount: string, onListenerError: (err: unknown) => void) {
    this.hubAccount = hubAccount;
    this.onListenerError = onListenerError;
    this.hub = new EventBus(undefined, onListenerError);
  }

  /** The bus of one account-region (created on first use). */
  busOf(accountId: string, region: string): EventBus {
    const key = keyOf(accountId, region);
    let bus = this.local.get(key);
    if (!bus) {
      bus = new EventBus(undefined, this.onListenerError);
      this.local.set(key, bus);
    }
    return bus;
  }

  /** Turns a spoke account's forwarding rule on (default) or off; the hub account's own events always arrive. */
  setForwarding(accountId: string, on: boolean): void {
    if (accountId === this.hubAccount) throw new Error(`account ${accountId} is the hub: its events are always on its bus`);
    if (on) this.unforwarded.delete(accountId);
    else this.unforwarded.add(accountId);
  }

  isForwarded(accountId: string): boolean {
    return !this.unforwarded.has(accountId);
  }

  /** Accounts whose events do not reach the hub. */
  unforwardedAccounts(): string[] {
    return [...this.unforwarded].sort();
  }

  /** Publishes after `delayMs` (0: now) on the event's account-region bus, and on the hub when forwarded. */
  publishLater(event: EmulatorEvent, delayMs: number): void {
    if (delayMs <= 0) {
      this.publish(event);
      return;
    }
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      this.publish(event);
    }, delayMs);
    this.pending.add(timer);
  }

  publish(event: EmulatorEvent): void {
    this.busOf(event.account, event.region).publish(event);
    if (event.account === this.hubAccount || this.isForwarded(event.account)) this.hub.publish(event);
  }

  /** Drops every event not yet published (the emulator is stopping). */
  cancelPending(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }

  /** Forgets every bus's buffered events; sequence numbers keep counting. */
  clear(): void {
    this.hub.clear();
    for (const bus of this.local.values()) bus.clear();
  }
}
