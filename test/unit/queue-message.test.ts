// The queue's message: built, parsed back identical, refused when malformed, and a deduplication
// id that is unique per trigger and server (never the server id alone: a later change must not be
// dropped as a duplicate of an earlier one).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMessage, deduplicationIdOf, parseMessage } from '../../functions/reconciler/queue/message.ts';
import type { ReconcileMessage } from '../../functions/reconciler/queue/message.ts';

const S = 's-0123456789abcdef0';
const full: ReconcileMessage = {
  serverId: S,
  trigger: 'event',
  reason: 'document',
  sentAt: '2026-12-01T22:00:00.000Z',
  source: '6f1c2e4a-0000-4000-8000-000000000001',
  document: { name: `/transfer-reconciler/servers/${S}`, version: 3 },
};

describe('reconcile message', () => {
  test('round trip: group = server, body parses back to the same message', () => {
    const out = buildMessage(full);
    assert.equal(out.groupId, S);
    assert.deepEqual(parseMessage(out.body), { ok: true, message: full });
    const minimal: ReconcileMessage = { serverId: S, trigger: 'schedule', reason: 'schedule', sentAt: full.sentAt };
    assert.deepEqual(parseMessage(buildMessage(minimal).body), { ok: true, message: minimal });
  });

  test('unknown members are not carried over', () => {
    const parsed = parseMessage(JSON.stringify({ ...full, extra: 'x' }));
    assert.ok(parsed.ok);
    assert.equal('extra' in parsed.message, false);
  });

  test('malformed bodies are refused with the reason', () => {
    const cases: [string, RegExp][] = [
      ['not json', /not JSON/],
      ['[]', /not an object/],
      [JSON.stringify({ ...full, serverId: 's-1' }), /serverId/],
      [JSON.stringify({ ...full, trigger: 'cli' }), /trigger/],
      [JSON.stringify({ ...full, reason: 'whim' }), /reason/],
      [JSON.stringify({ ...full, sentAt: 'yesterday' }), /sentAt/],
      [JSON.stringify({ ...full, document: { version: 1 } }), /document.name/],
      [JSON.stringify({ ...full, document: { name: 'n', version: 1.5 } }), /document.version/],
    ];
    for (const [body, problem] of cases) {
      const parsed = parseMessage(body);
      assert.equal(parsed.ok, false, body);
      if (!parsed.ok) assert.match(parsed.problem, problem);
    }
    assert.throws(() => buildMessage({ ...full, serverId: 'nope' }), /invalid reconcile message/);
  });

  test('deduplication: same event and server → same id; another server or another event → another id; no event → random', () => {
    const a = deduplicationIdOf({ serverId: S, source: 'ev-1' });
    assert.equal(a, deduplicationIdOf({ serverId: S, source: 'ev-1' }));
    assert.notEqual(a, deduplicationIdOf({ serverId: 's-0123456789abcdef1', source: 'ev-1' }));
    assert.notEqual(a, deduplicationIdOf({ serverId: S, source: 'ev-2' }));
    assert.notEqual(deduplicationIdOf({ serverId: S }), deduplicationIdOf({ serverId: S }));
    assert.ok(a.length <= 128);
    assert.match(deduplicationIdOf({ serverId: S }), /^[\w.:/-]+$/);
  });
});
