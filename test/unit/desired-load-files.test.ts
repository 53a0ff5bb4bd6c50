import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadDocumentFiles } from '../../functions/reconciler/desired/load-files.ts';

const A = 's-0123456789abcdef0';
const B = 's-1111111111111111a';
const C = 's-2222222222222222b';

describe('loadDocumentFiles', () => {
  let root = '';
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'desired-files-'));
    mkdirSync(join(root, 'prod', 'eu'), { recursive: true });
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, 'node_modules'));
    writeFileSync(join(root, 'prod', `${A}.json`), '{"Protocols": ["SFTP"]}');
    writeFileSync(join(root, 'prod', 'eu', `${B}.yaml`), 'Protocols: [SFTP]\nState: ONLINE\n');
    writeFileSync(join(root, 'prod', 'eu', `${C}.yml`), 'State: ONLINE\nState: OFFLINE\n');
    writeFileSync(join(root, 'prod', 'notes.txt'), 'ignored');
    writeFileSync(join(root, 'prod', 'settings.json'), '{}');
    writeFileSync(join(root, '.git', `${A}.json`), '{}');
    writeFileSync(join(root, 'node_modules', `${A}.json`), '{}');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('folders are searched recursively for .json, .yaml and .yml; the ServerId comes from the name', async () => {
    const docs = await loadDocumentFiles([root]);
    const byPath = new Map(docs.map((d) => [d.path, d]));
    assert.deepEqual(
      [...byPath.keys()].sort(),
      [
        join(root, 'prod', 'eu', `${B}.yaml`),
        join(root, 'prod', 'eu', `${C}.yml`),
        join(root, 'prod', `${A}.json`),
        join(root, 'prod', 'settings.json'),
      ].sort(),
    );
    assert.deepEqual(byPath.get(join(root, 'prod', `${A}.json`)), {
      ok: true,
      path: join(root, 'prod', `${A}.json`),
      serverId: A,
      format: 'json',
      raw: { Protocols: ['SFTP'] },
      sizeBytes: 23,
    });
    const yaml = byPath.get(join(root, 'prod', 'eu', `${B}.yaml`));
    assert.ok(yaml?.ok);
    assert.deepEqual(yaml.raw, { Protocols: ['SFTP'], State: 'ONLINE' });
  });

  test('a file whose name is not a ServerId, or whose text is malformed, comes back with its issues', async () => {
    const docs = await loadDocumentFiles([root]);
    const bad = docs.find((d) => d.path.endsWith('settings.json'));
    assert.ok(bad && !bad.ok);
    assert.match(bad.issues[0]?.message ?? '', /the file name must be <ServerId>\.json/);
    const dup = docs.find((d) => d.path.endsWith(`${C}.yml`));
    assert.ok(dup && !dup.ok);
    assert.equal(dup.serverId, C);
    assert.match(dup.issues[0]?.message ?? '', /^malformed YAML at line 2 column 1/);
  });

  test('the same ServerId in two files is an issue on both', async () => {
    const other = mkdtempSync(join(tmpdir(), 'desired-dup-'));
    try {
      writeFileSync(join(other, `${A}.yaml`), 'State: ONLINE\n');
      const docs = await loadDocumentFiles([join(root, 'prod', `${A}.json`), other]);
      assert.equal(docs.length, 2);
      for (const doc of docs) {
        assert.equal(doc.ok, false);
        assert.equal(doc.serverId, A);
        if (!doc.ok) assert.match(doc.issues.at(-1)?.message ?? '', new RegExp(`${A} is also defined in .*; keep one file per server`));
      }
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('a file named twice is loaded once; a missing path or a file of another kind is reported', async () => {
    const file = join(root, 'prod', `${A}.json`);
    const docs = await loadDocumentFiles([file, file, join(root, 'missing'), join(root, 'prod', 'notes.txt')]);
    assert.equal(docs.filter((d) => d.path === file).length, 1);
    assert.match(
      (docs.find((d) => d.path.endsWith('missing')) as { issues: Array<{ message: string }> }).issues[0]?.message ?? '',
      /no such file/,
    );
    assert.match(
      (docs.find((d) => d.path.endsWith('notes.txt')) as { issues: Array<{ message: string }> }).issues[0]?.message ?? '',
      /must end in \.json, \.yaml or \.yml/,
    );
  });
});
