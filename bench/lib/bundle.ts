// Builds a module the way the Lambdas are packaged: esbuild with the settings serverless.yml
// gives serverless-esbuild (custom.esbuild), read from the file so the two cannot drift apart.
// Used for the cold-start baseline and for running the sweep as the bundled handler.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { parse } from 'yaml';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

interface ServerlessYml {
  custom?: { esbuild?: Record<string, unknown> };
  provider?: { environment?: Record<string, unknown> };
  functions?: Record<string, { handler?: string }>;
}

export function serverlessYml(): ServerlessYml {
  return parse(readFileSync(`${REPO}serverless.yml`, 'utf8')) as ServerlessYml;
}

/** The esbuild options in custom.esbuild; the serverless-esbuild-only keys are left out. */
export function packagedEsbuildOptions(): BuildOptions {
  const custom = serverlessYml().custom?.esbuild ?? {};
  const pluginOnly = new Set([
    'exclude',
    'outputFileExtension',
    'packager',
    'packagerOptions',
    'watch',
    'keepOutputDirectory',
    'installExtraArgs',
    'nativeZip',
    'concurrency',
    'zipConcurrency',
  ]);
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(custom)) if (!pluginOnly.has(key)) options[key] = value;
  return options as BuildOptions;
}

/** NODE_OPTIONS as the deployed functions get them (provider.environment). */
export function lambdaNodeOptions(): string {
  const value = serverlessYml().provider?.environment?.NODE_OPTIONS;
  return typeof value === 'string' ? value : '';
}

export async function bundle(entry: string, outfile: string): Promise<void> {
  await build({ ...packagedEsbuildOptions(), entryPoints: [entry], outfile, absWorkingDir: REPO, logLevel: 'warning' });
}
