// HostKeys in the document: the static rules (one of HostKey/HostKeys, each parameter once, 1 to
// 10 keys with the limit's source named, the model's Description constraints, no key material in a
// Description), the JSON Schema agreeing, and loading every entry like HostKey, in order, with
// problems at $.HostKeys[i].SecureStringParameter and two entries holding one key refused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { documentsReferencing, hostKeyReferences } from '../../functions/handlers/lib/host-key-references.ts';
import { desiredFromRaw } from '../../functions/reconciler/desired/load-desired-json.ts';
import type { ListedDocument } from '../../functions/reconciler/desired/load-ssm.ts';
import { documentSchema } from '../../functions/reconciler/desired/json-schema.ts';
import { InvalidDesiredStateError } from '../../functions/reconciler/errors.ts';
import { parsePrivateKey } from '../../functions/shared/ssh-key.ts';
import { normaliseFingerprint } from '../../functions/shared/fingerprint.ts';
import { assertNoKeyMaterial, markKey, markedHostKey } from '../helpers/secrets.ts';
import { SERVER_ID, assertValid, issueAt, issuesOf } from './desired-helpers.ts';

const ref = (name: string, description?: string): Record<string, string> => ({
  SecureStringParameter: name,
  ...(description !== undefined ? { Description: description } : {}),
});

describe('HostKeys: static rules', () => {
  test('a list of references with optional descriptions is valid', () => {
    assertValid({ HostKeys: [ref('/k/a', 'primary'), ref('/k/b'), ref('/aws/reference/secretsmanager/k-c', '')] });
  });

  test('HostKeys with HostKey: invalid, and the message says which to keep', () => {
    const issue = issueAt({ HostKey: { SecureStringParameter: '/k/a' }, HostKeys: [ref('/k/a')] }, '$.HostKeys');
    assert.match(issue.message, /cannot both be set.*Keep HostKeys.*keep HostKey and remove HostKeys/);
  });

  test('the same parameter twice: invalid at the second entry', () => {
    assert.match(
      issueAt({ HostKeys: [ref('/k/a'), ref('/k/b'), ref('/k/a')] }, '$.HostKeys[2].SecureStringParameter').message,
      /already listed at \$\.HostKeys\[0\]/,
    );
  });

  test('more than 10 keys: invalid, with the source of the limit; 10 are fine', () => {
    const keys = (n: number): Record<string, string>[] => Array.from({ length: n }, (_, i) => ref(`/k/${i}`));
    assertValid({ HostKeys: keys(10) });
    assert.equal(
      issueAt({ HostKeys: keys(11) }, '$.HostKeys').message,
      'lists 11 keys; at most 10 host keys per server (the limit quoted for Transfer Family; see aws-behaviour.md — not verified by AWS documentation). Remove some.',
    );
  });

  test('an empty list would delete every key: invalid', () => {
    assert.match(issueAt({ HostKeys: [] }, '$.HostKeys').message, /at least one key/);
  });

  test("Description: the model's HostKeyDescription (at most 200 printable ASCII characters)", () => {
    assertValid({ HostKeys: [ref('/k/a', 'x'.repeat(200))] });
    assert.match(issueAt({ HostKeys: [ref('/k/a', 'x'.repeat(201))] }, '$.HostKeys[0].Description').message, /at most 200 characters/);
    for (const bad of ['line\nbreak', 'tab\t', 'café']) {
      assert.match(issueAt({ HostKeys: [ref('/k/a', bad)] }, '$.HostKeys[0].Description').message, /printable ASCII/);
    }
  });

  test('a Description holding key material is invalid and never quoted', () => {
    const key = markedHostKey('ed25519');
    const line = key.split('\n')[1] ?? '';
    const issues = issuesOf({ HostKeys: [ref('/k/a', line)] });
    assert.deepEqual(
      issues.map((i) => i.path),
      ['$.HostKeys[0].Description'],
    );
    assert.match(issues[0]?.message ?? '', /private-key material/);
    assertNoKeyMaterial(JSON.stringify(issues), key);
  });

  test('entries: SecureStringParameter required, no other keys, parameter-name format', () => {
    assert.match(issueAt({ HostKeys: [{ Description: 'x' }] }, '$.HostKeys[0].SecureStringParameter').message, /is required/);
    assert.match(
      issueAt({ HostKeys: [{ SecureStringParameter: '/k/a', Descripton: 'x' }] }, '$.HostKeys[0].Descripton').message,
      /did you mean "Description"/,
    );
    issueAt({ HostKeys: [ref('not a name')] }, '$.HostKeys[0].SecureStringParameter');
  });

  test('the JSON Schema agrees on the shapes it can state (it compiles with the translated Description pattern)', () => {
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(documentSchema());
    assert.equal(validate({ HostKeys: [ref('/k/a', 'primary')] }), true, JSON.stringify(validate.errors));
    for (const bad of [
      { HostKeys: [] },
      { HostKeys: [ref('/k/a', 'tab\t')] },
      { HostKeys: [{ Description: 'x' }] },
      { HostKeys: [ref('/k/a', 'x'.repeat(201))] },
    ]) {
      assert.equal(validate(bad), false, JSON.stringify(bad));
    }
  });
});

