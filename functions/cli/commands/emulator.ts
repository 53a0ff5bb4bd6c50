// transfer-reconciler emulator — runs the local AWS emulator (Transfer Family + SSM + events) in
// the foreground until SIGINT/SIGTERM, then closes it, saves its state file and exits 0. With
// --pipeline the deployed pipeline runs inside it (infra/local/pipeline): rules → router → FIFO
// queue → worker, and the enumerator on a schedule; one line is printed per reconcile.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_TRANSITION_DELAY_MS, startEmulator } from '../../../infra/local/emulator.ts';
import type { EmulatorOptions } from '../../../infra/local/emulator.ts';
import { parseFaultConfig } from '../../../infra/local/faults.ts';
import { parseRole } from '../../../infra/local/sts/roles.ts';
import type { RoleDefinition } from '../../../infra/local/sts/roles.ts';
import type { FaultConfig } from '../../../infra/local/types.ts';
import { startPipeline } from '../../../infra/local/pipeline/runner.ts';
import type { PipelineRunner } from '../../../infra/local/pipeline/runner.ts';
import { reconcileReporter } from '../../../infra/local/pipeline/report.ts';
import { seedServerList, seedServers } from '../emulator-seed.ts';

const HELP = `usage: transfer-reconciler emulator [options]

Runs a local emulator of AWS Transfer Family and SSM Parameter Store on 127.0.0.1 and prints
"listening on http://127.0.0.1:PORT" once it is ready. Stop it with Ctrl-C (or SIGTERM).
  --port N                  port to listen on (default 0 = a free port)
  --region R                region in ARNs and events (default us-east-1)
  --account-id ID           account in ARNs and events (default 000000000000)
  --nested-update MODE      merge | replace: how UpdateServer treats a partial nested object (default merge)
  --transition-delay-ms N   how long STARTING and STOPPING last (default ${DEFAULT_TRANSITION_DELAY_MS})
  --throttle-rate R         throttle every call above R calls/second (token bucket) ...
  --throttle-burst B        ... with a burst of B (default: R rounded up)
  --faults FILE.json        fault configuration (throttle, error rates, latency, drops; see infra/local/types.ts)
  --state-file F            load servers and parameters from F at start, save them there (mode 0600)
  --seed DIR                create a server with default settings for each <ServerId>.json|yaml under
                            DIR, with that ID, unless it exists (and a generated host key in the
                            SecureString a document names); documents stay for push (--seed examples)
  --pipeline                run the deployed pipeline inside the emulator, as in AWS: the EventBridge
                            rules (document and host-key changes, CloudTrail API calls on servers) →
                            router → SQS FIFO queue (one message group per server) → worker, and the
                            enumerator on a schedule; prints one line per reconcile. Calls signed
                            with an access key starting "reconciler" are the worker's role (ignored
                            by the rules); any other key is a person, whose changes are repaired
  --enumerate-every SECONDS with --pipeline: how often the enumerator runs (default 3600)
  --roles FILE.json         roles STS AssumeRole may issue credentials for (one object or a list of
                            {arn, trustedPrincipals, externalId?, maxSessionDurationSeconds?}): a
                            spoke stack deployed in that account (also POST /_emulator/roles)
Control endpoints: http://127.0.0.1:PORT/_emulator/ (health, reset, faults, calls, config, events).
exit: 0 when stopped by Ctrl-C or SIGTERM; 1 on bad options or if it cannot listen`;

class UsageError extends Error {}

/** The --roles file: one role or a list, each checked as the control endpoint checks it (never echoing a value). */
function rolesFrom(path: string | undefined): RoleDefinition[] | undefined {
  if (path === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const why = err instanceof SyntaxError ? 'not valid JSON' : (err as Error).message;
    throw new UsageError(`--roles ${path}: ${why}`);
  }
  return (Array.isArray(raw) ? raw : [raw]).map((role, i) => {
    try {
      return parseRole(role);
    } catch (err) {
      throw new UsageError(`--roles ${path}: role ${i + 1}: ${(err as Error).message}`);
    }
  });
}

function number(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min) throw new UsageError(`--${name} must be a number ≥ ${min}, got "${text}"`);
  return n;
}

