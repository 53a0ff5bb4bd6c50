// Every command documents its exit codes in --help; `schema` prints the committed JSON Schema.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli-process.ts';

const SCHEMA_FILE = fileURLToPath(new URL('../../schema/desired-state.schema.json', import.meta.url));
const COMMANDS = ['validate', 'plan', 'reconcile', 'status', 'push', 'export', 'schema'];

describe('help and schema', () => {
  test('the command list names every command, push and schema included', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    for (const c of [...COMMANDS, 'emulator']) assert.match(r.stdout, new RegExp(`^ {2}${c} +\\S`, 'm'));
  });

  for (const command of COMMANDS) {
    test(`${command} --help prints usage and its exit codes, exit 0`, async () => {
      const r = await runCli([command, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`^usage: transfer-reconciler ${command}`));
      assert.match(r.stdout, /^exit: 0 /m);
    });
  }

  test('global options and their environment variables are listed for AWS-facing commands', async () => {
    for (const command of ['plan', 'reconcile', 'status', 'push', 'export']) {
      const r = await runCli([command, '--help']);
      for (const env of [
        'TRANSFER_RECONCILER_ENDPOINT_URL',
        'TRANSFER_RECONCILER_PREFIX',
        'TRANSFER_RECONCILER_CONCURRENCY',
        'TRANSFER_RECONCILER_TIMEOUT',
        'AWS_REGION',
        'AWS_PROFILE',
        'NO_COLOR',
      ]) {
        assert.ok(r.stdout.includes(env), `${command} --help lacks ${env}`);
      }
    }
  });

  test('schema prints valid JSON, byte for byte the committed schema file', async () => {
    const r = await runCli(['schema']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, readFileSync(SCHEMA_FILE, 'utf8'));
    const schema = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(r.stderr, '');
  });

  test('schema with an argument, an unknown command, an unknown flag: exit 1', async () => {
    const extra = await runCli(['schema', 'x']);
    assert.equal(extra.code, 1);
    const unknown = await runCli(['deploy']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown command "deploy"/);
    const flag = await runCli(['push', '--force', 'examples']);
    assert.equal(flag.code, 1);
    assert.match(flag.stderr, /--force/);
  });
});
