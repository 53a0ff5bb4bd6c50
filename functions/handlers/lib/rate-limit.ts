// The pacing lives with the SDK clients (reconciler/aws/rate-limit.ts), where the CLI uses it too.
export { TokenBucket, paceClient } from '../../reconciler/aws/rate-limit.ts';
export type { BucketOptions } from '../../reconciler/aws/rate-limit.ts';
