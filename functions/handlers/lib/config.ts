// The Lambdas' settings, read from the environment in this one place (serverless.yml sets them
// from the stage parameters). A bad value stops the cold start with a message naming the variable,
// rather than reconciling with a silently different setting.
import { DEFAULT_ACCOUNTS_PARAMETER } from '../../reconciler/desired/accounts-rules.ts';
import { DEFAULT_OFFLINE_WINDOW_MS, DEFAULT_PREFIX } from '../../reconciler/reconcile.ts';

export const DEFAULT_HOST_KEY_PREFIX = '/transfer-reconciler/host-keys/';

export interface HandlerConfig {
  /** Desired-state documents live at `<prefix><ServerId>`. */
  prefix: string;
  /** Host-key parameters under this path trigger the servers that reference them. */
  hostKeyPrefix: string;
  /** `detect` makes the whole deployment a dry run, whatever the documents say. */
  mode: 'enforce' | 'detect';
  /** Reconciles in flight at once (sweep, and a host key shared by many servers). */
  concurrency: number;
  /** Pacing: at most this many Transfer / SSM API calls (attempts) per second per Lambda instance. */
  transferCallsPerSecond: number;
  ssmCallsPerSecond: number;
  /** Kept back from every reconcile's deadline for the last log lines and metrics. */
  flushReserveMs: number;
  offlineWindowMs: number;
  /** AWS_ENDPOINT_URL: unset in AWS; set to run the bundles against the local emulator. */
  endpointUrl?: string;
  /** RECONCILE_QUEUE_URL: the FIFO queue the router and the enumerator send to (the worker returns failed records to it). */
  queueUrl?: string;
  /** RECONCILER_ROLE_ARNS (comma-separated): CloudTrail events made by these roles are the reconciler's own writes, dropped. */
  reconcilerRoleArns: string[];
  /** WORKER_MAX_CONCURRENCY: the event source mapping's MaximumConcurrency (2–1000); the pacing divides by it. */
  workerMaxConcurrency: number;
  /** ENDPOINT_LOOKUP_LIMIT: at most this many DescribeServer calls to map a ModifyVpcEndpoint event to its server. */
  endpointLookupLimit: number;
  /** RETRY_BASE_DELAY_SECONDS: a retryable failure's message comes back after base × 2^(receives − 1) s, at most 15 min. */
  retryBaseDelaySeconds: number;
  /** TRANSFER_RECONCILER_ACCOUNTS_PARAMETER: the accounts file in the hub's SSM (docs/accounts.md). */
  accountsParameter: string;
  /** HUB_ACCOUNT_ID: the hub's own account (default: the Lambda's, from its invokedFunctionArn). */
  hubAccountId?: string;
  /** AWS_REGION: the hub's own region (default: the Lambda's, from its invokedFunctionArn). */
  hubRegion?: string;
}

export const MAX_RETRY_DELAY_SECONDS = 900;

/** The worker's requeue backoff (controller-runtime's rate-limited requeue): per receive, doubling, capped. */
export function retryDelaySeconds(config: Pick<HandlerConfig, 'retryBaseDelaySeconds'>, receiveCount: number): number {
  const n = Number.isInteger(receiveCount) && receiveCount > 0 ? receiveCount : 1;
  return Math.min(config.retryBaseDelaySeconds * 2 ** (n - 1), MAX_RETRY_DELAY_SECONDS);
}

/**
 * The worker pacing rule: the account's quota is shared by every worker instance, and the event
 * source mapping runs at most MaximumConcurrency of them, so each paces at rate ÷ concurrency.
 * Together they never exceed TRANSFER_CALLS_PER_SECOND / SSM_CALLS_PER_SECOND (set those to what
 * the account's quota leaves for the reconciler), whatever the queue's depth.
 */
export function workerPacing(config: HandlerConfig): HandlerConfig {
  return {
    ...config,
    transferCallsPerSecond: config.transferCallsPerSecond / config.workerMaxConcurrency,
    ssmCallsPerSecond: config.ssmCallsPerSecond / config.workerMaxConcurrency,
  };
}

