// The one place the SDK clients are built, so every entry point (Lambda, CLI, tests) gets the
// same retry and timeout behaviour.
//
// Retry choice: the SDK's own standard strategy (token-bucket retry budget, exponential backoff
// with full jitter, longer base for throttling, honours Retry-After), with 5 attempts instead of 3.
// Our calls are control-plane reads and idempotent writes (UpdateServer with the same values,
// Start/Stop, Tag/Untag), so retrying them is safe; throttling is the fault we expect most (the
// sweep runs close to the account's rate), and 5 attempts ride out a burst of it, while the retry
// budget stops a storm from multiplying load. InvalidRequest, AccessDenied and ResourceNotFound are
// never retried (the standard strategy retries only throttling, transient and 5xx errors), and
// ConflictException during STARTING/STOPPING is handled by the apply layer, which waits for the state.
// Timeouts: a dropped connection must not hang a Lambda until its deadline.
import { EC2Client } from '@aws-sdk/client-ec2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { TransferClient } from '@aws-sdk/client-transfer';
import { TokenBucket, paceClient } from './rate-limit.ts';

export const MAX_ATTEMPTS = 5;
export const CONNECTION_TIMEOUT_MS = 3_000;
export const REQUEST_TIMEOUT_MS = 15_000;
const LOCAL_REGION = 'us-east-1';

export interface AwsSettings {
  endpointUrl?: string;
  region?: string;
  profile?: string;
  /** Overrides MAX_ATTEMPTS (benchmarks compare against SDK defaults). */
  maxAttempts?: number;
  /**
   * Pace every attempt to at most this many per second per service, strictly spaced (the CLI;
   * the Lambdas pace in handlers/lib/clients.ts, from their config).
   */
  callsPerSecond?: { transfer: number; ssm: number };
}

export interface AwsClients {
  transfer: TransferClient;
  ssm: SSMClient;
  /** The VPC endpoint of a VPC server (security groups): DescribeVpcEndpoints, ModifyVpcEndpoint. */
  ec2: EC2Client;
}

/** Closes the clients' connections (the CLI, before it exits). */
export function destroyClients(clients: AwsClients): void {
  clients.transfer.destroy();
  clients.ssm.destroy();
  clients.ec2.destroy();
}

export function isLoopback(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** Configuration shared by both clients. Pure, so tests can check it. */
export function clientConfig(settings: AwsSettings, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const local = isLoopback(settings.endpointUrl);
  const region = settings.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (local ? LOCAL_REGION : undefined);
  const hasCredentials = Boolean(
    settings.profile ??
    env.AWS_PROFILE ??
    env.AWS_ACCESS_KEY_ID ??
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI ??
    env.AWS_WEB_IDENTITY_TOKEN_FILE,
  );
  const config: Record<string, unknown> = {
    maxAttempts: settings.maxAttempts ?? MAX_ATTEMPTS,
    retryMode: 'standard',
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
  };
  if (region) config.region = region;
  if (settings.endpointUrl) config.endpoint = settings.endpointUrl;
  if (settings.profile) config.profile = settings.profile;
  // The local emulator accepts any signature; a newcomer running `npm start` has no AWS account.
  if (local && !hasCredentials) config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  return config;
}

export function createClients(settings: AwsSettings = {}): AwsClients {
  const config = clientConfig(settings);
  const clients = { transfer: new TransferClient(config), ssm: new SSMClient(config), ec2: new EC2Client(config) };
  const rates = settings.callsPerSecond;
  if (rates) {
    // Strictly spaced (burst 1): never faster than the rate in any window, whatever burst the service allows.
    paceClient(clients.transfer, new TokenBucket(rates.transfer));
    paceClient(clients.ssm, new TokenBucket(rates.ssm));
    // EC2's request quota is its own and larger; the Transfer rate is a safe ceiling for its few calls.
    paceClient(clients.ec2, new TokenBucket(rates.transfer));
  }
  return clients;
}

/**
 * The queue's client (router, enumerator): kept out of AwsClients so the engine's callers (the CLI,
 * the direct handlers, tests) need none. Same retry and timeout settings as the others.
 */
export function queueClient(settings: AwsSettings = {}): SQSClient {
  return new SQSClient(clientConfig(settings));
}
