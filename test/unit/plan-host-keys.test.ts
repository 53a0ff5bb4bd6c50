// plan/host-keys.ts through plan(): keys matched by fingerprint, imports before updates before
// deletes, deletes only with AllowHostKeyRotation (else blocked, zero steps), the active key per
// algorithm before and after, unrecognised fingerprints, the count limit; and, as a property,
// that a plan carried out (test/helpers/simulate.ts) leaves nothing to do.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { plan, planIsEmpty } from '../../functions/reconciler/plan/plan.ts';
import { UNRECOGNISED_FINGERPRINT } from '../../functions/shared/fingerprint.ts';
import type { DesiredServer, HostKeySecret, ObservedHostKey, ObservedServer, ReconcilerPolicy } from '../../functions/reconciler/types.ts';
import { applyToObserved } from '../helpers/simulate.ts';
import { desiredOf, observedOf } from './plan-fixtures.ts';

/** A fingerprint-shaped name: `SHA256:` + 43 base64 characters, distinct per letter. */
const fp = (c: string): string => `SHA256:${c.repeat(43)}`;

function secret(c: string, algorithm = 'ssh-ed25519'): HostKeySecret {
  return { fingerprint: fp(c), algorithm, reveal: () => `SECRET-${c}` };
}

interface Entry {
  key: string;
  algorithm?: string;
  description?: string;
}

function desiredWith(entries: Entry[], policy: ReconcilerPolicy = {}): DesiredServer {
  const desired = desiredOf(
    {
      HostKeys: entries.map((e) => ({
        SecureStringParameter: `/keys/${e.key}`,
        ...(e.description !== undefined ? { Description: e.description } : {}),
      })),
    },
    { policy },
  );
  desired.hostKeys = entries.map((e) => ({
    parameter: `/keys/${e.key}`,
    secret: secret(e.key, e.algorithm),
    ...(e.description !== undefined ? { description: e.description } : {}),
  }));
  return desired;
}

function held(c: string, date: number, type = 'ssh-ed25519', description = ''): ObservedHostKey {
  return { HostKeyId: `hostkey-${c.repeat(17)}`, Fingerprint: fp(c), Type: type, Description: description, DateImported: date };
}

function serverWith(keys: ObservedHostKey[]): ObservedServer {
  return { ...observedOf(), HostKeys: keys };
}

const kinds = (p: ReturnType<typeof plan>): string[] =>
  p.steps.map((s) =>
    s.kind === 'import-host-key' ? `import ${s.secret.fingerprint}` : 'hostKeyId' in s ? `${s.kind} ${s.hostKeyId}` : s.kind,
  );

