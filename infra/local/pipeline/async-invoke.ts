// Lambda's asynchronous invocation, as EventBridge invokes a rule's target: an idle instance is
// reused, a busy one means another instance; a throw is retried twice (AWS: after about 1 and 2
// minutes; here after short delays), then the event is given up (AWS: the on-failure destination,
// the router's dead-letter queue), counted by the caller.
import type { Context } from 'aws-lambda';
import { lambdaContext } from '../lambda/context.ts';

export interface AsyncInvokeHooks {
  onInvoke(): void;
  onRetry(): void;
  onGiveUp(error: unknown): void;
}

export function asyncInvoker<E>(
  create: () => (event: E, context: Context) => Promise<unknown>,
  settings: { functionName: string; timeoutMs: number; retryDelaysMs: readonly number[] },
  hooks: AsyncInvokeHooks,
): (event: E) => Promise<void> {
  const idle: Array<(event: E, context: Context) => Promise<unknown>> = [];
  return async (event) => {
    for (let attempt = 0; ; attempt++) {
      const handler = idle.pop() ?? create();
      hooks.onInvoke();
      let failure: { error: unknown } | undefined;
      try {
        await handler(event, lambdaContext(settings.timeoutMs, settings.functionName));
      } catch (error) {
        failure = { error };
      } finally {
        idle.push(handler);
      }
      if (failure === undefined) return;
      if (attempt >= settings.retryDelaysMs.length) return hooks.onGiveUp(failure.error);
      hooks.onRetry();
      await new Promise((resolve) => setTimeout(resolve, settings.retryDelaysMs[attempt]));
    }
  };
}
