// The document a schedule message carries (listedDocument): the listed text rides along only for a
// String parameter whose text holds no key material and is small enough; a body carrying it parses
// back with it, and a non-string text is refused. groupRecords gives a schedule-only group its
// newest carried document as `listed`, and never a group with an event or an unreadable body.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { groupRecords } from '../../functions/reconciler/queue/coalesce.ts';
import type { QueueRecord } from '../../functions/reconciler/queue/coalesce.ts';
import { buildMessage, listedDocument, parseMessage } from '../../functions/reconciler/queue/message.ts';
import type { ReconcileMessage } from '../../functions/reconciler/queue/message.ts';
import { findKeyMaterial } from '../../functions/shared/key-material.ts';
import { keyMaterialLines, markedHostKey } from '../helpers/secrets.ts';

const S = 's-0123456789abcdef0';
const NAME = `/transfer-reconciler/servers/${S}`;
const TEXT = JSON.stringify({ SecurityPolicyName: 'TransferSecurityPolicy-2024-01', PreAuthenticationLoginBanner: 'Welcome' });

const schedule = (document?: ReconcileMessage['document']): ReconcileMessage => ({
  serverId: S,
  trigger: 'schedule',
  reason: 'schedule',
  sentAt: '2026-12-02T01:00:00.000Z',
  source: 'tick-1',
  ...(document ? { document } : {}),
});

let next = 0;
const record = (message: ReconcileMessage | string): QueueRecord => {
  next += 1;
  const body = typeof message === 'string' ? message : buildMessage(message).body;
  return { messageId: `m-${next}`, groupId: S, body };
};

describe('listedDocument: what a schedule message carries', () => {
  test('a String document: name, version and the text', () => {
    assert.deepEqual(listedDocument({ name: NAME, version: 4, type: 'String', text: TEXT }), { name: NAME, version: 4, text: TEXT });
    // No version listed: none carried (not `version: undefined`).
    const unversioned = listedDocument({ name: NAME, type: 'String', text: TEXT });
    assert.deepEqual(unversioned, { name: NAME, text: TEXT });
    assert.equal('version' in unversioned, false);
  });

  test('a SecureString or a StringList: name and version only', () => {
    for (const type of ['SecureString', 'StringList']) {
      const d = listedDocument({ name: NAME, version: 2, type, text: TEXT });
      assert.deepEqual(d, { name: NAME, version: 2 }, type);
      assert.equal('text' in d, false, type);
      assert.ok(!buildMessage(schedule(d)).body.includes('Welcome'), `${type}: the text is in the body`);
    }
  });

  test('text holding private-key material (armour or a key line) is never carried, and never in the body', () => {
    const key = markedHostKey('ed25519', 'openssh');
    assert.match(key, /^-----BEGIN OPENSSH PRIVATE KEY-----/);
    const [line] = keyMaterialLines(key);
    assert.ok(line !== undefined && line.length >= 32);
    const cases: [string, string, 'private-key-armour' | 'key-line'][] = [
      [
        'a whole OpenSSH key pasted inline',
        JSON.stringify({ SecurityPolicyName: 'TransferSecurityPolicy-2024-01', HostKey: key }),
        'private-key-armour',
      ],
      [
        'a PEM header in a banner',
        JSON.stringify({ PreAuthenticationLoginBanner: '-----BEGIN RSA PRIVATE KEY-----' }),
        'private-key-armour',
      ],
      ['one body line of the key in a banner', JSON.stringify({ PreAuthenticationLoginBanner: `hello ${line}` }), 'key-line'],
    ];
    for (const [label, text, kind] of cases) {
      assert.equal(findKeyMaterial(text), kind, `${label}: the detector sees it`);
      const d = listedDocument({ name: NAME, version: 7, type: 'String', text });
      assert.deepEqual(d, { name: NAME, version: 7 }, label);
      const body = buildMessage(schedule(d)).body;
      assert.equal(findKeyMaterial(body), undefined, `${label}: key material in the body`);
      assert.ok(!/PRIVATE KEY/.test(body), label);
      for (const l of keyMaterialLines(key)) assert.ok(!body.includes(l), `${label}: a key line in the body`);
    }
  });

  test('too large: carried up to 20,000 characters of JSON, not beyond (escapes count)', () => {
    // JSON.stringify adds the two quotes: 19,998 characters → 20,000.
    const fits = 'x'.repeat(19_998);
    assert.equal(listedDocument({ name: NAME, version: 1, type: 'String', text: fits }).text, fits);
    const over = 'x'.repeat(19_999);
    assert.deepEqual(listedDocument({ name: NAME, version: 1, type: 'String', text: over }), { name: NAME, version: 1 });
    // 10,000 characters, but each newline is two in JSON: over the limit.
    const escaped = '\n'.repeat(10_000);
    assert.equal(escaped.length, 10_000);
    assert.deepEqual(listedDocument({ name: NAME, version: 1, type: 'String', text: escaped }), { name: NAME, version: 1 });
  });
});

