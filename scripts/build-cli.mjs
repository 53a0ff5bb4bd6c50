// Builds the CLI into dist/cli.mjs so that it starts on Node 20 (no TypeScript loader needed).
// Dependencies stay external: they are installed beside it by npm.
import { build } from 'esbuild';

await build({
  entryPoints: ['functions/cli/main.ts'],
  outfile: 'dist/cli.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
