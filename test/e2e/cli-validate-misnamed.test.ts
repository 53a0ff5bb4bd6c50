// `validate` of a file whose name is not <ServerId>.json|yaml: the name problem first, and then
// every problem of its content, exactly as the same content in a well-named file reports them
// (checked for no particular server); a malformed misnamed file reports the name and the syntax.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../helpers/cli-process.ts';

const work = mkdtempSync(join(tmpdir(), 'cli-validate-misnamed-'));
after(() => rmSync(work, { recursive: true, force: true }));

const BAD = { Protocol: ['SFTP'], LoggingRole: 'transfer-logging', Tags: [{ Key: 'aws:x', Value: 'y' }] };

/** `<json-path>: <message>` of each problem line validate prints for `file`. */
async function problems(file: string): Promise<{ code: number | null; lines: string[]; json: { issues: Array<{ path: string }> } }> {
  const text = await runCli(['validate', file]);
  const json = await runCli(['validate', file, '--json']);
  const lines = text.stdout
    .split('\n')
    .filter((l) => l.startsWith(`${file}: `))
    .map((l) => l.slice(file.length + 2));
  assert.equal(json.code, text.code);
  return { code: text.code, lines, json: JSON.parse(json.stdout.trim()) as { issues: Array<{ path: string }> } };
}

describe('validate: a misnamed file', () => {
  test('reports the name problem and every problem of its content, as a well-named file does', async () => {
    const named = join(work, 's-00000000000000001.json');
    const misnamed = join(work, 'sftp-partner.json');
    writeFileSync(named, JSON.stringify(BAD));
    writeFileSync(misnamed, JSON.stringify(BAD));
    const good = await problems(named);
    const bad = await problems(misnamed);
    assert.equal(good.code, 1);
    assert.equal(bad.code, 1);
    assert.ok(good.lines.length >= 3, good.lines.join('\n'));
    assert.match(bad.lines[0] ?? '', /^\$: the file name must be <ServerId>\.json/);
    assert.deepEqual(bad.lines.slice(1), good.lines);
    assert.deepEqual(
      bad.json.issues.map((i) => i.path),
      ['$', ...good.json.issues.map((i) => i.path)],
    );
  });

  test('a misnamed file with valid content reports only its name; a malformed one, the name and the syntax', async () => {
    const clean = join(work, 'clean.yaml');
    writeFileSync(clean, 'Protocols: [SFTP]\n');
    const r = await problems(clean);
    assert.equal(r.code, 1);
    assert.equal(r.lines.length, 1, r.lines.join('\n'));
    assert.match(r.lines[0] ?? '', /the file name must be <ServerId>\.yaml/);
    const broken = join(work, 'broken.json');
    writeFileSync(broken, '{"Protocols": [');
    const b = await problems(broken);
    assert.equal(b.lines.length, 2, b.lines.join('\n'));
    assert.match(b.lines[0] ?? '', /the file name must be/);
    assert.match(b.lines[1] ?? '', /malformed JSON/i);
  });

  test('a document ServerId that disagrees with nothing: a misnamed file is checked for no particular server', async () => {
    const file = join(work, 'partner.json');
    writeFileSync(file, JSON.stringify({ ServerId: 's-0000000000000000a', Protocols: ['SFTP'], State: 'SOMETIMES' }));
    const r = await problems(file);
    assert.deepEqual(
      r.json.issues.map((i) => i.path),
      ['$', '$.State'],
    );
  });
});