/** A stand-in SSM client answering GetParameter from a map (the integration tests use the emulator). */
function fakeSsm(parameters: Record<string, { Value: string; Type: string }>): SSMClient & { names: string[] } {
  const names: string[] = [];
  return {
    names,
    send: async (command: unknown) => {
      assert.ok(command instanceof GetParameterCommand);
      const name = command.input.Name ?? '';
      names.push(name);
      const p = parameters[name];
      assert.ok(p, `unexpected parameter ${name}`);
      return { Parameter: { Name: name, ...p } };
    },
  } as unknown as SSMClient & { names: string[] };
}

const FILE = { kind: 'file', name: `servers/${SERVER_ID}.json` } as const;
const fixtureKey = (name: string): string => markKey(readFileSync(new URL(`../fixtures/keys/${name}`, import.meta.url), 'utf8'));

describe('HostKeys: loading', () => {
  test('every entry is read and checked like HostKey, into desired.hostKeys in document order', async () => {
    const ed = fixtureKey('test-ed25519.openssh');
    const ec = fixtureKey('test-ecdsa-256.pem');
    const ssm = fakeSsm({ '/k/ec': { Value: ec, Type: 'SecureString' }, '/k/ed': { Value: ed, Type: 'SecureString' } });
    const desired = await desiredFromRaw({ HostKeys: [ref('/k/ec', 'new'), ref('/k/ed')] }, FILE, SERVER_ID, ssm);
    assert.deepEqual(
      desired.hostKeys?.map((k) => [k.parameter, k.secret.fingerprint, k.secret.algorithm, k.description]),
      [
        ['/k/ec', normaliseFingerprint(parsePrivateKey(ec).fingerprint), 'ecdsa-sha2-nistp256', 'new'],
        ['/k/ed', normaliseFingerprint(parsePrivateKey(ed).fingerprint), 'ssh-ed25519', undefined],
      ],
    );
    assert.equal(desired.hostKey, undefined);
    assertNoKeyMaterial(JSON.stringify(desired), ed);
  });

  test('without an SSM client the references are checked for form only', async () => {
    const desired = await desiredFromRaw({ HostKeys: [ref('/k/a')] }, FILE, SERVER_ID);
    assert.equal(desired.hostKeys, undefined);
  });

  test('a problem with an entry is reported at its own path; two entries holding one key are refused', async () => {
    const ed = fixtureKey('test-ed25519.openssh');
    const ssm = fakeSsm({
      '/k/a': { Value: ed, Type: 'SecureString' },
      '/k/plain': { Value: ed, Type: 'String' },
      '/k/same': { Value: ed, Type: 'SecureString' },
      '/k/small': { Value: fixtureKey('test-rsa-1024-too-small.pem'), Type: 'SecureString' },
    });
    await assert.rejects(
      desiredFromRaw({ HostKeys: [ref('/k/a'), ref('/k/plain'), ref('/k/same'), ref('/k/small')] }, FILE, SERVER_ID, ssm),
      (err: unknown) => {
        assert.ok(err instanceof InvalidDesiredStateError);
        assert.deepEqual(
          err.issues.map((i) => i.path),
          ['$.HostKeys[1].SecureStringParameter', '$.HostKeys[2].SecureStringParameter', '$.HostKeys[3].SecureStringParameter'],
        );
        assert.match(err.issues[0]?.message ?? '', /must be a SecureString/);
        assert.match(err.issues[1]?.message ?? '', /same key as \$\.HostKeys\[0\] \(SHA256:/);
        assert.match(err.issues[2]?.message ?? '', /1024 bits/);
        assertNoKeyMaterial(JSON.stringify(err.issues), ed);
        return true;
      },
    );
  });
});

describe('HostKeys: a changed key parameter reconciles the documents that list it', () => {
  test('documentsReferencing finds HostKeys entries as well as HostKey', () => {
    const doc = (serverId: string, value: unknown): ListedDocument => ({
      serverId,
      name: `/p/${serverId}`,
      type: 'String',
      text: JSON.stringify(value),
    });
    const docs = [
      doc('s-1', { HostKeys: [ref('/k/a'), ref('/k/b')] }),
      doc('s-2', { HostKey: { SecureStringParameter: '/k/b' } }),
      doc('s-3', { HostKeys: [ref('/k/c'), null, 'text'] }),
    ];
    assert.deepEqual(
      documentsReferencing(docs, '/k/b').map((d) => d.serverId),
      ['s-1', 's-2'],
    );
    assert.deepEqual(
      documentsReferencing(docs, '/k/c').map((d) => d.serverId),
      ['s-3'],
    );
    assert.deepEqual(hostKeyReferences('not json'), []);
  });
});