/** The router and the enumerator cannot run without the queue: fail the cold start, naming the variable. */
export function requireQueueUrl(config: HandlerConfig): string {
  if (config.queueUrl === undefined) throw new Error('RECONCILE_QUEUE_URL must be set (the FIFO queue to send reconcile messages to)');
  return config.queueUrl;
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v === '' ? fallback : v;
}

function positive(env: Env, name: string, fallback: number, integer = true): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, got "${raw}"`);
  }
  return n;
}

function path(env: Env, name: string, fallback: string): string {
  const v = text(env, name, fallback);
  if (!v.startsWith('/') || !v.endsWith('/')) throw new Error(`${name} must start and end with "/", got "${v}"`);
  return v;
}

export function readConfig(env: Env = process.env): HandlerConfig {
  const mode = text(env, 'DEFAULT_MODE', 'enforce');
  if (mode !== 'enforce' && mode !== 'detect') throw new Error(`DEFAULT_MODE must be "enforce" or "detect", got "${mode}"`);
  const config: HandlerConfig = {
    prefix: path(env, 'DESIRED_STATE_PREFIX', DEFAULT_PREFIX),
    hostKeyPrefix: path(env, 'HOST_KEY_PREFIX', DEFAULT_HOST_KEY_PREFIX),
    mode,
    concurrency: positive(env, 'RECONCILE_CONCURRENCY', 4),
    transferCallsPerSecond: positive(env, 'TRANSFER_CALLS_PER_SECOND', 10, false),
    ssmCallsPerSecond: positive(env, 'SSM_CALLS_PER_SECOND', 20, false),
    flushReserveMs: positive(env, 'FLUSH_RESERVE_MS', 3_000),
    offlineWindowMs: positive(env, 'OFFLINE_WINDOW_MS', DEFAULT_OFFLINE_WINDOW_MS),
    ...(env.AWS_ENDPOINT_URL ? { endpointUrl: env.AWS_ENDPOINT_URL } : {}),
    ...(env.RECONCILE_QUEUE_URL ? { queueUrl: env.RECONCILE_QUEUE_URL } : {}),
    reconcilerRoleArns: text(env, 'RECONCILER_ROLE_ARNS', '')
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== ''),
    workerMaxConcurrency: positive(env, 'WORKER_MAX_CONCURRENCY', 2),
    endpointLookupLimit: positive(env, 'ENDPOINT_LOOKUP_LIMIT', 200),
    retryBaseDelaySeconds: positive(env, 'RETRY_BASE_DELAY_SECONDS', 30),
    accountsParameter: text(env, 'TRANSFER_RECONCILER_ACCOUNTS_PARAMETER', DEFAULT_ACCOUNTS_PARAMETER),
    ...(env.HUB_ACCOUNT_ID ? { hubAccountId: env.HUB_ACCOUNT_ID } : {}),
    ...(env.AWS_REGION ? { hubRegion: env.AWS_REGION } : {}),
  };
  if (config.hubAccountId !== undefined && !/^\d{12}$/.test(config.hubAccountId))
    throw new Error(`HUB_ACCOUNT_ID must be 12 digits, got "${config.hubAccountId}"`);
  if (config.accountsParameter.startsWith(config.prefix))
    throw new Error(
      `TRANSFER_RECONCILER_ACCOUNTS_PARAMETER (${config.accountsParameter}) must lie outside DESIRED_STATE_PREFIX (${config.prefix})`,
    );
  if (config.queueUrl !== undefined && !/\.fifo$/.test(config.queueUrl))
    throw new Error(`RECONCILE_QUEUE_URL must be a FIFO queue (name ending .fifo), got "${config.queueUrl}"`);
  if (config.prefix.startsWith(config.hostKeyPrefix) || config.hostKeyPrefix.startsWith(config.prefix)) {
    throw new Error(`DESIRED_STATE_PREFIX (${config.prefix}) and HOST_KEY_PREFIX (${config.hostKeyPrefix}) must not contain each other`);
  }
  return config;
}
