// Secret hygiene through the built CLI (run `npm run build` first):
// - defect 3: a document key that is a line of a private key is withheld in the JSON path and the
//   message by validate, plan --dir (text, markdown, json) and push;
// - defect 7: against a server that reports its private key as HostKeyFingerprint (the emulator in
//   moto's manner), plan prints "(unrecognised fingerprint)" in text, --json and markdown.
// The fixture key and the server's key are marked, so the suite-wide scan looks for them as well.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { UNRECOGNISED_FINGERPRINT, normaliseFingerprint } from '../../functions/shared/fingerprint.ts';
import { parsePrivateKey } from '../../functions/shared/ssh-key.ts';
import { assertNoKeyMaterial, markKey } from '../helpers/secrets.ts';
import { IDS, cliWorld, ndjson } from './cli-fixtures.ts';

const world = await cliWorld();
const RSA = markKey(readFileSync(new URL('../fixtures/keys/test-rsa-2048.pem', import.meta.url), 'utf8'));
// The first body line has no + or /: as a key it is a JavaScript identifier, which paths printed bare.
const LINE = RSA.split('\n')[1] as string;
const WITHHELD = '(text withheld: looks like key material)';
const PATH = `$[${WITHHELD}]`;

const dir = mkdtempSync(join(tmpdir(), 'tr-hygiene-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const FILE = join(dir, `${IDS.plainSftp}.json`);
writeFileSync(FILE, `${JSON.stringify({ Protocols: ['SFTP'], [LINE]: 1 }, null, 2)}\n`);

async function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  const r = await world.cli(args);
  const out = `${r.stdout}\n${r.stderr}`;
  assertNoKeyMaterial(out, RSA);
  return { code: r.code, out };
}

describe('a document key that is a line of a private key (defect 3)', () => {
  test('validate (text and --json) shows the withheld path and message', async () => {
    const text = await cli(['validate', dir]);
    assert.equal(text.code, 1);
    assert.ok(text.out.includes(`${FILE}: ${PATH}: ${WITHHELD} is not a known key;`), text.out);
    const json = await cli(['validate', dir, '--json']);
    assert.equal(json.code, 1);
    const [report] = ndjson(json.out);
    assert.deepEqual(
      (report?.issues as Array<{ path: string }>).map((i) => i.path),
      [PATH],
    );
  });

  test('plan --dir (text, markdown, json) reports it invalid with the withheld path', async () => {
    const text = await cli(['plan', '--dir', dir]);
    assert.equal(text.code, 1);
    assert.ok(text.out.includes(`! invalid: ${PATH}: ${WITHHELD} is not a known key;`), text.out);
    const markdown = await cli(['plan', '--dir', dir, '--format', 'markdown']);
    assert.equal(markdown.code, 1);
    assert.ok(markdown.out.includes(`- **Invalid** \`${PATH}\`: ${WITHHELD} is not a known key;`), markdown.out);
    const json = await cli(['plan', '--dir', dir, '--json']);
    assert.equal(json.code, 1);
    const [outcome] = ndjson(
      json.out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .join('\n'),
    );
    assert.equal(outcome?.result, 'invalid');
    assert.equal((outcome?.issues as Array<{ path: string }>)[0]?.path, PATH);
  });

  test('push refuses it with the withheld path and writes nothing', async () => {
    world.mark();
    const r = await cli(['push', dir, '--prefix', '/hygiene/']);
    assert.equal(r.code, 1);
    assert.ok(r.out.includes(`${FILE}: ${PATH}: ${WITHHELD} is not a known key;`), r.out);
    assert.ok(!world.calls().some((c) => c.operation === 'PutParameter'));
  });
});

describe('a server that reports its private key as HostKeyFingerprint (defect 7)', () => {
  test('plan prints "(unrecognised fingerprint)" in text, --json and markdown, and never the key', async () => {
    world.emu.config.set({ hostKeyFingerprint: 'moto' });
    after(() => world.emu.config.set({ hostKeyFingerprint: 'fingerprint' }));
    const desired = normaliseFingerprint(parsePrivateKey(world.hostKey).fingerprint);
    const args = ['plan', '--dir', world.copyOfExamples(), '--server', IDS.lambdaSftp];

    const text = await world.cli(args);
    assert.equal(text.code, 2, text.stderr);
    assert.ok(text.stdout.includes(`    ~ HostKey: "${UNRECOGNISED_FINGERPRINT}" → "${desired}"\n`), text.stdout);
    assert.match(text.stdout, /! blocked: \$\.HostKey: The server's host key \("\(unrecognised fingerprint\)"\).*AllowHostKeyRotation/);

    const json = await world.cli([...args, '--json']);
    const [outcome] = ndjson(json.stdout);
    const change = (outcome?.changes as Array<{ path: string; from: unknown; to: unknown }>).find((c) => c.path === 'HostKey');
    assert.deepEqual(change, { path: 'HostKey', from: UNRECOGNISED_FINGERPRINT, to: desired });

    const markdown = await world.cli([...args, '--format', 'markdown']);
    assert.ok(markdown.stdout.includes(`! HostKey: "${UNRECOGNISED_FINGERPRINT}" → "${desired}"`), markdown.stdout);
    // world.cli has already failed the test if any output held a line of the server's key.
    for (const r of [text, json, markdown]) assert.ok(!`${r.stdout}${r.stderr}`.includes('PRIVATE KEY'));
  });
});
