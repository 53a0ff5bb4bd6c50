// The CustomHostname key: an object {Hostname, Route53HostedZoneId?} or "" (remove), checked
// before any call; the transfer: tag keys are not for Tags.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateStatic } from '../../functions/reconciler/desired/validate-static.ts';
import { documentSchema } from '../../functions/reconciler/desired/json-schema.ts';

const check = (doc: unknown) => validateStatic(doc, { source: 't' });
const messages = (doc: unknown): string[] => {
  const r = check(doc);
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
};

describe('CustomHostname in the document', () => {
  test('valid forms', () => {
    for (const value of [
      '',
      { Hostname: 'sftp.example.com' },
      { Hostname: 'sftp.example.com', Route53HostedZoneId: '/hostedzone/Z0123456789ABCDEFGHIJ' },
    ]) {
      assert.deepEqual(messages({ CustomHostname: value }), [], JSON.stringify(value));
    }
  });

  test('precise messages for bad names, zones, unknown members and a missing Hostname', () => {
    assert.match(
      messages({ CustomHostname: { Hostname: 'no_underscores.example.com' } }).join('\n'),
      /\$\.CustomHostname\.Hostname: must be a DNS host name/,
    );
    assert.match(
      messages({ CustomHostname: { Hostname: 'a.example.com', Route53HostedZoneId: 'Z0123' } }).join('\n'),
      /Write it as \/hostedzone\//,
    );
    assert.match(messages({ CustomHostname: { Hostname: 'a.example.com', Zone: 'x' } }).join('\n'), /"Zone" is not a known key/);
    assert.match(messages({ CustomHostname: {} }).join('\n'), /\$\.CustomHostname\.Hostname: "Hostname" is required/);
    assert.match(messages({ CustomHostname: 'sftp.example.com' }).join('\n'), /\$\.CustomHostname: must be an object/);
  });

  test('a transfer: tag key in Tags points at CustomHostname', () => {
    assert.match(messages({ Tags: [{ Key: 'transfer:customHostname', Value: 'a.example.com' }] }).join('\n'), /set "CustomHostname"/);
  });

  test('the JSON Schema takes the object or ""', () => {
    const schema = documentSchema() as { properties: Record<string, { oneOf?: unknown[] }> };
    assert.equal(schema.properties.CustomHostname?.oneOf?.length, 2);
  });
});
