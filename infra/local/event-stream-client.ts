// Follows the emulator's event stream (`GET <url>/_emulator/events`) from another process.
// The stream carries every event (Parameter Store changes and CloudTrail API calls);
// `followEvents` passes on the Parameter Store changes only, as it always did, and
// `followAllEvents` every event. Sequence numbers count every line either way.
import { request } from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { EmulatorEvent, ParameterStoreChangeEvent } from './types.ts';

export interface FollowOptions {
  /** Replay the buffered events after this seq first (0 = everything still buffered). */
  since?: number;
  /** Called once the stream is open (headers received). */
  onOpen?: () => void;
  /** Called when the stream fails or the emulator closes it. */
  onEnd?: (err?: Error) => void;
}

export interface EventFollower {
  close(): void;
}

export function followEvents(
  url: string,
  onEvent: (event: ParameterStoreChangeEvent, seq: number) => void,
  options: FollowOptions = {},
): EventFollower {
  return followAllEvents(
    url,
    (event, seq) => {
      if (event.source === 'aws.ssm') onEvent(event, seq);
    },
    options,
  );
}

export function followAllEvents(
  url: string,
  onEvent: (event: EmulatorEvent, seq: number) => void,
  options: FollowOptions = {},
): EventFollower {
  const target = new URL('/_emulator/events', url);
  if (options.since !== undefined) target.searchParams.set('since', String(options.since));
  let closed = false;
  let ended = false;
  const end = (err?: Error): void => {
    if (ended) return;
    ended = true;
    if (!closed) options.onEnd?.(err);
  };
  const req: ClientRequest = request(target, { method: 'GET', headers: { accept: 'application/x-ndjson' } }, (res: IncomingMessage) => {
    if (res.statusCode !== 200) {
      res.resume();
      end(new Error(`event stream answered HTTP ${res.statusCode}`));
      return;
    }
    let seq = Number(res.headers['x-emulator-first-seq'] ?? 1);
    let pending = '';
    res.setEncoding('utf8');
    options.onOpen?.();
    res.on('data', (chunk: string) => {
      pending += chunk;
      let nl = pending.indexOf('\n');
      while (nl !== -1) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.trim() !== '') onEvent(JSON.parse(line) as EmulatorEvent, seq++);
        nl = pending.indexOf('\n');
      }
    });
    res.on('end', () => end());
    res.on('error', (err) => end(err));
  });
  req.on('error', (err) => end(err));
  req.end();
  return {
    close() {
      closed = true;
      req.destroy();
    },
  };
}
