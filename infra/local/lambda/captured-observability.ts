// Runs the Lambdas' Powertools Logger and Metrics locally with their output captured line by line
// (for the demo and the tests) instead of written to stdout. Both write through a private
// `console` field (a node:console Console on stdout in Lambda); replacing it is the one way in.
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../../functions/handlers/lib/observability.ts';
import type { Observability } from '../../../functions/handlers/lib/observability.ts';
import type { Outcome } from '../../../functions/reconciler/types.ts';

export type LogLine = Record<string, unknown> & { message?: string; level?: string };

export interface Captured extends Observability {
  lines: LogLine[];
  /** Log lines with message "outcome", their outcome payload. */
  outcomes(): Outcome[];
  /** The EMF documents written by Metrics. */
  emf(): LogLine[];
  clear(): void;
  /** One line written elsewhere (a function instance in a worker thread), taken as if written here. */
  write(raw: string): void;
  /** Another Logger/Metrics pair writing into the same lines: one per function, as in Lambda. */
  another(): Observability;
}

/** Logger and Metrics as the handlers build them; every line must be one JSON document. */
export function capturedObservability(onLine: (raw: string, parsed: LogLine) => void = () => {}): Captured {
  const lines: LogLine[] = [];
  let pending = '';
  const take = (line: string): void => {
    const parsed = JSON.parse(line) as LogLine;
    lines.push(parsed);
    onLine(line, parsed);
  };
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString();
      let nl = pending.indexOf('\n');
      while (nl !== -1) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.trim() !== '') take(line);
        nl = pending.indexOf('\n');
      }
      done();
    },
  });
  const out = new Console({ stdout: sink, stderr: sink });
  const pair = (): Observability => {
    const logger = new Logger({ serviceName: SERVICE_NAME });
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
    Object.assign(logger, { console: out });
    Object.assign(metrics, { console: out });
    return { logger, metrics };
  };
  return {
    ...pair(),
    another: pair,
    lines,
    outcomes: () => lines.filter((l) => l.message === 'outcome').map((l) => l.outcome as Outcome),
    emf: () => lines.filter((l) => l._aws !== undefined),
    clear: () => {
      lines.length = 0;
    },
    write: (raw) => {
      if (raw.trim() !== '') take(raw);
    },
  };
}
