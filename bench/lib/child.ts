// A benchmark child process on the same Node (the emulator, a sweep worker, a cold-start probe),
// talked to over the IPC channel with numbered requests. Separate processes keep one side's
// memory and CPU out of the other's figures.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface Request {
  id: number;
  cmd: string;
  args?: unknown;
}
export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export interface Child {
  proc: ChildProcess;
  request<T>(cmd: string, args?: unknown): Promise<T>;
  /** Resolves when the child exits (its code), for workers that end by themselves. */
  exited: Promise<number>;
  stop(): Promise<void>;
}

export interface ChildOptions {
  env?: Record<string, string>;
  /** The child's stdout: 'ignore' (default: a Lambda's log lines are not the benchmark's output) or 'inherit'. */
  stdout?: 'ignore' | 'inherit';
}

export function startChild(script: string, args: string[] = [], options: ChildOptions = {}): Child {
  const proc = fork(script, args, {
    env: { ...process.env, NODE_NO_WARNINGS: '1', ...options.env },
    stdio: ['ignore', options.stdout ?? 'ignore', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  let next = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  proc.on('message', (msg: Reply) => {
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.ok) w.resolve(msg.value);
    else w.reject(new Error(`${script}: ${msg.error}`));
  });
  const exited = new Promise<number>((resolve) => {
    proc.on('exit', (code) => {
      for (const w of waiting.values()) w.reject(new Error(`${script} exited (code ${code}) before answering`));
      waiting.clear();
      resolve(code ?? 1);
    });
  });
  return {
    proc,
    exited,
    request<T>(cmd: string, a?: unknown): Promise<T> {
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        proc.send({ id, cmd, args: a } satisfies Request);
      });
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** In the child: answers requests with `handlers[cmd](args)`; the process ends on `exit`. */
export function serveRequests(handlers: Record<string, (args: unknown) => unknown>): void {
  process.on('message', (msg: Request) => {
    void (async () => {
      try {
        if (msg.cmd === 'exit') {
          process.send?.({ id: msg.id, ok: true, value: null } satisfies Reply, () => process.exit(0));
          return;
        }
        const handler = handlers[msg.cmd];
        if (!handler) throw new Error(`unknown command ${msg.cmd}`);
        const value = await handler(msg.args);
        process.send?.({ id: msg.id, ok: true, value: value ?? null } satisfies Reply);
      } catch (err) {
        process.send?.({ id: msg.id, ok: false, error: (err as Error).stack ?? String(err) } satisfies Reply);
      }
    })();
  });
}
