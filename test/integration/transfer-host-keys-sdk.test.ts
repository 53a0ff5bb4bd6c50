// Transfer's host-key operations through the real @aws-sdk/client-transfer over HTTP: the
// engine's adapter (functions/reconciler/aws/transfer-api.ts listHostKeys) reads DateImported as
// a Date with distinct, increasing milliseconds; a rotation (import the new key, delete the old)
// moves DescribeServer's fingerprint; errors are the modelled exceptions; the model validates
// HostKeyId and Description; no answer or error carries key text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateServerCommand,
  DeleteHostKeyCommand,
  DescribeHostKeyCommand,
  DescribeServerCommand,
  ImportHostKeyCommand,
  ListHostKeysCommand,
  UpdateHostKeyCommand,
} from '@aws-sdk/client-transfer';
import { parsePrivateKey } from '../../functions/shared/ssh-key.ts';
import { listHostKeys } from '../../functions/reconciler/aws/transfer-api.ts';
import { emulatorForTests, rawCall, transferClient } from '../helpers/emulator.ts';
import { assertNoKeyMaterial, markedHostKey } from '../helpers/secrets.ts';

const emu = await emulatorForTests({ transitionDelayMs: 0 });
const transfer = transferClient(emu);

async function rejectsWith(promise: Promise<unknown>, name: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => (err as { name?: string }).name === name);
}

describe('Transfer host keys through the SDK', () => {
  test('import, list (DateImported as Dates, increasing), describe, update, rotate by deleting the old key', async () => {
    const own = markedHostKey('ed25519');
    const { ServerId } = await transfer.send(new CreateServerCommand({ HostKey: own }));
    const next = markedHostKey('ed25519');
    const { HostKeyId } = await transfer.send(new ImportHostKeyCommand({ ServerId, HostKeyBody: next, Description: 'rotation 2026' }));
    assert.match(String(HostKeyId), /^hostkey-[0-9a-f]{17}$/);
    await transfer.send(new ImportHostKeyCommand({ ServerId, HostKeyBody: markedHostKey('ecdsa') }));

    const listed = await transfer.send(new ListHostKeysCommand({ ServerId, MaxResults: 1000 }));
    const dates = (listed.HostKeys ?? []).map((k) => k.DateImported);
    assert.ok(dates.every((d) => d instanceof Date));
    const ms = dates.map((d) => (d as Date).getTime());
    assert.deepEqual(
      [...ms].sort((a, b) => a - b),
      ms,
    );
    assert.equal(new Set(ms).size, ms.length, 'distinct to the millisecond');
    const observed = await listHostKeys(transfer, String(ServerId));
    assert.deepEqual(
      observed.map((k) => k.Type),
      ['ssh-ed25519', 'ssh-ed25519', 'ecdsa-sha2-nistp256'],
    );
    assert.equal(observed[1]?.Description, 'rotation 2026');

    await transfer.send(new UpdateHostKeyCommand({ ServerId, HostKeyId, Description: 'active soon' }));
    const described = await transfer.send(new DescribeHostKeyCommand({ ServerId, HostKeyId }));
    assert.equal(described.HostKey?.Description, 'active soon');
    assert.equal(described.HostKey?.HostKeyFingerprint, parsePrivateKey(next).fingerprint);
    assert.ok(described.HostKey?.DateImported instanceof Date);

    // The rotation: the old ed25519 key goes, the new one becomes the oldest.
    await transfer.send(new DeleteHostKeyCommand({ ServerId, HostKeyId: observed[0]?.HostKeyId }));
    const server = (await transfer.send(new DescribeServerCommand({ ServerId }))).Server;
    assert.equal(server?.HostKeyFingerprint, parsePrivateKey(next).fingerprint);
    assertNoKeyMaterial(JSON.stringify({ listed, described, server }), own);
    assertNoKeyMaterial(JSON.stringify({ listed, described, server }), next);
  });

  test('the same key again is ResourceExistsException, an unknown key ResourceNotFoundException, and key text stays out of errors', async () => {
    const own = markedHostKey();
    const { ServerId } = await transfer.send(new CreateServerCommand({ HostKey: own }));
    await assert.rejects(transfer.send(new ImportHostKeyCommand({ ServerId, HostKeyBody: own })), (err: unknown) => {
      const e = err as { name?: string; message?: string; ResourceType?: string };
      assertNoKeyMaterial(JSON.stringify({ ...e, message: e.message }), own);
      return e.name === 'ResourceExistsException' && e.ResourceType === 'HostKey';
    });
    await rejectsWith(
      transfer.send(new DescribeHostKeyCommand({ ServerId, HostKeyId: 'hostkey-0123456789abcdef0' })),
      'ResourceNotFoundException',
    );
    await rejectsWith(
      transfer.send(new DeleteHostKeyCommand({ ServerId, HostKeyId: 'hostkey-0123456789abcdef0' })),
      'ResourceNotFoundException',
    );
    await rejectsWith(transfer.send(new ListHostKeysCommand({ ServerId: 's-0123456789abcdef0' })), 'ResourceNotFoundException');
  });

  test('the model checks HostKeyId and Description; DateImported is epoch seconds on the wire', async () => {
    const { ServerId } = await transfer.send(new CreateServerCommand({}));
    await rejectsWith(transfer.send(new DescribeHostKeyCommand({ ServerId, HostKeyId: 'key-1' })), 'ValidationException');
    const keys = (await transfer.send(new ListHostKeysCommand({ ServerId }))).HostKeys ?? [];
    await rejectsWith(
      transfer.send(new UpdateHostKeyCommand({ ServerId, HostKeyId: keys[0]?.HostKeyId, Description: 'x'.repeat(201) })),
      'ValidationException',
    );
    const raw = await rawCall(emu, 'TransferService.ListHostKeys', JSON.stringify({ ServerId }));
    const first = (raw.json.HostKeys as { DateImported: unknown }[])[0];
    assert.equal(typeof first?.DateImported, 'number');
    assert.ok(Math.abs(Number(first?.DateImported) - Date.now() / 1000) < 60);
  });
});
