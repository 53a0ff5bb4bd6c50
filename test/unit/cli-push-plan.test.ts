// push's decisions (functions/reconciler/desired/push-plan.ts): which parameters to create,
// update, leave alone or delete, with which tier and type.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parameterText, planPush, tierFor } from '../../functions/reconciler/desired/push-plan.ts';
import type { StoredDocument } from '../../functions/reconciler/desired/push-plan.ts';

const PREFIX = '/transfer-reconciler/servers/';
const A = 's-0000000000000000a';
const B = 's-0000000000000000b';
const C = 's-0000000000000000c';

function stored(serverId: string, text: string, extra: Partial<StoredDocument> = {}): StoredDocument {
  return { serverId, name: `${PREFIX}${serverId}`, text, type: 'String', version: 3, ...extra };
}

describe('parameterText', () => {
  test('is canonical JSON (keys sorted recursively, no whitespace) without $schema', () => {
    const text = parameterText({
      $schema: '../../schema/desired-state.schema.json',
      Tags: [{ Value: 'v', Key: 'k' }],
      Protocols: ['SFTP'],
    });
    assert.equal(text, '{"Protocols":["SFTP"],"Tags":[{"Key":"k","Value":"v"}]}');
  });

  test('the same document written differently gives the same text', () => {
    assert.equal(parameterText({ b: 1, a: { d: 2, c: 3 } }), parameterText({ a: { c: 3, d: 2 }, b: 1 }));
  });
});

describe('tierFor', () => {
  test('Standard up to 4096 bytes, Advanced above', () => {
    assert.equal(tierFor('x'.repeat(4096)), 'Standard');
    assert.equal(tierFor('x'.repeat(4097)), 'Advanced');
    assert.equal(tierFor(`${'é'.repeat(2048)}x`), 'Advanced', 'bytes, not characters');
  });

  test('a parameter that holds more than Standard allows is Advanced and stays Advanced', () => {
    assert.equal(tierFor('{}', 'x'.repeat(5000)), 'Advanced');
    assert.equal(tierFor('{}', 'x'.repeat(100)), 'Standard');
  });
});

describe('planPush', () => {
  const doc = { Protocols: ['SFTP'] };
  const text = parameterText(doc);

  test('creates what is missing, updates what differs, leaves the rest, sorted by server', () => {
    const actions = planPush(
      [
        { serverId: C, file: 'c.json', raw: doc },
        { serverId: A, file: 'a.json', raw: doc },
        { serverId: B, file: 'b.yaml', raw: { Protocols: ['SFTP', 'FTPS'] } },
      ],
      [stored(A, text), stored(B, text)],
      { prefix: PREFIX, prune: false },
    );
    assert.deepEqual(
      actions.map((a) => [a.kind, a.serverId]),
      [
        ['unchanged', A],
        ['update', B],
        ['create', C],
      ],
    );
    const update = actions[1];
    assert.ok(update?.kind === 'update');
    assert.equal(update.text, '{"Protocols":["SFTP","FTPS"]}');
    assert.equal(update.tier, 'Standard');
    assert.equal(update.type, 'String');
    assert.equal(update.fromVersion, 3);
    const create = actions[2];
    assert.ok(create?.kind === 'create');
    assert.equal(create.name, `${PREFIX}${C}`);
    assert.equal(create.file, 'c.json');
  });

  test('a stored value that is the same JSON but not canonical is rewritten in canonical form', () => {
    const [action] = planPush([{ serverId: A, file: 'a.json', raw: doc }], [stored(A, '{ "Protocols": ["SFTP"] }')], {
      prefix: PREFIX,
      prune: false,
    });
    assert.equal(action?.kind, 'update');
  });

  test('an existing SecureString is updated without a Type, so it stays a SecureString with its key', () => {
    const [action] = planPush(
      [{ serverId: A, file: 'a.json', raw: { Protocols: ['FTPS'] } }],
      [stored(A, text, { type: 'SecureString' })],
      { prefix: PREFIX, prune: false },
    );
    assert.ok(action?.kind === 'update');
    assert.equal(action.type, undefined);
  });

  test('a large document gets the Advanced tier, and a parameter that already is Advanced keeps it', () => {
    const big = { PreAuthenticationLoginBanner: 'x'.repeat(4090) };
    const [create] = planPush([{ serverId: A, file: 'a.json', raw: big }], [], { prefix: PREFIX, prune: false });
    assert.ok(create?.kind === 'create');
    assert.equal(create.tier, 'Advanced');
    const [shrink] = planPush([{ serverId: A, file: 'a.json', raw: doc }], [stored(A, parameterText(big))], {
      prefix: PREFIX,
      prune: false,
    });
    assert.ok(shrink?.kind === 'update');
    assert.equal(shrink.tier, 'Advanced');
  });

  test('deletes parameters whose file is gone only with prune', () => {
    const local = [{ serverId: A, file: 'a.json', raw: doc }];
    const remote = [stored(A, text), stored(C, text), stored(B, text)];
    assert.deepEqual(
      planPush(local, remote, { prefix: PREFIX, prune: false }).map((a) => a.kind),
      ['unchanged'],
    );
    const pruned = planPush(local, remote, { prefix: PREFIX, prune: true });
    assert.deepEqual(
      pruned.map((a) => [a.kind, a.serverId]),
      [
        ['unchanged', A],
        ['delete', B],
        ['delete', C],
      ],
    );
    assert.equal(pruned[1]?.name, `${PREFIX}${B}`);
  });
});
