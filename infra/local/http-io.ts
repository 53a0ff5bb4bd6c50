// Small HTTP helpers shared by the emulator's AWS front and its control endpoints.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const AWS_JSON = 'application/x-amz-json-1.1';
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super(`request body larger than ${MAX_BODY_BYTES} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * The whole body as UTF-8. Events rather than `for await`: the async iterator costs more than the
 * rest of a small request's reading. As the iterator does, a body over the limit destroys the
 * request (not its connection), a request closed before its end fails with ERR_STREAM_PREMATURE_CLOSE, and a later
 * 'error' of the request stays handled.
 */
export function readBody(req: IncomingMessage): Promise<string> {
  if (req.readableEnded) return Promise.resolve('');
  if (req.destroyed) return Promise.reject(prematureClose());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      fn();
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        settle(() => reject(new BodyTooLargeError()));
        // As the iterator's early exit did (the streams' destroyer for a server request): the
        // request is detached from its socket before it is destroyed, so an answer still goes out.
        (req as { socket: IncomingMessage['socket'] | null }).socket = null;
        req.destroy(abortError());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void =>
      settle(() => resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    const onError = (err: Error): void => settle(() => reject(err));
    const onClose = (): void => settle(() => reject(prematureClose()));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
}

function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/json',
): void {
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
