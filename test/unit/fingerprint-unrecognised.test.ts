// Defect 7 at the boundary: whatever DescribeServer reports as HostKeyFingerprint that is not a
// SHA-256 fingerprint becomes "(unrecognised fingerprint)" when the server is normalised, so no
// plan, outcome or CLI form can carry it; it still counts as a key the server has.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { planChangeLine } from '../../functions/cli/format/plan-text.ts';
import { plan } from '../../functions/reconciler/plan/plan.ts';
import { normaliseServer } from '../../functions/reconciler/observed/normalise.ts';
import {
  UNRECOGNISED_FINGERPRINT,
  canonicalFingerprint,
  normaliseFingerprint,
  sameFingerprint,
} from '../../functions/shared/fingerprint.ts';
import { parsePrivateKey } from '../../functions/shared/ssh-key.ts';
import { assertNoKeyMaterial } from '../helpers/secrets.ts';
import { desiredOf, observedOf } from './plan-fixtures.ts';

const KEY = readFileSync(new URL('../fixtures/keys/test-rsa-2048.pem', import.meta.url), 'utf8');
const AWS_FORM = 'SHA256:WIaSuKX7225mo92t1IPEwxo4BXc60OEqVh7626MJTVs=';
const CANONICAL = 'SHA256:WIaSuKX7225mo92t1IPEwxo4BXc60OEqVh7626MJTVs';

describe('fingerprints', () => {
  test('every form of a SHA-256 fingerprint becomes the canonical one', () => {
    assert.equal(normaliseFingerprint(parsePrivateKey(KEY).fingerprint), CANONICAL);
    for (const form of [AWS_FORM, CANONICAL, AWS_FORM.slice(7), CANONICAL.slice(7), ` sha256:${CANONICAL.slice(7)}\n`]) {
      assert.equal(normaliseFingerprint(form), CANONICAL, form);
      assert.equal(canonicalFingerprint(form), CANONICAL, form);
    }
  });

  test('anything else is unrecognised, never echoed: a private key, MD5, a short or long body, garbage', () => {
    const others = [
      KEY,
      KEY.split('\n')[1] as string,
      'MD5:5c:87:0b:41:8c:b6:8a:4c:2f:49:1e:53:b0:4d:6e:21',
      'SHA256:abc=',
      `${CANONICAL}A`,
      `${AWS_FORM}=`,
      'SHA1:WIaSuKX7225mo92t1IPEwxo4BXc=',
      'not a fingerprint',
    ];
    for (const text of others) {
      assert.equal(normaliseFingerprint(text), UNRECOGNISED_FINGERPRINT, text.slice(0, 20));
      assert.equal(canonicalFingerprint(text), undefined);
    }
  });

  test('an unrecognised fingerprint equals nothing, not even itself', () => {
    assert.equal(sameFingerprint(AWS_FORM, CANONICAL), true);
    assert.equal(sameFingerprint(UNRECOGNISED_FINGERPRINT, UNRECOGNISED_FINGERPRINT), false);
    assert.equal(sameFingerprint(KEY, KEY), false);
    assert.equal(sameFingerprint(undefined, undefined), true);
  });

  test('normaliseServer: a private key reported as HostKeyFingerprint (moto) becomes "(unrecognised fingerprint)", idempotently', () => {
    const observed = normaliseServer({ ServerId: 's-0123456789abcdef0', HostKeyFingerprint: KEY });
    assert.equal(observed.HostKeyFingerprint, UNRECOGNISED_FINGERPRINT);
    assert.deepEqual(normaliseServer(observed as unknown as Record<string, unknown>), observed);
    assertNoKeyMaterial(JSON.stringify(observed), KEY);
  });

  test('the plan: replacing an unrecognised key needs AllowHostKeyRotation; the change shows no key text', () => {
    const observed = observedOf({ HostKeyFingerprint: KEY });
    const blocked = plan(desiredOf({ HostKey: { SecureStringParameter: '/k' } }, { fingerprint: CANONICAL }), observed);
    assert.deepEqual(blocked.changes, [{ path: 'HostKey', from: UNRECOGNISED_FINGERPRINT, to: CANONICAL }]);
    assert.deepEqual(
      blocked.blocked.map((i) => i.path),
      ['$.HostKey'],
    );
    assert.match(blocked.blocked[0]?.message ?? '', /\(unrecognised fingerprint\).*AllowHostKeyRotation/);
    assert.equal(planChangeLine(blocked.changes[0]!), `~ HostKey: "${UNRECOGNISED_FINGERPRINT}" → "${CANONICAL}"`);
    const allowed = plan(
      desiredOf({ HostKey: { SecureStringParameter: '/k' } }, { fingerprint: CANONICAL, policy: { AllowHostKeyRotation: true } }),
      observed,
    );
    assert.deepEqual(allowed.blocked, []);
    assertNoKeyMaterial(JSON.stringify([blocked, allowed]), KEY);
  });

  test('the CLI line shows a HostKey change only as fingerprints, whatever the change holds', () => {
    assert.equal(planChangeLine({ path: 'HostKey', from: KEY, to: AWS_FORM }), `~ HostKey: "${UNRECOGNISED_FINGERPRINT}" → "${CANONICAL}"`);
    const banner = planChangeLine({ path: 'PreAuthenticationLoginBanner', from: `hello\n${KEY}`, to: 'Welcome' });
    assert.equal(banner, '~ PreAuthenticationLoginBanner: (text withheld: looks like key material) → "Welcome"');
  });
});
