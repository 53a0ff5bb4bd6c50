// CustomHostname: the transfer:customHostname / transfer:route53HostedZoneId tags; the older
// aws:transfer: forms are read as equal, never written; Tags and PruneTags never touch them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { plan } from '../../functions/reconciler/plan/plan.ts';
import { desiredOf, observedOf } from './plan-fixtures.ts';

const ZONE = '/hostedzone/Z0123456789ABCDEFGHIJ';
const tags = (entries: Record<string, string>) => Object.entries(entries).map(([Key, Value]) => ({ Key, Value }));

describe('custom hostname', () => {
  test('set on a server without one: one TagResource with both transfer: tags', () => {
    const p = plan(desiredOf({ CustomHostname: { Hostname: 'sftp.example.com', Route53HostedZoneId: ZONE } }), observedOf());
    assert.deepEqual(
      p.changes.map((c) => [c.path, c.from, c.to]),
      [
        ['CustomHostname.Hostname', undefined, 'sftp.example.com'],
        ['CustomHostname.Route53HostedZoneId', undefined, ZONE],
      ],
    );
    assert.deepEqual(p.steps, [
      {
        kind: 'tag',
        tags: [
          { Key: 'transfer:customHostname', Value: 'sftp.example.com' },
          { Key: 'transfer:route53HostedZoneId', Value: ZONE },
        ],
      },
    ]);
  });

  test('the older aws:transfer: tags with the same value are in sync; a different value is written in the transfer: form', () => {
    const legacy = observedOf({
      Tags: tags({ 'aws:transfer:customHostname': 'sftp.example.com', 'aws:transfer:route53HostedZoneId': ZONE }),
    });
    assert.deepEqual(plan(desiredOf({ CustomHostname: { Hostname: 'sftp.example.com', Route53HostedZoneId: ZONE } }), legacy).changes, []);
    const p = plan(desiredOf({ CustomHostname: { Hostname: 'files.example.com' } }), legacy);
    assert.deepEqual(p.steps, [{ kind: 'tag', tags: [{ Key: 'transfer:customHostname', Value: 'files.example.com' }] }]);
  });

  test('"" removes the transfer: tags; with only aws:transfer: tags it is invalid (only AWS can remove those)', () => {
    const p = plan(
      desiredOf({ CustomHostname: '' }),
      observedOf({ Tags: tags({ 'transfer:customHostname': 'a.example.com', 'transfer:route53HostedZoneId': ZONE }) }),
    );
    assert.deepEqual(p.steps, [{ kind: 'untag', keys: ['transfer:customHostname', 'transfer:route53HostedZoneId'] }]);
    const legacy = plan(desiredOf({ CustomHostname: '' }), observedOf({ Tags: tags({ 'aws:transfer:customHostname': 'a.example.com' }) }));
    assert.equal(legacy.invalid[0]?.path, '$.CustomHostname');
    assert.deepEqual(legacy.steps, []);
    assert.deepEqual(plan(desiredOf({ CustomHostname: '' }), observedOf()).changes, []);
  });

  test('PruneTags never removes the hostname tags, and Tags cannot set them', () => {
    const p = plan(
      desiredOf({ Tags: [{ Key: 'team', Value: 'x' }] }, { policy: { PruneTags: true } }),
      observedOf({ Tags: tags({ team: 'x', 'transfer:customHostname': 'a.example.com', 'transfer:route53HostedZoneId': ZONE }) }),
    );
    assert.deepEqual(p.changes, []);
  });

  test('without Route53HostedZoneId the zone tag is left as it is', () => {
    const p = plan(
      desiredOf({ CustomHostname: { Hostname: 'a.example.com' } }),
      observedOf({ Tags: tags({ 'transfer:customHostname': 'a.example.com', 'transfer:route53HostedZoneId': ZONE }) }),
    );
    assert.deepEqual(p.changes, []);
  });
});