function faultsFrom(values: Record<string, string | boolean | undefined>): FaultConfig | undefined {
  let faults: FaultConfig | undefined;
  if (typeof values.faults === 'string') {
    try {
      faults = parseFaultConfig(JSON.parse(readFileSync(values.faults, 'utf8')));
    } catch (err) {
      throw new UsageError(`--faults ${values.faults}: ${(err as Error).message}`);
    }
  }
  const rate = number('throttle-rate', values['throttle-rate'] as string | undefined, 0);
  const burst = number('throttle-burst', values['throttle-burst'] as string | undefined, 1);
  if (burst !== undefined && rate === undefined) throw new UsageError('--throttle-burst needs --throttle-rate');
  if (rate !== undefined) {
    if (rate <= 0) throw new UsageError('--throttle-rate must be greater than 0');
    faults = { ...faults, global: { ...faults?.global, throttle: { rate, burst: burst ?? Math.max(1, Math.ceil(rate)) } } };
  }
  return faults;
}

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        region: { type: 'string' },
        'account-id': { type: 'string' },
        'nested-update': { type: 'string' },
        'transition-delay-ms': { type: 'string' },
        'throttle-rate': { type: 'string' },
        'throttle-burst': { type: 'string' },
        faults: { type: 'string' },
        'state-file': { type: 'string' },
        seed: { type: 'string' },
        pipeline: { type: 'boolean' },
        roles: { type: 'string' },
        'enumerate-every': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`transfer-reconciler emulator: ${(err as Error).message}\n\n${HELP}`);
    return 1;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  let options: EmulatorOptions;
  let enumerateEvery = 3600;
  try {
    const every = number('enumerate-every', values['enumerate-every'], 1);
    if (every !== undefined && !values.pipeline) throw new UsageError('--enumerate-every needs --pipeline');
    enumerateEvery = every ?? enumerateEvery;
    const nested = values['nested-update'];
    if (nested !== undefined && nested !== 'merge' && nested !== 'replace')
      throw new UsageError(`--nested-update must be merge or replace, got "${nested}"`);
    const port = number('port', values.port, 0);
    if (port !== undefined && (!Number.isInteger(port) || port > 65535))
      throw new UsageError(`--port must be a whole number 0-65535, got "${values.port}"`);
    options = {
      port,
      region: values.region,
      accountId: values['account-id'],
      nestedUpdate: nested as EmulatorOptions['nestedUpdate'],
      transitionDelayMs: number('transition-delay-ms', values['transition-delay-ms'], 0),
      faults: faultsFrom(values),
      stateFile: values['state-file'],
      roles: rolesFrom(values.roles),
      logger: (line: string) => console.error(line),
    };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`transfer-reconciler emulator: ${err.message}`);
    return 1;
  }
  // Read the seed folder before listening: a wrong path is a usage error, not a half-seeded emulator.
  if (values.seed !== undefined) {
    try {
      await seedServerList(values.seed);
    } catch (err) {
      console.error(`transfer-reconciler emulator: ${(err as Error).message}`);
      return 1;
    }
  }

  // Listen for the signals before starting, and keep listening until the process ends: under npx
  // a signal to the process group and the copy npm forwards arrive one after the other, and a
  // second SIGTERM/SIGINT with no listener would kill the process half-way through stop().
  const stopRequested = untilStopRequested();
  const emu = await startEmulator(options);
  // Seeded before the URL is printed, so whoever waits for it finds the servers there.
  if (values.seed !== undefined) {
    const seeded = await seedServers(emu, values.seed);
    console.error(
      `seeded ${seeded.created.length} servers from ${values.seed}${seeded.existing.length > 0 ? ` (${seeded.existing.length} already there)` : ''}`,
    );
  }
  let pipeline: PipelineRunner | undefined;
  if (values.pipeline) {
    pipeline = await startPipeline(emu, { enumerateEverySeconds: enumerateEvery, onLine: reconcileReporter((l) => console.log(l)) });
    console.log(`pipeline: rules ${pipeline.rules.map((r) => r.name).join(', ')} → router`);
    console.log(`pipeline: queue ${pipeline.queueUrl} (dead-letter ${pipeline.dlqUrl})`);
    console.log(
      `pipeline: worker (event source mapping, maximumConcurrency ${pipeline.config.workerMaxConcurrency}); enumerator every ${enumerateEvery} s`,
    );
  }
  console.log(`listening on ${emu.url}`);
  await stopRequested;
  await pipeline?.close();
  await emu.stop();
  return 0;
}

/**
 * Resolves on the first SIGINT or SIGTERM (later ones are ignored; the listeners stay) — or, when
 * started by npx / npm exec, once the wrapper that started it is gone. npm runs a bin through
 * `sh -c`, and on SIGTERM npm forwards it to that shell only: the shell dies and this process,
 * which got no signal, would be left running with its port. So under npm the parent is watched
 * and its exit counts as SIGTERM. Outside npm the emulator may outlive its parent (nohup, &).
 */
function untilStopRequested(): Promise<void> {
  return new Promise<void>((resolve) => {
    const parent = process.ppid;
    const underNpm = process.env.npm_command === 'exec' || process.env.npm_lifecycle_event === 'npx';
    const watch = underNpm && parent > 1 ? setInterval(() => process.ppid !== parent && stop(), 200) : undefined;
    function stop(): void {
      clearInterval(watch);
      resolve();
    }
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