describe('a message carrying the text', () => {
  test('round trip: the body parses back with the text', () => {
    const m = schedule(listedDocument({ name: NAME, version: 3, type: 'String', text: TEXT }));
    assert.equal(m.document?.text, TEXT);
    const out = buildMessage(m);
    assert.deepEqual(parseMessage(out.body), { ok: true, message: m });
  });

  test('a text that is not a string is a problem', () => {
    for (const text of [42, null, { SecurityPolicyName: 'x' }, ['a'], true]) {
      const body = JSON.stringify({ ...schedule(), document: { name: NAME, version: 3, text } });
      const parsed = parseMessage(body);
      assert.equal(parsed.ok, false, JSON.stringify(text));
      if (!parsed.ok) assert.match(parsed.problem, /document\.text is not a string/);
      assert.throws(() => buildMessage({ ...schedule(), document: { name: NAME, text: text as unknown as string } }), /document\.text/);
    }
  });
});

describe('groupRecords: the listed document of a group', () => {
  const v = (version: number, text: string = TEXT.replace('Welcome', `v${version}`)) =>
    listedDocument({ name: NAME, version, type: 'String', text });

  test('a schedule-only group: the last message’s document', () => {
    const [g] = groupRecords([record(schedule(v(1))), record(schedule(v(2))), record(schedule(v(3)))]);
    assert.equal(g?.trigger, 'schedule');
    assert.deepEqual(g?.listed, { name: NAME, version: 3, text: TEXT.replace('Welcome', 'v3') });
    // One message: its document.
    const [one] = groupRecords([record(schedule(v(5)))]);
    assert.deepEqual(one?.listed, { name: NAME, version: 5, text: TEXT.replace('Welcome', 'v5') });
  });

  test('the last message carries no text (a SecureString, say): nothing listed, not an older text', () => {
    const secure = listedDocument({ name: NAME, version: 4, type: 'SecureString', text: TEXT });
    const [g] = groupRecords([record(schedule(v(3))), record(schedule(secure))]);
    assert.equal(g?.trigger, 'schedule');
    assert.equal(g?.listed, undefined);
    const [bare] = groupRecords([record(schedule())]);
    assert.equal(bare?.listed, undefined);
  });

  test('absent when the group has an event message, before or after the schedule ones', () => {
    const event: ReconcileMessage = { ...schedule({ name: NAME, version: 4 }), trigger: 'event', reason: 'document', source: 'ev-1' };
    for (const records of [
      [record(schedule(v(3))), record(event)],
      [record(event), record(schedule(v(5)))],
    ]) {
      const [g] = groupRecords(records);
      assert.equal(g?.trigger, 'event');
      assert.equal(g?.messages.length, 2);
      assert.equal(g?.listed, undefined);
    }
  });

  test('absent when a body of the group could not be parsed', () => {
    for (const records of [
      [record(schedule(v(3))), record('not json')],
      [record('{"serverId":"nope"}'), record(schedule(v(5)))],
    ]) {
      const [g] = groupRecords(records);
      assert.equal(g?.problems.length, 1);
      assert.equal(g?.messages.length, 1);
      assert.equal(g?.listed, undefined);
    }
  });

  test('groups are independent: another server’s event does not take this group’s listing away', () => {
    const other = 's-0123456789abcdef1';
    const event: ReconcileMessage = { ...schedule(), serverId: other, trigger: 'event', reason: 'document', source: 'ev-2' };
    const groups = groupRecords([record(schedule(v(6))), { messageId: 'm-other', groupId: other, body: buildMessage(event).body }]);
    assert.deepEqual(
      groups.map((g) => [g.groupId, g.trigger, g.listed?.version]),
      [
        [S, 'schedule', 6],
        [other, 'event', undefined],
      ],
    );
  });
});
