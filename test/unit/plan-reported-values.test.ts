// What the server reports is echoed in plans and outcomes (`changes[].from`) — except text that
// looks like key material, which someone may have pasted into a banner or a tag by hand.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { plan } from '../../functions/reconciler/plan/plan.ts';
import { WITHHELD } from '../../functions/reconciler/desired/user-text.ts';
import { assertNoKeyMaterial, keyMaterialLines, markedHostKey } from '../helpers/secrets.ts';
import { desiredOf, observedOf } from './plan-fixtures.ts';

const key = markedHostKey('rsa');
const line = keyMaterialLines(key)[1] ?? '';

describe('values the server reports', () => {
  test('a banner or tag value holding a key line is withheld from the changes; the comparison still sees it', () => {
    const p = plan(
      desiredOf({ PreAuthenticationLoginBanner: 'Welcome', Tags: [{ Key: 'team', Value: 'sftp' }] }),
      observedOf({ PreAuthenticationLoginBanner: `notice\n${line}`, Tags: [{ Key: 'team', Value: line }] }),
    );
    assert.deepEqual(
      p.changes.map((c) => [c.path, c.from, c.to]),
      [
        ['PreAuthenticationLoginBanner', WITHHELD, 'Welcome'],
        ['Tags.team', WITHHELD, 'sftp'],
      ],
    );
    assertNoKeyMaterial(JSON.stringify(p), key);
  });

  test('ordinary values are shown as the server reports them', () => {
    const p = plan(desiredOf({ PreAuthenticationLoginBanner: 'new' }), observedOf({ PreAuthenticationLoginBanner: 'Authorised use only' }));
    assert.deepEqual(p.changes[0]?.from, 'Authorised use only');
  });
});
