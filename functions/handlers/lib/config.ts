// The Lambdas' settings, read from the environment in this one place (serverless.yml sets them
// from the stage parameters). A bad value stops the cold start with a message naming the variable,
// rather than reconciling with a silently different setting.
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
  /** The sweep starts no new server with less than this left before the Lambda deadline. */
  stopMarginMs: number;
  /** Kept back from every reconcile's deadline for the last log lines and metrics. */
  flushReserveMs: number;
  offlineWindowMs: number;
  /** AWS_ENDPOINT_URL: unset in AWS; set to run the bundles against the local emulator. */
  endpointUrl?: string;
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
    stopMarginMs: positive(env, 'SWEEP_STOP_MARGIN_MS', 60_000),
    flushReserveMs: positive(env, 'FLUSH_RESERVE_MS', 3_000),
    offlineWindowMs: positive(env, 'OFFLINE_WINDOW_MS', DEFAULT_OFFLINE_WINDOW_MS),
    ...(env.AWS_ENDPOINT_URL ? { endpointUrl: env.AWS_ENDPOINT_URL } : {}),
  };
  if (config.prefix.startsWith(config.hostKeyPrefix) || config.hostKeyPrefix.startsWith(config.prefix)) {
    throw new Error(`DESIRED_STATE_PREFIX (${config.prefix}) and HOST_KEY_PREFIX (${config.hostKeyPrefix}) must not contain each other`);
  }
  return config;
}