describe('plan: HostKeys', () => {
  test('a listed key the server holds (same fingerprint) is in sync, whatever its description when none is desired', () => {
    const p = plan(desiredWith([{ key: 'a' }]), serverWith([held('a', 1, 'ssh-ed25519', 'set by hand')]));
    assert.ok(planIsEmpty(p), JSON.stringify(p));
    assert.deepEqual(p.hostKeys, [{ algorithm: 'ssh-ed25519', before: fp('a'), after: fp('a') }]);
  });

  test('step one of a rotation: [old, new] imports new (no permission needed); the active key stays old, and the plan says so', () => {
    const p = plan(desiredWith([{ key: 'a' }, { key: 'b', description: 'next' }]), serverWith([held('a', 1)]));
    assert.deepEqual(p.blocked, []);
    assert.deepEqual(kinds(p), [`import ${fp('b')}`]);
    assert.deepEqual(p.changes, [{ path: `HostKeys.${fp('b')}`, from: undefined, to: { Type: 'ssh-ed25519', Description: 'next' } }]);
    assert.deepEqual(p.hostKeys, [{ algorithm: 'ssh-ed25519', before: fp('a'), after: fp('a') }]);
    assert.ok(!p.warnings.some((w) => /clients will see/.test(w)), JSON.stringify(p.warnings));
    const step = p.steps[0];
    assert.ok(step?.kind === 'import-host-key' && step.description === 'next' && step.parameter === '/keys/b');
  });

  test('step two: [new] deletes old only with AllowHostKeyRotation, and says before it happens that clients will see the new key', () => {
    const observed = serverWith([held('a', 1), held('b', 2)]);
    const blocked = plan(desiredWith([{ key: 'b' }]), observed);
    assert.deepEqual(blocked.steps, []);
    assert.deepEqual(
      blocked.blocked.map((i) => i.path),
      ['$.HostKeys'],
    );
    assert.match(blocked.blocked[0]?.message ?? '', new RegExp(`${fp('a').replace('+', '\\+')}.*AllowHostKeyRotation`));
    assert.ok(!blocked.warnings.some((w) => /clients will see/.test(w)), 'nothing is said to happen while it is blocked');

    const allowed = plan(desiredWith([{ key: 'b' }], { AllowHostKeyRotation: true }), observed);
    assert.deepEqual(kinds(allowed), [`delete-host-key hostkey-${'a'.repeat(17)}`]);
    assert.deepEqual(allowed.changes, [{ path: `HostKeys.${fp('a')}`, from: { Type: 'ssh-ed25519', Description: '' }, to: undefined }]);
    assert.deepEqual(allowed.hostKeys, [{ algorithm: 'ssh-ed25519', before: fp('a'), after: fp('b') }]);
    assert.ok(
      allowed.warnings.includes(
        `clients will see a new ED25519 host key: ${fp('b')} (was ${fp('a')}); clients that pinned the old key must accept the new one.`,
      ),
    );
  });

  test('a one-commit rotation runs imports, then description updates, then deletes: never an algorithm without its key', () => {
    const observed = serverWith([held('a', 1), held('c', 2, 'ssh-rsa', 'old text'), held('d', 3, 'ssh-rsa')]);
    const p = plan(
      desiredWith([{ key: 'e', algorithm: 'ssh-rsa' }, { key: 'c', algorithm: 'ssh-rsa', description: 'new text' }, { key: 'b' }], {
        AllowHostKeyRotation: true,
      }),
      observed,
    );
    assert.deepEqual(kinds(p), [
      `import ${fp('e')}`,
      `import ${fp('b')}`,
      `update-host-key hostkey-${'c'.repeat(17)}`,
      `delete-host-key hostkey-${'a'.repeat(17)}`,
      `delete-host-key hostkey-${'d'.repeat(17)}`,
    ]);
    // RSA: c (the oldest RSA key) stays, so clients keep seeing it; ED25519 moves from a to b.
    assert.deepEqual(p.hostKeys, [
      { algorithm: 'ssh-ed25519', before: fp('a'), after: fp('b') },
      { algorithm: 'ssh-rsa', before: fp('c'), after: fp('c') },
    ]);
    assert.ok(p.changes.some((c) => c.path === `HostKeys.${fp('c')}.Description` && c.from === 'old text' && c.to === 'new text'));
  });

  test('other steps come first: UpdateServer, then the host keys, then tags', () => {
    const desired = desiredWith([{ key: 'a' }, { key: 'b' }]);
    desired.document.PreAuthenticationLoginBanner = 'hello';
    desired.document.Tags = [{ Key: 'team', Value: 'x' }];
    const p = plan(desired, serverWith([held('a', 1)]));
    assert.deepEqual(kinds(p), ['update', `import ${fp('b')}`, 'tag']);
  });

  test('a first key of a new algorithm is said to be new to the clients that prefer it', () => {
    const p = plan(desiredWith([{ key: 'a' }, { key: 'b', algorithm: 'ecdsa-sha2-nistp256' }]), serverWith([held('a', 1)]));
    assert.deepEqual(p.hostKeys, [
      { algorithm: 'ecdsa-sha2-nistp256', after: fp('b') },
      { algorithm: 'ssh-ed25519', before: fp('a'), after: fp('a') },
    ]);
    assert.ok(
      p.warnings.includes(`the server gets a first ECDSA (nistp256) key (${fp('b')}): clients that prefer ECDSA will see a new host key.`),
      JSON.stringify(p.warnings),
    );
  });

  test('the last key of an algorithm going away is said too', () => {
    const p = plan(desiredWith([{ key: 'a' }], { AllowHostKeyRotation: true }), serverWith([held('a', 1), held('r', 2, 'ssh-rsa')]));
    assert.deepEqual(
      p.hostKeys?.find((a) => a.algorithm === 'ssh-rsa'),
      { algorithm: 'ssh-rsa', before: fp('r') },
    );
    assert.ok(p.warnings.some((w) => w.startsWith('the server will no longer have a RSA host key')));
  });

  test('matched by fingerprint, never by description; the oldest of an algorithm is the active one whatever the listing order', () => {
    const observed = serverWith([held('b', 20, 'ssh-ed25519', 'primary'), held('a', 10, 'ssh-ed25519', 'backup')]);
    const p = plan(
      desiredWith([
        { key: 'b', description: 'primary' },
        { key: 'a', description: 'backup' },
      ]),
      observed,
    );
    assert.ok(planIsEmpty(p));
    assert.deepEqual(p.hostKeys, [{ algorithm: 'ssh-ed25519', before: fp('a'), after: fp('a') }]);
  });

  test('a key with an unrecognised fingerprint never matches: deleting it needs AllowHostKeyRotation, and its text is never shown', () => {
    const odd: ObservedHostKey = { ...held('z', 1), Fingerprint: UNRECOGNISED_FINGERPRINT };
    const p = plan(desiredWith([{ key: 'a' }]), serverWith([odd]));
    assert.deepEqual(p.steps, []);
    assert.match(p.blocked[0]?.message ?? '', /\(unrecognised fingerprint\) hostkey-z{17}/);
    const allowed = plan(desiredWith([{ key: 'a' }], { AllowHostKeyRotation: true }), serverWith([odd]));
    assert.deepEqual(kinds(allowed), [`import ${fp('a')}`, `delete-host-key hostkey-${'z'.repeat(17)}`]);
    assert.deepEqual(allowed.hostKeys, [{ algorithm: 'ssh-ed25519', before: UNRECOGNISED_FINGERPRINT, after: fp('a') }]);
  });

  test('a description on the server that looks like key material is withheld from the changes', () => {
    const line = 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW';
    const p = plan(desiredWith([{ key: 'a', description: 'ok' }]), serverWith([held('a', 1, 'ssh-ed25519', line)]));
    assert.ok(!JSON.stringify(p).includes(line));
    assert.deepEqual(p.changes[0]?.path, `HostKeys.${fp('a')}.Description`);
  });

  test('the count limit: a plan that would hold more than 10 keys at once (imports before deletes) is invalid, zero steps', () => {
    const observed = serverWith('abcdefghij'.split('').map((c, i) => held(c, i + 1)));
    const p = plan(desiredWith([...'abcdefghi'.split('').map((key) => ({ key })), { key: 'k' }], { AllowHostKeyRotation: true }), observed);
    assert.deepEqual(p.steps, []);
    assert.match(p.invalid[0]?.message ?? '', /11 keys on the server at once.*at most 10 host keys per server \(the limit quoted/);
  });

  test('HostKeys whose keys were not read, or a server whose keys were not listed: invalid, never planned blind', () => {
    const unread = desiredWith([{ key: 'a' }]);
    delete unread.hostKeys;
    assert.deepEqual(
      plan(unread, serverWith([])).invalid.map((i) => i.path),
      ['$.HostKeys'],
    );
    const p = plan(desiredWith([{ key: 'a' }]), observedOf());
    assert.deepEqual(
      p.invalid.map((i) => i.path),
      ['$.HostKeys'],
    );
    assert.deepEqual(p.steps, []);
  });

  test('no key material in a plan: the secrets stay in the steps, never in changes, warnings or the summary', () => {
    const p = plan(desiredWith([{ key: 'b' }], { AllowHostKeyRotation: true }), serverWith([held('a', 1)]));
    const { steps: _steps, ...rest } = p;
    assert.ok(!JSON.stringify(rest).includes('SECRET'));
  });
});

describe('plan: HostKeys properties', () => {
  const letters = 'abcdefgh'.split('');
  const algorithms = ['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256'];
  const keyArb = fc.record({ c: fc.constantFrom(...letters), description: fc.option(fc.constantFrom('', 'x', 'y'), { nil: undefined }) });
  // The algorithm belongs to the key: derived from its letter, so one key never has two.
  const algorithmOf = (c: string): string => algorithms[letters.indexOf(c) % algorithms.length] as string;
  const caseArb = fc.record({
    wanted: fc.uniqueArray(keyArb, { selector: (k) => k.c, minLength: 1, maxLength: 5 }),
    held: fc.uniqueArray(fc.record({ c: fc.constantFrom(...letters), description: fc.constantFrom('', 'x', 'y') }), {
      selector: (k) => k.c,
      maxLength: 5,
    }),
    allow: fc.boolean(),
  });

  test('after the steps are carried out, planning again finds nothing; the active keys are the ones the plan announced', () => {
    let applied = 0;
    fc.assert(
      fc.property(caseArb, ({ wanted, held: keys, allow }) => {
        const desired = desiredWith(
          wanted.map((w) => ({
            key: w.c,
            algorithm: algorithmOf(w.c),
            ...(w.description !== undefined ? { description: w.description } : {}),
          })),
          { AllowHostKeyRotation: allow },
        );
        // Dates 1..n: the simulation dates an import after the keys already there.
        const observed = serverWith(keys.map((k, i) => held(k.c, i + 1, algorithmOf(k.c), k.description)));
        const first = plan(desired, observed);
        if (first.blocked.length > 0 || first.invalid.length > 0) {
          assert.deepEqual(first.steps, []);
          return;
        }
        applied += 1;
        const lastImport = first.steps.map((s) => s.kind).lastIndexOf('import-host-key');
        const firstDelete = first.steps.findIndex((s) => s.kind === 'delete-host-key');
        assert.ok(
          first.steps.slice(0, lastImport + 1).every((s) => s.kind === 'import-host-key'),
          'imports first',
        );
        assert.ok(firstDelete === -1 || first.steps.slice(firstDelete).every((s) => s.kind === 'delete-host-key'), 'deletes last');
        const after = applyToObserved(first, observed, 'merge');
        const second = plan(desired, after);
        assert.deepEqual(second.changes, [], JSON.stringify(first.steps.map((s) => s.kind)));
        assert.ok(planIsEmpty(second));
        // What the first plan announced as "after" is what the server now shows as active.
        assert.deepEqual(
          second.hostKeys?.filter((a) => a.after !== undefined).map((a) => [a.algorithm, a.before]),
          first.hostKeys?.filter((a) => a.after !== undefined).map((a) => [a.algorithm, a.after]),
        );
      }),
      { numRuns: 300, seed: 42 },
    );
    assert.ok(applied > 50, `only ${applied} plans were applicable`);
  });
});
