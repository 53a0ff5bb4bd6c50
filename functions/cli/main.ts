// transfer-reconciler: the command-line front end. Each command lives in ./commands/<name>.ts
// and exports `run(argv): Promise<number>` (the exit code).

interface Command {
  summary: string;
  load: () => Promise<{ run: (argv: string[]) => Promise<number> }>;
}

const commands: Record<string, Command> = {
  validate: { summary: 'check desired-state documents offline (exit 0 valid, 1 invalid)', load: () => import('./commands/validate.ts') },
  plan: {
    summary: 'show what reconcile would change; writes nothing (exit 0 none, 2 pending, 1 error)',
    load: () => import('./commands/plan.ts'),
  },
  reconcile: {
    summary: 'apply each document to its server and verify (exit 0 all in-sync/updated; detect: 2 drift)',
    load: () => import('./commands/reconcile.ts'),
  },
  status: {
    summary: 'observe every managed server read-only: one table per account/region by result (exit 0 in sync, 2 drift, 1 error)',
    load: () => import('./commands/status.ts'),
  },
  push: {
    summary: 'write documents from files to SSM, only what changed (exit 0 done, 1 invalid/error)',
    load: () => import('./commands/push.ts'),
  },
  export: {
    summary: 'write one document per existing server, only what differs from defaults (exit 0 written, 1 error)',
    load: () => import('./commands/export.ts'),
  },
  schema: { summary: 'print the JSON Schema of a desired-state document (exit 0)', load: () => import('./commands/schema.ts') },
  emulator: { summary: 'run the local AWS emulator (Transfer Family + SSM + events)', load: () => import('./commands/emulator.ts') },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'usage: transfer-reconciler <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    'Run "transfer-reconciler <command> --help" for a command\'s options.',
  ].join('\n');
}

// Commands that write nothing to AWS: when their reader goes away they can stop at once.
const READ_ONLY = new Set(['validate', 'plan', 'status', 'schema', 'help', '--help', '-h', '--version']);
let outputClosed = false;

/**
 * `plan --json | head -1`: the reader closes the pipe and the next write fails with EPIPE, which
 * Node raises as an uncaught 'error' (a stack trace, exit 1). Instead, a closed stdout or stderr
 * ends the output quietly and the CLI exits 0, the status of `terraform plan | head`: the reader
 * asked for no more. A read-only command exits at once; one that writes (reconcile, push) keeps
 * going without output so it never stops half-way through (say, between StopServer and
 * StartServer), then exits 0. Any other stream error is reported and exits 1 as before.
 */
function quietOnClosedPipe(command: string | undefined): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
      outputClosed = true;
      // Nothing more can reach the reader: drop later writes instead of raising more errors.
      stream.write = (() => true) as typeof stream.write;
      if (command === undefined || READ_ONLY.has(command)) process.exit(0);
    });
  }
}

async function main(argv: string[]): Promise<number> {
  // The SDK warns at every start under Node 20; the CLI supports Node 20 on purpose (the Lambdas run
  // Node 24), so users would only see noise. This is the SDK's own switch for it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version') {
    console.log('0.1.0');
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`transfer-reconciler: unknown command "${name}"\n\n${usage()}`);
    return 1;
  }
  const { run } = await command.load();
  return run(rest);
}

quietOnClosedPipe(process.argv[2]);
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = outputClosed ? 0 : code;
  },
  (err: unknown) => {
    const usage = err instanceof Error && err.name === 'UsageError';
    console.error(`transfer-reconciler: ${err instanceof Error ? err.message : String(err)}${usage ? ' (see --help)' : ''}`);
    process.exitCode = 1;
  },
);
