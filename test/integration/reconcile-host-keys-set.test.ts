// HostKeys end to end, through real SDK clients against the emulator: a two-commit rotation with
// the active key per algorithm checked after each step (and announced before it changes), removal
// without AllowHostKeyRotation blocked with zero writes, keys imported and deleted by hand found
// and repaired by one sweep (reported only, in detect mode) with a second sweep writing nothing,
// and no key material in any outcome or plan text.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, test } from 'node:test';
import { DeleteHostKeyCommand, ImportHostKeyCommand, ListHostKeysCommand, UpdateHostKeyCommand } from '@aws-sdk/client-transfer';
import { planServerLines } from '../../functions/cli/format/plan-text.ts';
import { planMarkdown } from '../../functions/cli/format/plan-markdown.ts';
import { paint } from '../../functions/cli/format/colour.ts';
import { normaliseFingerprint } from '../../functions/shared/fingerprint.ts';
import { parsePrivateKey } from '../../functions/shared/ssh-key.ts';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { assertOutcomeShape, engineForTests } from '../helpers/engine.ts';
import { assertNoKeyMaterial, captureOutput, markedHostKey } from '../helpers/secrets.ts';

const engine = await engineForTests();
const keysMade: string[] = [];

function newKey(kind: 'ed25519' | 'ecdsa' | 'rsa' = 'ed25519'): { text: string; fingerprint: string } {
  const text = markedHostKey(kind);
  keysMade.push(text);
  return { text, fingerprint: normaliseFingerprint(parsePrivateKey(text).fingerprint) };
}

/** The outcome and everything the CLI would print for it hold no line of any test key. */
function assertClean(o: Outcome): void {
  const texts = [JSON.stringify(o), inspect(o, { depth: 10 }), planServerLines(o, paint(false)).join('\n'), planMarkdown([o])];
  captureOutput(`host-key set ${o.serverId}`, texts.join('\n'));
  for (const key of keysMade) for (const text of texts) assertNoKeyMaterial(text, key);
}

/** The server's keys as ListHostKeys shows them (the test's own client), oldest first. */
async function keysOf(serverId: string): Promise<{ id: string; fingerprint: string; type: string; description: string }[]> {
  const { HostKeys = [] } = await engine.transfer.send(new ListHostKeysCommand({ ServerId: serverId }));
  return HostKeys.map((k) => ({
    id: k.HostKeyId ?? '',
    fingerprint: normaliseFingerprint(k.Fingerprint ?? ''),
    type: k.Type ?? '',
    description: k.Description ?? '',
    date: k.DateImported?.getTime() ?? 0,
  }))
    .sort((a, b) => a.date - b.date)
    .map(({ date: _date, ...rest }) => rest);
}

/** Per algorithm the oldest key is the one clients see (aws-behaviour.md). */
async function activeOf(serverId: string, type = 'ssh-ed25519'): Promise<string | undefined> {
  return (await keysOf(serverId)).find((k) => k.type === type)?.fingerprint;
}

async function putKey(name: string, key: string): Promise<string> {
  await engine.putText(name, key, 'SecureString');
  return name;
}

/** A server created with `old` as its one key (CreateServer's HostKey). */
async function serverWithKey(old: string): Promise<string> {
  return engine.createServer({ HostKey: old });
}

const escape = (text: string): string => text.replace(/[+/]/g, '\\$&');
const writesOf = (id: string): string[] => engine.writes(id).map((c) => c.operation);

