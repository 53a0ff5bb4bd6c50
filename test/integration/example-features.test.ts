// examples/features runs: the security groups, two host keys and custom hostname example applied
// to a matching server in the emulator converges in one reconcile, then writes nothing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseDocumentText } from '../../functions/reconciler/desired/parse.ts';
import { parameterText } from '../../functions/reconciler/desired/push-plan.ts';
import { engineForTests } from '../helpers/engine.ts';
import { assertNoKeyMaterial, markedHostKey } from '../helpers/secrets.ts';

const engine = await engineForTests({ transitionDelayMs: 20 });
const ID = 's-0000000000000001a';
const FILE = fileURLToPath(new URL(`../../examples/features/${ID}.yaml`, import.meta.url));

test('examples/features: groups added then removed, the Ed25519 key imported and announced, the hostname tagged; then in sync', async () => {
  const parsed = parseDocumentText(readFileSync(FILE, 'utf8'), 'yaml');
  assert.ok(parsed.ok);
  const rsa = markedHostKey('rsa');
  const ed25519 = markedHostKey('ed25519');
  await engine.putText(`/transfer-reconciler/host-keys/${ID}-rsa`, rsa, 'SecureString');
  await engine.putText(`/transfer-reconciler/host-keys/${ID}-ed25519`, ed25519, 'SecureString');
  // The server as it was set up by hand: in the VPC with one group, serving the RSA key.
  engine.emu.transfer.createServerWithId(ID, {
    Protocols: ['SFTP'],
    EndpointType: 'VPC',
    EndpointDetails: {
      VpcId: 'vpc-0a1b2c3d4e5f60001',
      SubnetIds: ['subnet-0a1b2c3d4e5f60011'],
      SecurityGroupIds: ['sg-0a1b2c3d4e5f60099'],
    },
    HostKey: rsa,
  });
  engine.emu.transfer.forceState(ID, 'ONLINE');
  await engine.putText(`/transfer-reconciler/servers/${ID}`, parameterText(parsed.value as Record<string, unknown>));

  const o = await engine.reconcile(ID);
  assert.equal(o.result, 'updated', JSON.stringify(o));
  const done = o.done ?? [];
  const add = done.findIndex((d) => d.startsWith('ModifyVpcEndpoint(add'));
  const remove = done.findIndex((d) => d.startsWith('ModifyVpcEndpoint(remove'));
  assert.ok(add !== -1 && remove > add, `add before remove: ${done.join(', ')}`);
  assert.ok(
    done.some((d) => d.startsWith('ImportHostKey(')),
    done.join(', '),
  );
  assert.ok(!done.some((d) => d.startsWith('DeleteHostKey(')), 'the RSA key the server had is listed: nothing deleted');
  assert.ok(
    done.some((d) => d.startsWith('TagResource(transfer:customHostname')),
    done.join(', '),
  );
  assert.ok(
    o.warnings.some((w) => /clients/i.test(w) && /ED25519/i.test(w)),
    o.warnings.join('\n'),
  );
  assertNoKeyMaterial(JSON.stringify(o), rsa);
  assertNoKeyMaterial(JSON.stringify(o), ed25519);

  engine.mark();
  const again = await engine.reconcile(ID);
  assert.equal(again.result, 'in-sync', JSON.stringify(again));
  assert.deepEqual(engine.writes(), []);
});
