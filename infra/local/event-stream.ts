// Serves the event bus over HTTP so another process can follow it: `GET /_emulator/events`
// answers application/x-ndjson, one event per line (exactly the EventBridge event), and stays
// open. `?since=<seq>` first replays the buffered events after seq. The header
// X-Emulator-First-Seq gives the seq of the first line; lines are consecutive from there.
import type { ServerResponse } from 'node:http';
import type { EventBus } from './event-bus.ts';

export class EventStreams {
  private readonly bus: EventBus;
  private open = new Set<ServerResponse>();

  constructor(bus: EventBus) {
    this.bus = bus;
  }

  serve(res: ServerResponse, since: number | undefined): void {
    const replay = since === undefined ? [] : this.bus.since(since);
    const firstSeq = replay[0]?.seq ?? this.bus.lastSeq + 1;
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-cache', 'X-Emulator-First-Seq': String(firstSeq) });
    res.flushHeaders();
    for (const { event } of replay) res.write(`${JSON.stringify(event)}\n`);
    const unsubscribe = this.bus.subscribe((event) => {
      res.write(`${JSON.stringify(event)}\n`);
    });
    this.open.add(res);
    res.on('close', () => {
      unsubscribe();
      this.open.delete(res);
    });
  }

  /** Ends every open stream (the emulator is stopping). */
  closeAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }
}
