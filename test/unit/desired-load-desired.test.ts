// Assembling a DesiredServer without Parameter Store (the host key is then checked for form only).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { desiredFromRaw, desiredFromText, describeSource } from '../../functions/reconciler/desired/load-desired.ts';
import { InvalidDesiredStateError } from '../../functions/reconciler/errors.ts';

const ID = 's-0123456789abcdef0';
const FILE = { kind: 'file', name: `servers/${ID}.yaml` } as const;

describe('desiredFromRaw / desiredFromText', () => {
  test('policy defaults are filled and the document kept', async () => {
    const desired = await desiredFromRaw({ Protocols: ['SFTP'], Reconciler: { Mode: 'detect' } }, FILE, ID);
    assert.deepEqual(desired, {
      serverId: ID,
      source: FILE,
      document: { Protocols: ['SFTP'], Reconciler: { Mode: 'detect' } },
      policy: { Mode: 'detect', AllowOfflineChanges: false, AllowHostKeyRotation: false, PruneTags: false },
      warnings: [],
    });
  });

  test('without an SSM client a HostKey reference is not read', async () => {
    const desired = await desiredFromRaw({ HostKey: { SecureStringParameter: '/k/1' } }, FILE, ID);
    assert.equal(desired.hostKey, undefined);
  });

  test('warnings are passed on', async () => {
    const desired = await desiredFromText('EndpointType: VPC_ENDPOINT\n', FILE, ID, undefined, 'yaml');
    assert.equal(desired.warnings.length, 1);
  });

  test('invalid documents throw InvalidDesiredStateError with every issue and the source', async () => {
    await assert.rejects(
      desiredFromText('{"Protocol": 1, "State": "UP"}', { kind: 'parameter', name: `/p/${ID}`, version: 4 }, ID),
      (err: unknown) => {
        assert.ok(err instanceof InvalidDesiredStateError);
        assert.equal(err.code, 'InvalidDesiredState');
        assert.equal(err.source, `/p/${ID} (version 4)`);
        assert.deepEqual(
          err.issues.map((i) => i.path),
          ['$.Protocol', '$.State'],
        );
        return true;
      },
    );
    await assert.rejects(desiredFromText('State: [', FILE, ID, undefined, 'yaml'), InvalidDesiredStateError);
  });

  test('a parameter over 4096 bytes is taken as Advanced; a file is held to the tier it is given', async () => {
    const text = JSON.stringify({ PreAuthenticationLoginBanner: 'a'.repeat(3000), PostAuthenticationLoginBanner: 'b'.repeat(2000) });
    const desired = await desiredFromText(text, { kind: 'parameter', name: `/p/${ID}` }, ID);
    assert.deepEqual(desired.warnings, []);
    await assert.rejects(
      desiredFromText(text, FILE, ID, undefined, 'json', { tier: 'Standard' }),
      (err: unknown) => err instanceof InvalidDesiredStateError && /Standard-tier/.test(err.message),
    );
  });

  test('describeSource', () => {
    assert.equal(describeSource(FILE), FILE.name);
    assert.equal(describeSource({ kind: 'parameter', name: '/p/x', version: 2 }), '/p/x (version 2)');
  });
});
