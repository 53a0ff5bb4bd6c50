// Who is calling, for the code a request passes through without being handed it (the EC2
// front's back end and call log): AsyncLocalStorage set by aws-front.ts around each request.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CallerIdentity } from './principals.ts';

export interface RequestContext {
  caller: CallerIdentity;
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
