// The EC2 back end as the query front sees it, reporting its trailed writes (CloudTrail): the
// front (ec2/front.ts) hands it the decoded input and the caller is in the request context, so
// the events need no change to the EC2 code.
import { randomUUID } from 'node:crypto';
import { AwsError } from './aws-error.ts';
import { isTrailed } from './cloudtrail.ts';
import type { TrailedCall } from './cloudtrail.ts';
import { currentRequest } from './request-context.ts';
import type { ServiceBackend } from './types.ts';

export function trailedBackend(backend: ServiceBackend, emit: (call: Omit<TrailedCall, 'region'>) => void): ServiceBackend {
  const report = (operation: string, input: Record<string, unknown>, output: unknown, error: unknown): void => {
    const context = currentRequest();
    if (!context || !isTrailed('ec2', operation)) return;
    // Only the back end's own refusals: an internal error is the emulator's, not the caller's.
    if (error !== undefined && !(error instanceof AwsError)) return;
    const failure = error instanceof AwsError ? { error: { code: error.code, message: error.message } } : {};
    emit({ service: 'ec2', operation, input, output, ...failure, requestId: randomUUID(), context });
  };
  return {
    name: backend.name,
    targetPrefix: backend.targetPrefix,
    handle: async (operation, input) => {
      try {
        const output = await backend.handle(operation, input);
        report(operation, input, output, undefined);
        return output;
      } catch (error) {
        report(operation, input, undefined, error);
        throw error;
      }
    },
    reset: () => backend.reset(),
    snapshot: () => backend.snapshot(),
    restore: (snapshot) => backend.restore(snapshot),
  };
}
