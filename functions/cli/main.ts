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
    summary: 'apply each document to its server and verify (exit 0 all in-sync/updated)',
    load: () => import('./commands/reconcile.ts'),
  },
  push: {
    summary: 'write documents from files to SSM, only what changed (exit 0 done, 1 invalid/error)',
    load: () => import('./commands/push.ts'),
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const usage = err instanceof Error && err.name === 'UsageError';
    console.error(`transfer-reconciler: ${err instanceof Error ? err.message : String(err)}${usage ? ' (see --help)' : ''}`);
    process.exitCode = 1;
  },
);
