// `transfer-reconciler push` as a child process against the emulator: validate-first (zero writes
// when anything is invalid), write only what changed, tiers and types, dry run, prune, --json,
// environment variables in place of flags, exit codes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES, IDS, VALID_EXAMPLES, cliWorld, operations } from './cli-fixtures.ts';

const world = await cliWorld();
const { emu, cli } = world;
const SSM_WRITES = new Set(['PutParameter', 'DeleteParameter', 'DeleteParameters']);
const writes = (): string[] => operations(world.calls()).filter((op) => SSM_WRITES.has(op));
const VALID_IDS = [IDS.lambdaSftp, IDS.ftpsVpc, IDS.as2, IDS.plainSftp, IDS.dualstack];

describe('push', () => {
  test('an invalid document anywhere: every problem as <file>: <path>: <message>, exit 1, zero writes', async () => {
    world.mark();
    const r = await cli(['push', EXAMPLES, '--prefix', '/invalid-run/']);
    assert.equal(r.code, 1);
    const file = join(EXAMPLES, 'invalid', `${IDS.invalid}.json`);
    for (const path of ['$.Protocol', '$.EndpointType', '$.ProtocolDetails.PassiveIp', '$.LoggingRole', '$.Tags[0].Key']) {
      assert.ok(r.stderr.includes(`${file}: ${path}: `), `missing ${path} in:\n${r.stderr}`);
    }
    assert.match(r.stderr, /1 invalid document; nothing was written\./);
    assert.equal(r.stdout, '');
    assert.deepEqual(operations(world.calls()), [], 'not even a read: validation comes first');
  });

  test('--dry-run reads the prefix once and writes nothing', async () => {
    world.mark();
    const r = await cli(['push', VALID_EXAMPLES, '--dry-run', '--prefix', '/dry/']);
    assert.equal(r.code, 0, r.stderr);
    for (const id of VALID_IDS)
      assert.match(r.stdout, new RegExp(`^\\+ would create /dry/${id} {2}\\(Standard, from .*${id}\\.(json|yaml)\\)$`, 'm'));
    assert.match(r.stdout, /^Push \(dry run\): 5 to create, 0 to update, 0 unchanged\. Nothing was written\.$/m);
    // The listing, then the host key's recorded fingerprint (read, not decrypted, nothing written).
    assert.deepEqual(operations(world.calls()), ['GetParametersByPath', 'GetParameter', 'ListTagsForResource']);
    assert.equal(emu.ssm.peek(`/dry/${IDS.lambdaSftp}`), undefined);
  });

  test('creates every document as canonical JSON (String, Standard), then finds them unchanged', async () => {
    world.mark();
    const first = await cli(['push', VALID_EXAMPLES, '--prefix', '/p1/']);
    assert.equal(first.code, 0, first.stderr);
    for (const id of VALID_IDS) assert.match(first.stdout, new RegExp(`^\\+ created {6}/p1/${id} {2}\\(v1, Standard, from `, 'm'));
    assert.match(first.stdout, /^Push: 5 created, 0 updated, 0 unchanged\.$/m);
    assert.deepEqual(writes(), Array(5).fill('PutParameter'));
    const yaml = emu.ssm.peek(`/p1/${IDS.plainSftp}`);
    assert.ok(yaml);
    assert.equal(yaml.type, 'String');
    assert.equal(yaml.tier, 'Standard');
    assert.ok(
      yaml.value.startsWith(
        '{"EndpointType":"PUBLIC","IdentityProviderType":"SERVICE_MANAGED","PreAuthenticationLoginBanner":"Example Corp internal SFTP.\\nUnauthorised access is prohibited.",',
      ),
      yaml.value,
    );
    assert.ok(!yaml.value.includes('$schema'), '$schema stays in git');
    assert.ok(!/\s"|:\s|,\s/.test(yaml.value.replace(/"(?:[^"\\]|\\.)*"/g, '""')), 'no whitespace outside strings');

    world.mark();
    const again = await cli(['push', VALID_EXAMPLES, '--prefix', '/p1/']);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /^= unchanged {4}\/p1\/s-0000000000000000a {2}\(v1, from /m);
    assert.match(again.stdout, /^Push: 0 created, 0 updated, 5 unchanged\.$/m);
    assert.deepEqual(
      operations(world.calls()),
      ['GetParametersByPath', 'GetParameter', 'ListTagsForResource'],
      'one listing, no GetParameter per document (one per host key, for its recorded fingerprint), no write',
    );
  });

  test('writes only the document that changed, with Overwrite', async () => {
    const dir = world.copyOfExamples();
    await cli(['push', dir, '--prefix', '/p2/']);
    const file = join(dir, `${IDS.dualstack}.json`);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    doc.Reconciler = { AllowOfflineChanges: true };
    writeFileSync(file, JSON.stringify(doc, null, 4));
    world.mark();
    const r = await cli(['push', dir, '--prefix', '/p2/']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^~ updated {6}/p2/${IDS.dualstack} {2}\\(v2, Standard, from `, 'm'));
    assert.match(r.stdout, /^Push: 0 created, 1 updated, 4 unchanged\.$/m);
    assert.deepEqual(writes(), ['PutParameter']);
    assert.match(emu.ssm.peek(`/p2/${IDS.dualstack}`)?.value ?? '', /"Reconciler":\{"AllowOfflineChanges":true\}/);
  });

  test('tiers: a large document goes to Advanced; an Advanced parameter stays Advanced; a SecureString stays one', async () => {
    const dir = world.copyOfExamples();
    const big = join(dir, `${IDS.plainSftp}.yaml`);
    const banner = 'Authorised users only. '.repeat(95).trim();
    writeFileSync(big, `PreAuthenticationLoginBanner: "${banner}"\nPostAuthenticationLoginBanner: "${banner}"\n`);
    // A parameter made Advanced earlier (by hand), now holding a small document, and a SecureString.
    await emu.ssm.handle('PutParameter', { Name: `/p3/${IDS.as2}`, Type: 'String', Tier: 'Advanced', Value: '{}' });
    await emu.ssm.handle('PutParameter', { Name: `/p3/${IDS.ftpsVpc}`, Type: 'SecureString', Value: '{}' });
    const r = await cli(['push', dir, '--prefix', '/p3/']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: .*needs an Advanced-tier parameter/);
    assert.equal(emu.ssm.peek(`/p3/${IDS.plainSftp}`)?.tier, 'Advanced');
    assert.match(r.stdout, new RegExp(`^\\+ created {6}/p3/${IDS.plainSftp} {2}\\(v1, Advanced, `, 'm'));
    assert.equal(emu.ssm.peek(`/p3/${IDS.as2}`)?.tier, 'Advanced');
    assert.match(r.stdout, new RegExp(`^~ updated {6}/p3/${IDS.as2} {2}\\(v2, Advanced, `, 'm'));
    assert.equal(emu.ssm.peek(`/p3/${IDS.ftpsVpc}`)?.type, 'SecureString');
    assert.ok(!r.stdout.includes('{"'), 'values are not printed');
  });

  test('--prune lists what it will delete before deleting it, and leaves other names alone', async () => {
    const dir = world.copyOfExamples();
    await cli(['push', dir, '--prefix', '/p4/']);
    await emu.ssm.handle('PutParameter', { Name: '/p4/README', Type: 'String', Value: 'not a document' });
    rmSync(join(dir, `${IDS.as2}.json`));
    rmSync(join(dir, `${IDS.dualstack}.json`));

    world.mark();
    const dry = await cli(['push', dir, '--prefix', '/p4/', '--prune', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^--prune: 2 parameters under \/p4\/ with no file; would delete:$/m);
    assert.match(dry.stdout, new RegExp(`^- would delete /p4/${IDS.as2} {2}\\(its file is gone\\)$`, 'm'));
    assert.deepEqual(writes(), []);

    const without = await cli(['push', dir, '--prefix', '/p4/']);
    assert.ok(!without.stdout.includes('delete'), 'nothing is deleted without --prune');
    assert.ok(emu.ssm.peek(`/p4/${IDS.as2}`));

    world.mark();
    const r = await cli(['push', dir, '--prefix', '/p4/', '--prune']);
    assert.equal(r.code, 0, r.stderr);
    const listed = r.stdout.indexOf('--prune: 2 parameters under /p4/ with no file; deleting:');
    const deleted = r.stdout.indexOf(`- deleted      /p4/${IDS.as2}`);
    assert.ok(listed >= 0 && deleted > listed, r.stdout);
    assert.match(r.stdout, /^Push: 0 created, 0 updated, 3 unchanged, 2 deleted\.$/m);
    assert.deepEqual(writes(), ['DeleteParameters']);
    assert.equal(emu.ssm.peek(`/p4/${IDS.as2}`), undefined);
    assert.equal(emu.ssm.peek(`/p4/${IDS.dualstack}`), undefined);
    assert.ok(emu.ssm.peek('/p4/README'), 'a parameter that is not <prefix><ServerId> is never pruned');
    assert.match(r.stderr, /\/p4\/README: ignored: not a server document/);
  });

  test('--prune deletes in batches of 10', async () => {
    for (let i = 0; i < 12; i += 1) {
      await emu.ssm.handle('PutParameter', { Name: `/p5/s-${i.toString(16).padStart(17, '1')}`, Type: 'String', Value: '{}' });
    }
    world.mark();
    const r = await cli(['push', join(VALID_EXAMPLES, `${IDS.plainSftp}.yaml`), '--prefix', '/p5/', '--prune']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Push: 1 created, 0 updated, 0 unchanged, 12 deleted\.$/m);
    assert.deepEqual(writes(), ['PutParameter', 'DeleteParameters', 'DeleteParameters']);
  });

  test('--json prints one object: ok, dryRun, prefix, actions, summary', async () => {
    const r = await cli(['push', VALID_EXAMPLES, '--prefix', '/p6/', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0] ?? '') as {
      ok: boolean;
      dryRun: boolean;
      prefix: string;
      invalid: unknown[];
      actions: Array<Record<string, unknown>>;
      summary: Record<string, number>;
    };
    assert.equal(out.ok, true);
    assert.equal(out.dryRun, false);
    assert.equal(out.prefix, '/p6/');
    assert.deepEqual(out.invalid, []);
    assert.deepEqual(out.summary, { created: 5, updated: 0, unchanged: 0, deleted: 0, failed: 0 });
    assert.deepEqual(out.actions[0], {
      action: 'create',
      serverId: IDS.lambdaSftp,
      parameter: `/p6/${IDS.lambdaSftp}`,
      file: join(VALID_EXAMPLES, `${IDS.lambdaSftp}.json`),
      tier: 'Standard',
      version: 1,
    });

    const bad = await cli(['push', EXAMPLES, '--prefix', '/p6/', '--json']);
    assert.equal(bad.code, 1);
    const failed = JSON.parse(bad.stdout) as { ok: boolean; invalid: Array<{ file: string; path: string; message: string }> };
    assert.equal(failed.ok, false);
    assert.ok(failed.invalid.some((i) => i.path === '$.Protocol' && i.file.endsWith(`${IDS.invalid}.json`)));
  });

  test('environment variables stand in for --endpoint-url and --prefix', async () => {
    const r = await cli(['push', VALID_EXAMPLES, '--dry-run'], { TRANSFER_RECONCILER_PREFIX: '/from-env/' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /would create \/from-env\/s-0000000000000000a/);
  });

  test('exit 1 when no document is found, when SSM cannot be reached, and on bad usage', async () => {
    const empty = await cli(['push', join(EXAMPLES, 'README.md')]);
    assert.equal(empty.code, 1);
    const none = await cli(['push', join(EXAMPLES, 'no-such-folder')]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no such file or folder/);
    const unreachable = await cli(['push', VALID_EXAMPLES, '--endpoint-url', 'http://127.0.0.1:9'], { TRANSFER_RECONCILER_TIMEOUT: '5' });
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /cannot list \/transfer-reconciler\/servers\/: .*nothing was written/);
    const usage = await cli(['push']);
    assert.equal(usage.code, 1);
    assert.match(usage.stderr, /give at least one file or folder/);
  });
});
