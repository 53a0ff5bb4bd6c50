// The pacing lives with the SDK clients (reconciler/aws/rate-limit.ts), where the CLI uses it too.
export { TokenBucket, paceClient, realPaceClock } from '../../reconciler/aws/rate-limit.ts';
export type { BucketOptions, PaceClock } from '../../reconciler/aws/rate-limit.ts';
