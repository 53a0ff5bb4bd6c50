// Request helpers of the control endpoints (control-api.ts, control-accounts.ts): errors with
// an HTTP status, JSON bodies, query parameters.
import type { IncomingMessage } from 'node:http';
import { readBody } from './http-io.ts';

export class ControlError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ControlError(400, 'request body must be JSON');
  }
}

export function object(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ControlError(400, 'request body must be a JSON object');
  return value as Record<string, unknown>;
}

export function seqParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  if (!/^[0-9]+$/.test(raw)) throw new ControlError(400, `${name} must be a non-negative integer`);
  return Number(raw);
}
