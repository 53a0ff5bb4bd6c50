// The hostile and secret-bearing rows of the bad-input catalogue (docs/bad-input-catalogue.md),
// through the real engine and SDK clients against the emulator, as bad-input-catalogue.test.ts
// does for the others: the result, the message, zero writes, and no key material anywhere.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { PREFIX, assertOutcomeShape, engineForTests } from '../helpers/engine.ts';
import { assertNoKeyMaterial, captureOutput, markKey, markedHostKey } from '../helpers/secrets.ts';

const engine = await engineForTests();
const RSA = markKey(readFileSync(new URL('../fixtures/keys/test-rsa-2048.pem', import.meta.url), 'utf8'));
const LINE = RSA.split('\n')[1] as string;
const WITHHELD = '(text withheld: looks like key material)';

function assertInvalid(o: Outcome): void {
  const printed = JSON.stringify(o);
  captureOutput('bad-input-secrets outcome', printed);
  assertOutcomeShape(o);
  assert.equal(o.result, 'invalid', printed);
  assert.equal(o.error?.code, 'InvalidDesiredState');
  assert.equal(o.error?.retryable, false);
  assert.deepEqual(engine.writes(), [], 'zero writes to Transfer and SSM');
  assertNoKeyMaterial(printed, RSA);
}

async function reconcileDocument(document: unknown): Promise<Outcome> {
  const id = await engine.createServer();
  await engine.putDocument(id, document);
  engine.mark();
  return engine.reconcile(id);
}

describe('bad-input catalogue: hostile and secret-bearing input', () => {
  test('a document key that is a line of a private key → invalid; the path and message withhold it', async () => {
    const o = await reconcileDocument({ Protocols: ['SFTP'], [LINE]: 1 });
    assertInvalid(o);
    assert.equal(o.issues?.length, 1);
    assert.equal(o.issues?.[0]?.path, `$[${WITHHELD}]`);
    assert.match(o.issues?.[0]?.message ?? '', /^\(text withheld: looks like key material\) is not a known key; did you mean/);
  });

  test('a private key in a banner → invalid, says why a banner is public, repeats none of it', async () => {
    const o = await reconcileDocument({ PreAuthenticationLoginBanner: `Welcome.\n${RSA}`, Tags: [{ Key: 'note', Value: LINE }] });
    assertInvalid(o);
    assert.deepEqual(
      o.issues?.map((i) => i.path),
      ['$.PreAuthenticationLoginBanner', '$.Tags[0].Value'],
    );
    assert.match(o.issues?.[0]?.message ?? '', /private-key header or footer .* shown to every client that connects, before login/);
    assert.match(o.issues?.[1]?.message ?? '', /like a line of a private key/);
  });

  test('20,000 unknown keys (fed as text past SSM, like an oversized one) → invalid: the size first, 100 listed, the rest counted', async () => {
    const id = await engine.createServer();
    const document: Record<string, unknown> = {};
    for (let i = 0; i < 20_000; i += 1) document[`UnknownKey${i}`] = i;
    engine.mark();
    const o = await engine.reconcile(id, { document: { name: `${PREFIX}${id}`, text: JSON.stringify(document), version: 1 } });
    assertInvalid(o);
    assert.equal(o.issues?.length, 101);
    assert.match(o.issues?.[0]?.message ?? '', /over the 8192-byte limit of an Advanced-tier SSM parameter/);
    assert.equal(o.issues?.[1]?.path, '$.UnknownKey0');
    assert.match(o.issues?.[100]?.message ?? '', /^… and 19901 more problems, not listed/);
    // 101 issues, in `issues` and again in the error's message: bounded, where all 20,001 would be ~20 MB.
    assert.ok(JSON.stringify(o).length < 150_000, `the outcome record is ${JSON.stringify(o).length} characters`);
  });

  test('a server that reports its private key as HostKeyFingerprint (moto) → blocked, "(unrecognised fingerprint)", zero writes', async () => {
    engine.emu.config.set({ hostKeyFingerprint: 'moto' });
    after(() => engine.emu.config.set({ hostKeyFingerprint: 'fingerprint' }));
    const serverKey = markedHostKey('ed25519');
    const id = await engine.createServer({ HostKey: serverKey });
    const parameter = `/transfer-reconciler/host-keys/${id}`;
    await engine.putText(parameter, markedHostKey('ed25519'), 'SecureString');
    await engine.putDocument(id, { HostKey: { SecureStringParameter: parameter } });
    engine.mark();
    const o = await engine.reconcile(id);
    const printed = JSON.stringify(o);
    captureOutput('bad-input-secrets moto outcome', printed);
    assert.equal(o.result, 'blocked', printed);
    assert.equal(o.changes[0]?.from, '(unrecognised fingerprint)');
    assert.deepEqual(engine.writes(), []);
    assertNoKeyMaterial(printed, serverKey);
  });
});
