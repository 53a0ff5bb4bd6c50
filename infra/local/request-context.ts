// Who is calling and where (the caller's account, the signing region), for the code a request
// passes through without being handed it (the EC2 and STS fronts, the call log, the fault
// buckets): AsyncLocalStorage set by aws-front.ts around each request.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CallerIdentity } from './principals.ts';

export interface RequestContext {
  caller: CallerIdentity;
  /** The signing region (the emulator's default region when unsigned). */
  region: string;
  sourceIp: string;
  userAgent: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function withRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}
