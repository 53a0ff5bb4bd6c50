// Runs a step of the repository's action.yml the way the runner does: its `run:` text with bash,
// its `env:` with `${{ inputs.* }}` replaced by the given inputs (or the inputs' defaults) and
// GITHUB_ACTION_PATH at the repository root. Any other expression fails the test, so the test
// cannot drift from what the action really runs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { captureOutput } from './secrets.ts';

export const ACTION_ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface ActionInput {
  required?: boolean;
  default?: string;
}

interface ActionStep {
  id?: string;
  name?: string;
  if?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
}

export interface Action {
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export function readAction(): Action {
  return parse(readFileSync(`${ACTION_ROOT}action.yml`, 'utf8')) as Action;
}

export function step(action: Action, id: string): ActionStep {
  const s = action.runs.steps.find((x) => x.id === id);
  if (!s) throw new Error(`action.yml has no step with id ${id}`);
  return s;
}

/** The step's env with every `${{ inputs.name }}` resolved; a required input left out throws. */
export function stepEnv(action: Action, s: ActionStep, inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.env ?? {})) {
    env[k] = String(v).replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_m, expr: string) => {
      const name = /^inputs\.([A-Za-z0-9_-]+)$/.exec(expr)?.[1];
      if (name === undefined) throw new Error(`the test cannot evaluate \${{ ${expr} }} in ${k}`);
      const input = action.inputs[name];
      if (!input) throw new Error(`${k} uses undeclared input ${name}`);
      const value = inputs[name] ?? input.default;
      if (value === undefined || (input.required && inputs[name] === undefined)) throw new Error(`input ${name} is required`);
      if (/\$\{\{/.test(value)) throw new Error(`input ${name}'s default ${value} is an expression: give it to the test`);
      return value;
    });
  }
  return env;
}

export interface StepResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the step with `bash -c <run>` in cwd, with only the given environment and PATH. */
export function runStep(action: Action, s: ActionStep, inputs: Record<string, string>, github: Record<string, string>, cwd: string) {
  if (s.shell !== 'bash' || !s.run) throw new Error('only bash run steps can be run here');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    GITHUB_ACTION_PATH: ACTION_ROOT.replace(/\/$/, ''),
    ...github,
    ...stepEnv(action, s, inputs),
  };
  const child = spawn('bash', ['-c', s.run], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise<StepResult>((resolve) =>
    child.once('close', (code) => {
      captureOutput(`action step ${s.id ?? s.name ?? ''}`, `${stdout}${stderr}`);
      resolve({ code, stdout, stderr });
    }),
  );
}
