// The bad-input catalogue (docs/bad-input-catalogue.md): one test per row, each through the real
// engine and real SDK clients against the emulator. Every row must end in its own result and
// message, write nothing to Transfer or SSM (the emulator's call log is the witness), and still
// produce a complete outcome record.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, test } from 'node:test';
import { DeleteParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { DeleteServerCommand } from '@aws-sdk/client-transfer';
import { countCalls } from '../../functions/reconciler/aws/call-count.ts';
import { createClients } from '../../functions/reconciler/aws/clients.ts';
import { reconcileServer } from '../../functions/reconciler/reconcile.ts';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { generateHostKey } from '../../functions/shared/ssh-key.ts';
import { PREFIX, assertOutcomeShape, engineForTests, fastClock } from '../helpers/engine.ts';
import { assertNoKeyMaterial, captureOutput, keyMaterialLines, markedHostKey } from '../helpers/secrets.ts';

const engine = await engineForTests();
afterEach(() => engine.emu.faults.set({}));

const KEY_PARAMETER = '/transfer-reconciler/host-keys/';

/**
 * markedHostKey makes only keys AWS accepts; the rejected ones (DSA, RSA-1024) are registered in
 * the suite's secret registry here the same way, so the end-of-suite scan looks for them too.
 */
function markedRejectedKey(pem: string): string {
  const registry = process.env.TR_SECRET_REGISTRY;
  if (registry) {
    mkdirSync(join(registry, 'keys'), { recursive: true });
    appendFileSync(join(registry, 'keys', `${process.pid}.txt`), `${keyMaterialLines(pem).join('\n')}\n`);
  }
  return pem;
}

/** The row's common promise: a recorded outcome with its error, and nothing written anywhere. */
function assertRejected(o: Outcome, result: Outcome['result'], code: string, retryable = false): void {
  assertOutcomeShape(o);
  assert.equal(o.result, result, JSON.stringify(o));
  assert.equal(o.error?.code, code);
  assert.equal(o.error?.retryable, retryable);
  assert.deepEqual(o.done ?? [], []);
  assert.deepEqual(engine.writes(), [], 'zero writes to Transfer and SSM');
}

function onlyIssue(o: Outcome): { path: string; message: string } {
  assert.equal(o.issues?.length, 1, JSON.stringify(o.issues));
  const issue = o.issues?.[0];
  assert.ok(issue);
  return issue;
}

async function serverWithDocument(document: unknown): Promise<string> {
  const id = await engine.createServer();
  await engine.putDocument(id, document);
  engine.mark();
  return id;
}

describe('bad-input catalogue', () => {
  test('malformed JSON → invalid, the line and column, never the text', async () => {
    const id = await serverWithDocument('{"Protocols": ["SFTP"],\n  "PreAuthenticationLoginBanner": "secret-ish text" ');
    const o = await engine.reconcile(id);
    assertRejected(o, 'invalid', 'InvalidDesiredState');
    const issue = onlyIssue(o);
    assert.equal(issue.path, '$');
    assert.match(issue.message, /^malformed JSON at line 2 column \d+: /);
    assert.ok(!JSON.stringify(o).includes('secret-ish'), 'the document text is not quoted');
    assert.deepEqual(o.parameter, { name: `${PREFIX}${id}`, version: 1 });
    assert.deepEqual(o.calls, { GetParameter: 1 });
  });

  test('wrong type → invalid at the member, naming the expected type', async () => {
    const id = await serverWithDocument({ Protocols: 'SFTP' });
    const o = await engine.reconcile(id);
    assertRejected(o, 'invalid', 'InvalidDesiredState');
    const issue = onlyIssue(o);
    assert.equal(issue.path, '$.Protocols');
    assert.match(issue.message, /^must be a list \(\[…\]\), not a string\.$/);
    assert.deepEqual(o.calls, { GetParameter: 1 });
  });

  test('unknown key → invalid, with the closest valid key suggested', async () => {
    const id = await serverWithDocument({ ProtocolDetails: { PassiveIP: 'AUTO' } });
    const o = await engine.reconcile(id);
    assertRejected(o, 'invalid', 'InvalidDesiredState');
    const issue = onlyIssue(o);
    assert.equal(issue.path, '$.ProtocolDetails.PassiveIP');
    assert.match(issue.message, /is not a known key; did you mean "PassiveIp"\?/);
  });

  test('ServerId mismatch → invalid; the name of the parameter decides', async () => {
    const id = await serverWithDocument({ ServerId: 's-0123456789abcdef0', Protocols: ['SFTP'] });
    const o = await engine.reconcile(id);
    assertRejected(o, 'invalid', 'InvalidDesiredState');
    const issue = onlyIssue(o);
    assert.equal(issue.path, '$.ServerId');
    assert.match(issue.message, new RegExp(`"s-0123456789abcdef0" but the document is stored for ${id}`));
  });

  test('inline host key → invalid, says how to store it, and the key is nowhere in the outcome', async () => {
    const key = markedHostKey('ed25519');
    const id = await serverWithDocument({ HostKey: key, PreAuthenticationLoginBanner: 'x' });
    const o = await engine.reconcile(id);
    assertRejected(o, 'invalid', 'InvalidDesiredState');
    const issue = onlyIssue(o);
    assert.equal(issue.path, '$.HostKey');
    assert.match(issue.message, /never the private key itself/);
    assert.match(issue.message, new RegExp(`put-parameter --type SecureString --name ${KEY_PARAMETER}${id}`));
    assertNoKeyMaterial(JSON.stringify(o), key);
    assertNoKeyMaterial(inspect(o, { depth: 10 }), key);
    assert.ok(!JSON.stringify(o).includes('BEGIN'), 'not even the armour line');
  });

  test('missing host-key parameter → invalid, with the put-parameter command to create it', async () => {
    const id = await serverWithDocument({ HostKey: { SecureStringParameter: `${KEY_PARAMETER}nowhere` } });
    const o = await engine.reconcile(id);
    assertRejected(o, 'invalid', 'InvalidDesiredState');
    const issue = onlyIssue(o);
    assert.equal(issue.path, '$.HostKey.SecureStringParameter');
    assert.match(issue.message, new RegExp(`the parameter ${KEY_PARAMETER}nowhere does not exist; store the private key there`));
    assert.deepEqual(o.calls, { GetParameter: 2 });
  });

  test('host key of a wrong algorithm (DSA) or size (RSA 1024) → invalid, the reason, no key material', async () => {
    const dsa = markedRejectedKey(
      generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    );
    const rsa1024 = markedRejectedKey(generateHostKey('rsa', { bits: 1024 }));
    const cases = [
      { key: dsa, reason: /cannot be used: .*DSA/ },
      { key: rsa1024, reason: /cannot be used: The RSA host key has 1024 bits; AWS Transfer Family needs at least 2048/ },
    ];
    for (const { key, reason } of cases) {
      const id = await engine.createServer();
      const parameter = `${KEY_PARAMETER}${id}`;
      await engine.putText(parameter, key, 'SecureString');
      await engine.putDocument(id, { HostKey: { SecureStringParameter: parameter } });
      engine.mark();
      const o = await engine.reconcile(id);
      assertRejected(o, 'invalid', 'InvalidDesiredState');
      const issue = onlyIssue(o);
      assert.equal(issue.path, '$.HostKey.SecureStringParameter');
      assert.match(issue.message, reason);
      assertNoKeyMaterial(JSON.stringify(o), key);
    }
  });

  test("document over its tier's limit → SSM refuses to store it; a text that gets past is invalid", async () => {
    // Realistic path: SSM itself refuses a value over the tier's limit (Standard 4096, Advanced
    // 8192 bytes), and GetParameter does not say the tier, so a stored document is only checked
    // against the Advanced limit. The engine's own check is defence in depth for text that did
    // not come through PutParameter: it is fed here as a preloaded document, the way a sweep hands
    // over what GetParametersByPath returned.
    const id = await engine.createServer();
    const oversized = { PreAuthenticationLoginBanner: 'x'.repeat(4096), PostAuthenticationLoginBanner: 'y'.repeat(4096) };
    const name = `${PREFIX}${id}`;
    engine.mark();
    for (const Tier of ['Standard', 'Advanced'] as const) {
      await assert.rejects(
        engine.ssm.send(new PutParameterCommand({ Name: name, Value: JSON.stringify(oversized), Type: 'String', Tier, Overwrite: true })),
        (err: Error) => err.name === 'ValidationException' && err.message.includes(`${Tier} tier parameters support a maximum`),
      );
    }
    assert.equal(engine.calls().filter((c) => c.status === 200).length, 0, 'SSM stored nothing');
    engine.mark();
    const o = await engine.reconcile(id, { document: { name, text: JSON.stringify(oversized), version: 1 } });
    assertRejected(o, 'invalid', 'InvalidDesiredState');
    const issue = onlyIssue(o);
    assert.equal(issue.path, '$');
    assert.match(issue.message, /over the 8192-byte limit of an Advanced-tier SSM parameter; shorten it/);
    assert.deepEqual(o.calls, {}, 'rejected before any call');
  });

  test('parameter deleted → unmanaged: the server is left alone', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { PreAuthenticationLoginBanner: 'was managed' });
    await engine.ssm.send(new DeleteParameterCommand({ Name: `${PREFIX}${id}` }));
    engine.mark();
    const o = await engine.reconcile(id);
    assertRejected(o, 'unmanaged', 'DocumentNotFound');
    assert.match(o.error?.message ?? '', new RegExp(`no desired-state document for ${id}: the parameter ${PREFIX}${id} does not exist`));
    assert.deepEqual(o.calls, { GetParameter: 1 });
  });

  test('server deleted → not-found, not retried', async () => {
    const id = await serverWithDocument({ PreAuthenticationLoginBanner: 'x' });
    await engine.transfer.send(new DeleteServerCommand({ ServerId: id }));
    engine.mark();
    const o = await engine.reconcile(id);
    assertRejected(o, 'not-found', 'ServerNotFound');
    assert.match(o.error?.message ?? '', new RegExp(`server ${id} does not exist`));
    assert.deepEqual(
      engine
        .calls()
        .filter((c) => c.operation === 'DescribeServer')
        .map((c) => c.errorCode),
      ['ResourceNotFoundException'],
    );
  });

  test('AccessDenied → failed, not retryable, and the SDK did not retry it', async () => {
    const id = await serverWithDocument({ PreAuthenticationLoginBanner: 'x' });
    const message = `User: arn:aws:sts::000000000000:assumed-role/reconciler/fn is not authorized to perform: transfer:DescribeServer on resource: ${id}`;
    engine.emu.faults.set({
      operations: { 'TransferService.DescribeServer': { errors: [{ code: 'AccessDeniedException', status: 400, rate: 1, message }] } },
    });
    const o = await engine.reconcile(id);
    assertRejected(o, 'failed', 'AccessDeniedException');
    assert.equal(o.error?.message, message);
    const described = engine.calls().filter((c) => c.operation === 'DescribeServer');
    assert.deepEqual(
      described.map((c) => [c.status, c.errorCode, c.injected, c.attempt]),
      [[400, 'AccessDeniedException', 'error', 1]],
      'one attempt only',
    );
    assert.equal(o.retries ?? 0, 0);
  });

  test('throttled beyond the retry budget → failed, retryable, after the SDK used its attempts', async (t) => {
    // The engine's clients as production builds them, with 2 attempts instead of 5: the same
    // retry path, one retry instead of four (standard mode waits up to 1, 2, 4, 8 s between
    // throttled attempts). The throttle is an injected ThrottlingException without a Retry-After
    // hint: the emulator's token bucket always sends one, and the SDK would wait up to 5 s more
    // per retry for it; AWS may or may not send the hint.
    const clients = createClients({ endpointUrl: engine.emu.url, region: engine.emu.region, maxAttempts: 2 });
    countCalls(clients.transfer);
    countCalls(clients.ssm);
    t.after(() => {
      clients.transfer.destroy();
      clients.ssm.destroy();
    });
    const id = await serverWithDocument({ PreAuthenticationLoginBanner: 'x' });
    engine.emu.faults.set({
      operations: {
        'TransferService.DescribeServer': { errors: [{ code: 'ThrottlingException', status: 429, rate: 1, message: 'Rate exceeded' }] },
      },
    });
    // Past the SDK's attempts the reconcile itself tries again (a fresh observe) until its deadline.
    const o = await reconcileServer(id, { clients, prefix: PREFIX, trigger: 'schedule', deadline: Date.now() + 4_000, clock: fastClock });
    captureOutput(`outcome ${id}`, JSON.stringify(o));
    assertRejected(o, 'failed', 'ThrottlingException', true);
    const described = engine.calls().filter((c) => c.operation === 'DescribeServer');
    assert.ok(described.length >= 4, `the reconcile retried: ${described.length} attempts`);
    assert.ok(described.every((c) => c.status === 429 && c.throttled));
    assert.deepEqual(
      described.slice(0, 2).map((c) => c.attempt),
      [1, 2],
      'the SDK used both of its attempts first',
    );
    assert.ok((o.calls['DescribeServer'] ?? 0) >= 2, 'more than one logical call');
    assert.equal(engine.writes().length, 0);
  });
});
