// The emulator's servers, keyed by ServerId. Reads settle lifecycle transitions against the
// clock first, so every answer shows the state as of now.
import { AwsError } from '../aws-error.ts';
import type { StoredServer } from './server-types.ts';
import { settle } from './states.ts';

export interface StoreSnapshot {
  version: 1;
  nextSeq: number;
  /** Absent in files written before host keys were several. */
  lastImported?: number;
  servers: StoredServer[];
}

export function notFound(serverId: string): AwsError {
  return new AwsError('ResourceNotFoundException', `Unknown server: ${serverId}`, {
    status: 400,
    fields: { Resource: serverId, ResourceType: 'Server' },
  });
}

export class ServersStore {
  private servers = new Map<string, StoredServer>();
  private nextSeq = 1;
  private lastImported = 0;
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  find(serverId: string): StoredServer | undefined {
    const server = this.servers.get(serverId);
    if (server !== undefined) settle(server.lifecycle, this.now());
    return server;
  }

  /** The server, or ResourceNotFoundException. */
  get(serverId: string): StoredServer {
    const server = this.find(serverId);
    if (server === undefined) throw notFound(serverId);
    return server;
  }

  add(server: Omit<StoredServer, 'seq'>): StoredServer {
    const stored: StoredServer = { ...server, seq: this.nextSeq++ };
    this.servers.set(stored.ServerId, stored);
    return stored;
  }

  delete(serverId: string): void {
    this.servers.delete(serverId);
  }

  /** All servers in creation order. */
  list(): StoredServer[] {
    const now = this.now();
    const all = [...this.servers.values()].sort((a, b) => a.seq - b.seq);
    for (const server of all) settle(server.lifecycle, now);
    return all;
  }

  /**
   * A DateImported for a key imported now: strictly later than every earlier one, even within one
   * millisecond, so "the oldest key of each algorithm" is always well defined.
   */
  stampImport(): number {
    this.lastImported = Math.max(this.now(), this.lastImported + 1);
    return this.lastImported;
  }

  clear(): void {
    this.servers.clear();
    this.nextSeq = 1;
    this.lastImported = 0;
  }

  snapshot(): StoreSnapshot {
    return { version: 1, nextSeq: this.nextSeq, lastImported: this.lastImported, servers: structuredClone([...this.servers.values()]) };
  }

  /** `migrate` upgrades a server saved by an older emulator (one key, no key list). */
  restore(snapshot: StoreSnapshot, migrate: (server: StoredServer) => StoredServer = (server) => server): void {
    this.clear();
    for (const server of structuredClone(snapshot.servers)) this.servers.set(server.ServerId, migrate(server));
    this.nextSeq = snapshot.nextSeq;
    const imported = [...this.servers.values()].flatMap((server) => server.hostKeys.map((key) => key.DateImported));
    this.lastImported = Math.max(snapshot.lastImported ?? 0, ...imported);
  }
}
