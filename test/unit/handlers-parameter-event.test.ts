// What a Parameter Store change event asks for, and which documents reference a host key.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { targetOf } from '../../functions/handlers/lib/parameter-event.ts';
import type { ParameterChangeEvent } from '../../functions/handlers/lib/parameter-event.ts';
import { documentsReferencing, hostKeyReference } from '../../functions/handlers/lib/host-key-references.ts';

const config = { prefix: '/tr/servers/', hostKeyPrefix: '/tr/keys/' };
const ID = 's-0123456789abcdef0';

function event(name: string, operation = 'Update', overrides: Partial<ParameterChangeEvent> = {}): ParameterChangeEvent {
  return {
    version: '0',
    id: 'e1',
    'detail-type': 'Parameter Store Change',
    source: 'aws.ssm',
    account: '111122223333',
    time: '2026-01-01T00:00:00Z',
    region: 'eu-west-1',
    resources: [`arn:aws:ssm:eu-west-1:111122223333:parameter${name}`],
    detail: { operation, name, type: 'String', description: '' },
    ...overrides,
  };
}

describe('targetOf', () => {
  for (const op of ['Create', 'Update', 'LabelParameterVersion']) {
    test(`${op} of a document keys its server`, () => {
      assert.deepEqual(targetOf(event(`/tr/servers/${ID}`, op), config), {
        kind: 'document',
        serverId: ID,
        name: `/tr/servers/${ID}`,
        deleted: false,
      });
    });
  }

  test('Delete of a document is marked deleted', () => {
    assert.deepEqual(targetOf(event(`/tr/servers/${ID}`, 'Delete'), config), {
      kind: 'document',
      serverId: ID,
      name: `/tr/servers/${ID}`,
      deleted: true,
    });
  });

  test('a parameter under the host-key prefix keys the servers that reference it', () => {
    assert.deepEqual(targetOf(event('/tr/keys/web', 'Update'), config), { kind: 'host-key', name: '/tr/keys/web', operation: 'Update' });
  });

  test('names outside both prefixes, nested names and non-server names are ignored with a reason', () => {
    for (const name of ['/other/x', '/tr/serversX', `/tr/servers/nested/${ID}`, '/tr/servers/readme', `/tr/servers/${ID.toUpperCase()}`]) {
      const t = targetOf(event(name), config);
      assert.equal(t.kind, 'ignored', name);
      assert.ok(t.kind === 'ignored' && t.reason.includes(name), name);
    }
  });

  test('events that are not Parameter Store changes are ignored', () => {
    assert.equal(targetOf(event(`/tr/servers/${ID}`, 'Update', { source: 'aws.s3' as 'aws.ssm' }), config).kind, 'ignored');
    assert.equal(
      targetOf(event(`/tr/servers/${ID}`, 'Update', { 'detail-type': 'Other' as 'Parameter Store Change' }), config).kind,
      'ignored',
    );
    assert.equal(targetOf({ ...event('/x'), detail: undefined as unknown as ParameterChangeEvent['detail'] }, config).kind, 'ignored');
  });
});

describe('host-key references', () => {
  const doc = (serverId: string, text: string) => ({ serverId, name: `/tr/servers/${serverId}`, type: 'String', text });
  const ref = (name: string) => JSON.stringify({ HostKey: { SecureStringParameter: name } });

  test('reads the reference from the raw document, even when the rest is invalid', () => {
    assert.equal(hostKeyReference(ref('/tr/keys/a')), '/tr/keys/a');
    assert.equal(hostKeyReference(JSON.stringify({ HostKey: { SecureStringParameter: '/tr/keys/a' }, Protocls: ['SFTP'] })), '/tr/keys/a');
    assert.equal(hostKeyReference('{"Protocols":["SFTP"]}'), undefined);
    assert.equal(hostKeyReference('not json'), undefined);
    assert.equal(hostKeyReference('null'), undefined);
    assert.equal(hostKeyReference('{"HostKey":"-----BEGIN"}'), undefined);
  });

  test('selects exactly the documents naming the parameter', () => {
    const docs = [
      doc('s-00000000000000001', ref('/tr/keys/a')),
      doc('s-00000000000000002', ref('/tr/keys/b')),
      doc('s-00000000000000003', ref('/tr/keys/a')),
      doc('s-00000000000000004', '{}'),
    ];
    assert.deepEqual(
      documentsReferencing(docs, '/tr/keys/a').map((d) => d.serverId),
      ['s-00000000000000001', 's-00000000000000003'],
    );
    assert.deepEqual(documentsReferencing(docs, '/tr/keys/c'), []);
  });
});