describe('HostKeys', () => {
  test('a two-commit rotation: import the new key (active unchanged), then delete the old one (active changes, said before it happens)', async () => {
    const old = newKey();
    const next = newKey();
    const id = await serverWithKey(old.text);
    const oldRef = { SecureStringParameter: await putKey(`/transfer-reconciler/host-keys/${id}-old`, old.text), Description: 'current' };
    const nextRef = { SecureStringParameter: await putKey(`/transfer-reconciler/host-keys/${id}-next`, next.text), Description: 'next' };

    // Commit 1: [old, new]. Importing needs no permission; the old key stays the one clients see.
    await engine.putDocument(id, { HostKeys: [oldRef, nextRef] });
    engine.mark();
    const first = await engine.reconcile(id);
    assertOutcomeShape(first);
    assert.equal(first.result, 'updated', JSON.stringify(first));
    // Imports first, then the description of the key the server already had.
    assert.deepEqual(first.done, [`ImportHostKey(${next.fingerprint})`, `UpdateHostKey(${old.fingerprint})`]);
    assert.deepEqual(writesOf(id), ['ImportHostKey', 'UpdateHostKey']);
    assert.deepEqual(first.hostKeys, [{ algorithm: 'ssh-ed25519', before: old.fingerprint, after: old.fingerprint }]);
    assert.ok(!first.warnings.some((w) => /clients will see/.test(w)), JSON.stringify(first.warnings));
    assert.equal(await activeOf(id), old.fingerprint);
    assert.deepEqual(
      (await keysOf(id)).map((k) => [k.fingerprint, k.description]),
      [
        [old.fingerprint, 'current'],
        [next.fingerprint, 'next'],
      ],
    );
    assertClean(first);

    engine.mark();
    const again = await engine.reconcile(id);
    assert.equal(again.result, 'in-sync', JSON.stringify(again));
    assert.deepEqual(engine.writes(), []);

    // Commit 2: [new] with AllowHostKeyRotation. A dry run says what clients will see, before it happens.
    await engine.putDocument(id, { HostKeys: [nextRef], Reconciler: { AllowHostKeyRotation: true } });
    engine.mark();
    const planned = await engine.reconcile(id, { modeOverride: 'detect' });
    assert.equal(planned.result, 'drift-detected');
    assert.deepEqual(engine.writes(), []);
    const announcement = `clients will see a new ED25519 host key: ${next.fingerprint} (was ${old.fingerprint}); clients that pinned the old key must accept the new one.`;
    assert.ok(planned.warnings.includes(announcement), JSON.stringify(planned.warnings));
    assert.deepEqual(planned.hostKeys, [{ algorithm: 'ssh-ed25519', before: old.fingerprint, after: next.fingerprint }]);
    const text = planServerLines(planned, paint(false)).join('\n');
    assert.ok(text.includes(`- HostKeys.${old.fingerprint}: ssh-ed25519 "current"`), text);
    assert.ok(text.includes(`active ED25519 host key: ${old.fingerprint} → ${next.fingerprint}`), text);
    assert.ok(text.includes(announcement), text);
    assertClean(planned);

    engine.mark();
    const second = await engine.reconcile(id);
    assert.equal(second.result, 'updated', JSON.stringify(second));
    assert.deepEqual(second.done, [`DeleteHostKey(${old.fingerprint})`]);
    assert.ok(second.warnings.includes(announcement));
    assert.deepEqual(second.hostKeys, [{ algorithm: 'ssh-ed25519', before: old.fingerprint, after: next.fingerprint }]);
    assert.equal(await activeOf(id), next.fingerprint);
    assert.equal(normaliseFingerprint((await engine.describe(id)).HostKeyFingerprint ?? ''), next.fingerprint);
    assertClean(second);

    engine.mark();
    const settled = await engine.reconcile(id);
    assert.equal(settled.result, 'in-sync');
    assert.deepEqual(engine.writes(), []);
  });

  test('a key on the server that HostKeys does not list, without AllowHostKeyRotation: blocked, zero writes (no import either)', async () => {
    const old = newKey();
    const next = newKey();
    const id = await serverWithKey(old.text);
    await engine.putDocument(id, {
      HostKeys: [{ SecureStringParameter: await putKey(`/transfer-reconciler/host-keys/${id}`, next.text) }],
    });
    engine.mark();
    const o = await engine.reconcile(id);
    assertOutcomeShape(o);
    assert.equal(o.result, 'blocked', JSON.stringify(o));
    assert.deepEqual(
      o.issues?.map((i) => i.path),
      ['$.HostKeys'],
    );
    assert.match(o.issues?.[0]?.message ?? '', new RegExp(`${escape(old.fingerprint)} \\(ssh-ed25519\\).*AllowHostKeyRotation`));
    assert.deepEqual(engine.writes(), []);
    assert.deepEqual(
      (await keysOf(id)).map((k) => k.fingerprint),
      [old.fingerprint],
    );
    assert.ok(!o.warnings.some((w) => /clients will see/.test(w)), 'nothing is announced that will not happen');
    assertClean(o);
  });

  test('a first key of a new algorithm: imported without permission, and clients that prefer it are warned', async () => {
    const ed = newKey();
    const ec = newKey('ecdsa');
    const id = await serverWithKey(ed.text);
    await engine.putDocument(id, {
      HostKeys: [
        { SecureStringParameter: await putKey(`/transfer-reconciler/host-keys/${id}-ed`, ed.text) },
        { SecureStringParameter: await putKey(`/transfer-reconciler/host-keys/${id}-ec`, ec.text) },
      ],
    });
    const o = await engine.reconcile(id);
    assert.equal(o.result, 'updated', JSON.stringify(o));
    assert.ok(
      o.warnings.includes(
        `the server gets a first ECDSA (nistp256) key (${ec.fingerprint}): clients that prefer ECDSA will see a new host key.`,
      ),
      JSON.stringify(o.warnings),
    );
    assert.equal(await activeOf(id, 'ecdsa-sha2-nistp256'), ec.fingerprint);
    assert.equal(await activeOf(id), ed.fingerprint);
    assertClean(o);
  });

  test('keys imported, deleted and re-described by hand: reported in detect mode, repaired by one sweep, a second sweep writes nothing', async () => {
    const a = newKey();
    const b = newKey('ecdsa');
    const stray = newKey();
    const id = await serverWithKey(a.text);
    await engine.putDocument(id, {
      HostKeys: [
        { SecureStringParameter: await putKey(`/transfer-reconciler/host-keys/${id}-a`, a.text), Description: 'primary' },
        { SecureStringParameter: await putKey(`/transfer-reconciler/host-keys/${id}-b`, b.text), Description: 'ecdsa' },
      ],
      Reconciler: { AllowHostKeyRotation: true },
    });
    assert.equal((await engine.reconcile(id)).result, 'updated');
    const before = await keysOf(id);
    const keyB = before.find((k) => k.fingerprint === b.fingerprint);
    const keyA = before.find((k) => k.fingerprint === a.fingerprint);
    assert.ok(keyA && keyB);

    // By hand, behind the reconciler's back: a stray key imported, b deleted, a's description changed.
    await engine.transfer.send(new ImportHostKeyCommand({ ServerId: id, HostKeyBody: stray.text, Description: 'by hand' }));
    await engine.transfer.send(new DeleteHostKeyCommand({ ServerId: id, HostKeyId: keyB.id }));
    await engine.transfer.send(new UpdateHostKeyCommand({ ServerId: id, HostKeyId: keyA.id, Description: 'edited' }));

    engine.mark();
    const detected = await engine.reconcile(id, { modeOverride: 'detect' });
    assert.equal(detected.result, 'drift-detected', JSON.stringify(detected));
    assert.deepEqual(
      detected.changes.map((c) => c.path).sort(),
      [`HostKeys.${a.fingerprint}.Description`, `HostKeys.${b.fingerprint}`, `HostKeys.${stray.fingerprint}`].sort(),
    );
    assert.deepEqual(engine.writes(), []);
    assertClean(detected);

    engine.mark();
    const swept = await engine.reconcileMany({ all: true });
    const mine = swept.outcomes.find((o) => o.serverId === id);
    assert.equal(mine?.result, 'updated', JSON.stringify(mine));
    assert.deepEqual(mine.done, [
      `ImportHostKey(${b.fingerprint})`,
      `UpdateHostKey(${a.fingerprint})`,
      `DeleteHostKey(${stray.fingerprint})`,
    ]);
    assert.deepEqual(writesOf(id), ['ImportHostKey', 'UpdateHostKey', 'DeleteHostKey']);
    assert.deepEqual(
      (await keysOf(id)).map((k) => [k.fingerprint, k.description]),
      [
        [a.fingerprint, 'primary'],
        [b.fingerprint, 'ecdsa'],
      ],
    );
    for (const o of swept.outcomes) assertClean(o);

    engine.mark();
    const again = await engine.reconcileMany({ all: true });
    assert.equal(again.outcomes.find((o) => o.serverId === id)?.result, 'in-sync');
    assert.deepEqual(writesOf(id), []);
  });
});
