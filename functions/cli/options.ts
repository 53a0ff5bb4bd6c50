// Options every AWS-facing command shares, with their environment-variable equivalents.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type { AwsSettings } from '../reconciler/aws/clients.ts';
import { DEFAULT_ACCOUNTS_PARAMETER } from '../reconciler/desired/accounts-rules.ts';
import { DEFAULT_PREFIX } from '../reconciler/reconcile.ts';

export const GLOBAL_OPTIONS = {
  'endpoint-url': { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  prefix: { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  'transfer-rate': { type: 'string' },
  'ssm-rate': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** The same pacing as the Lambdas' defaults (serverless.yml): the account's quotas are shared. */
export const DEFAULT_CALLS_PER_SECOND = { transfer: 10, ssm: 20 };

export const GLOBAL_HELP = `global options:
  --endpoint-url URL   AWS endpoint (e.g. the local emulator); env TRANSFER_RECONCILER_ENDPOINT_URL
  --region R           AWS region; env AWS_REGION
  --profile P          AWS profile; env AWS_PROFILE
  --prefix P           SSM prefix of the documents (default ${DEFAULT_PREFIX}); env TRANSFER_RECONCILER_PREFIX
  --concurrency N      servers reconciled at once (default 4); env TRANSFER_RECONCILER_CONCURRENCY
  --timeout S          seconds before no new wait or offline change starts (default 900); env TRANSFER_RECONCILER_TIMEOUT
  --transfer-rate R    at most R Transfer API calls per second, retries included (default ${DEFAULT_CALLS_PER_SECOND.transfer}); env TRANSFER_RECONCILER_TRANSFER_RATE
  --ssm-rate R         at most R SSM API calls per second (default ${DEFAULT_CALLS_PER_SECOND.ssm}; SSM's Get* share 40/s per account); env TRANSFER_RECONCILER_SSM_RATE
With a loopback --endpoint-url and no credentials configured, dummy credentials and us-east-1 are used.
A flag wins over its environment variable. Colour is used only on a terminal and never when NO_COLOR is set.`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface GlobalSettings {
  aws: AwsSettings;
  prefix: string;
  concurrency: number;
  timeoutMs: number;
}

function positiveRate(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${name} must be a positive number of calls per second, got "${text}"`);
  return n;
}

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive whole number, got "${text}"`);
  return n;
}

export function globalSettings(values: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): GlobalSettings {
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const prefix = str('prefix') ?? env.TRANSFER_RECONCILER_PREFIX ?? DEFAULT_PREFIX;
  if (!prefix.startsWith('/') || !prefix.endsWith('/')) throw new UsageError(`--prefix must start and end with "/", got "${prefix}"`);
  return {
    aws: {
      endpointUrl: str('endpoint-url') ?? env.TRANSFER_RECONCILER_ENDPOINT_URL,
      region: str('region'),
      profile: str('profile'),
      callsPerSecond: {
        transfer: positiveRate(
          'transfer-rate',
          str('transfer-rate') ?? env.TRANSFER_RECONCILER_TRANSFER_RATE,
          DEFAULT_CALLS_PER_SECOND.transfer,
        ),
        ssm: positiveRate('ssm-rate', str('ssm-rate') ?? env.TRANSFER_RECONCILER_SSM_RATE, DEFAULT_CALLS_PER_SECOND.ssm),
      },
    },
    prefix,
    concurrency: positiveInt('concurrency', str('concurrency') ?? env.TRANSFER_RECONCILER_CONCURRENCY, 4),
    timeoutMs: positiveInt('timeout', str('timeout') ?? env.TRANSFER_RECONCILER_TIMEOUT, 900) * 1000,
  };
}

export function parse<const O extends ParseArgsConfig['options']>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Where `push` stores the accounts file (docs/accounts.md): a parameter name outside the document prefix. */
export function accountsParameterFrom(value: string | undefined, prefix: string, env: NodeJS.ProcessEnv = process.env): string {
  const name = value ?? env.TRANSFER_RECONCILER_ACCOUNTS_PARAMETER ?? DEFAULT_ACCOUNTS_PARAMETER;
  if (!name.startsWith('/') || name.endsWith('/') || name.startsWith(prefix))
    throw new UsageError(`--accounts-parameter must be a parameter name starting with "/" and outside the prefix ${prefix}, got "${name}"`);
  return name;
}
