// Secret hygiene by construction in static validation: every echo of document text goes through
// showText (cut, escaped, withheld when it looks like key material), JSON paths included, and a
// free-text field holding private-key material is invalid with a message that does not repeat it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { jsonPath } from '../../functions/reconciler/desired/issue-path.ts';
import { parseDocumentText } from '../../functions/reconciler/desired/parse.ts';
import { MAX_SHOWN, WITHHELD, cutText, showForeignMessage, showText } from '../../functions/reconciler/desired/user-text.ts';
import { assertNoKeyMaterial } from '../helpers/secrets.ts';
import { assertValid, issueAt, issuesOf } from './desired-helpers.ts';

const RSA = readFileSync(new URL('../fixtures/keys/test-rsa-2048.pem', import.meta.url), 'utf8');
const RSA_LINES = RSA.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
/** A line with no + or /: a valid JavaScript identifier, which the old paths printed bare. */
const IDENTIFIER_LINE = RSA_LINES.find((l) => /^[A-Za-z][A-Za-z0-9]*$/.test(l)) as string;
const PLUS_LINE = RSA_LINES.find((l) => l.includes('+')) as string;
const BEGIN = RSA.split('\n')[0] as string;
const PLACEHOLDER_PATH = `$[${WITHHELD}]`;

describe('showText: the one echo of user text', () => {
  test('cuts at a fixed length in code points, never half a surrogate pair', () => {
    assert.equal(showText('a'.repeat(MAX_SHOWN)), JSON.stringify('a'.repeat(MAX_SHOWN)));
    assert.equal(showText('a'.repeat(MAX_SHOWN + 1)), JSON.stringify(`${'a'.repeat(MAX_SHOWN)}…`));
    const emoji = '😀'.repeat(MAX_SHOWN + 5);
    assert.equal(cutText(emoji), `${'😀'.repeat(MAX_SHOWN)}…`);
    assert.equal(cutText('x'.repeat(5_000_000)).length, MAX_SHOWN + 1);
  });

  test('escapes control, C1, separator and bidirectional characters', () => {
    assert.equal(showText('a\nb\u0007c'), '"a\\nb\\u0007c"');
    assert.equal(showText('\u001b[31mred'), '"\\u001b[31mred"');
    assert.equal(showText('x\u009by\u2028z'), '"x\\u009by\\u2028z"');
    assert.equal(showText('abc\u202edcba'), '"abc\\u202edcba"');
  });

  test('withholds anything that looks like key material, whatever its length', () => {
    assert.equal(showText(IDENTIFIER_LINE), WITHHELD);
    assert.equal(showText(BEGIN), WITHHELD);
    assert.equal(showText(`Welcome\n${RSA}`), WITHHELD);
    assert.equal(showForeignMessage(`Unresolved tag: !${PLUS_LINE}`), `the parser's message is ${WITHHELD}`);
    assert.equal(showForeignMessage('Map keys must be unique\n'), 'Map keys must be unique\\n');
  });

  test('JSON paths: key segments are cut, escaped or withheld like any other user text', () => {
    assert.equal(jsonPath(['Protocols', 0]), '$.Protocols[0]');
    assert.equal(jsonPath(['Foo Bar']), '$["Foo Bar"]');
    assert.equal(jsonPath([IDENTIFIER_LINE]), PLACEHOLDER_PATH);
    assert.equal(jsonPath(['Tags', 0, PLUS_LINE]), `$.Tags[0][${WITHHELD}]`);
    const long = `K${'k'.repeat(100)}`;
    assert.equal(jsonPath([long]), `$[${JSON.stringify(`${long.slice(0, MAX_SHOWN)}…`)}]`);
    assert.equal(jsonPath(['a\u202eb']), '$["a\\u202eb"]');
  });
});

describe('validateStatic: a document key that is a line of a private key (defect 3)', () => {
  test('at the top level, nested and in a tag, the path and the message withhold it', () => {
    const cases: Array<[unknown, string]> = [
      [{ [IDENTIFIER_LINE]: 1 }, PLACEHOLDER_PATH],
      [{ [PLUS_LINE]: 1 }, PLACEHOLDER_PATH],
      [{ ProtocolDetails: { [IDENTIFIER_LINE]: 'AUTO' } }, `$.ProtocolDetails[${WITHHELD}]`],
      [{ Tags: [{ Key: 'a', Value: 'b', [IDENTIFIER_LINE]: 'c' }] }, `$.Tags[0][${WITHHELD}]`],
    ];
    for (const [doc, path] of cases) {
      const issue = issueAt(doc, path);
      assert.match(issue.message, /is not a known key/);
      assert.ok(issue.message.startsWith(WITHHELD), issue.message);
      assertNoKeyMaterial(JSON.stringify(issuesOf(doc)), RSA);
    }
  });

  test('through the JSON and YAML parsers too (a duplicate key, a YAML tag)', () => {
    const json = parseDocumentText(`{"${IDENTIFIER_LINE}": 1, "${IDENTIFIER_LINE}": 2}`, 'json');
    assert.ok(!json.ok);
    assert.match(json.issues[0]?.message ?? '', /the key \(text withheld: looks like key material\) appears twice/);
    const yaml = parseDocumentText(`Banner: !${IDENTIFIER_LINE} x\n`, 'yaml');
    assert.ok(!yaml.ok);
    assertNoKeyMaterial(JSON.stringify([json, yaml]), RSA);
  });

  test('values echoed in messages are withheld too', () => {
    const message = issueAt({ ProtocolDetails: { PassiveIp: PLUS_LINE } }, '$.ProtocolDetails.PassiveIp').message;
    assert.match(message, /found \(text withheld: looks like key material\)\./);
    const tag = issuesOf({ Tags: [{ Key: `aws:${IDENTIFIER_LINE}`, Value: 'x' }] }).map((i) => i.message);
    assert.ok(tag.includes(`${WITHHELD} starts with "aws:", a prefix AWS reserves for its own tags; choose another key.`), tag.join('\n'));
    assertNoKeyMaterial(tag.join('\n'), RSA);
  });
});

describe('validateStatic: the last line of defence', () => {
  test('the seed rules echo an invalid enum through the one echo: nothing of a key line is repeated', () => {
    const issues = issuesOf({ Protocols: ['FTP'], EndpointType: IDENTIFIER_LINE, IdentityProviderType: PLUS_LINE });
    assertNoKeyMaterial(JSON.stringify(issues), RSA);
    assert.ok(
      issues.some((i) => i.message.includes(WITHHELD)),
      JSON.stringify(issues),
    );
    assert.ok(issues.every((i) => i.message.length <= 2001));
  });
});

describe('validateStatic: private-key material in free-text fields', () => {
  const FIELDS: Array<[string, (v: string) => unknown, string]> = [
    ['PreAuthenticationLoginBanner', (v) => ({ PreAuthenticationLoginBanner: v }), '$.PreAuthenticationLoginBanner'],
    ['PostAuthenticationLoginBanner', (v) => ({ PostAuthenticationLoginBanner: v }), '$.PostAuthenticationLoginBanner'],
    ['a tag value', (v) => ({ Tags: [{ Key: 'note', Value: v }] }), '$.Tags[0].Value'],
    ['a tag key', (v) => ({ Tags: [{ Key: v, Value: 'x' }] }), '$.Tags[0].Key'],
    ['Certificate', (v) => ({ Certificate: v }), '$.Certificate'],
    ['$schema', (v) => ({ $schema: v }), '$.$schema'],
  ];

  test('a header, a whole key or one line of a key is invalid; the message says why and repeats none of it', () => {
    for (const [name, doc, path] of FIELDS) {
      for (const text of [BEGIN, `Welcome to SFTP.\n${RSA}`, `note: ${PLUS_LINE}`, IDENTIFIER_LINE]) {
        const issue = issueAt(doc(text), path);
        assert.match(issue.message, /^holds what looks like private-key material: /, name);
        assert.match(issue.message, /It is not repeated here\./);
        assertNoKeyMaterial(issue.message, RSA);
        assert.ok(!issue.message.includes('BEGIN RSA'), name);
      }
    }
    const banner = issueAt({ PreAuthenticationLoginBanner: BEGIN }, '$.PreAuthenticationLoginBanner').message;
    assert.match(banner, /a private-key header or footer/);
    assert.match(banner, /shown to every client that connects, before login/);
    const line = issueAt({ PreAuthenticationLoginBanner: PLUS_LINE }, '$.PreAuthenticationLoginBanner').message;
    assert.match(line, /like a line of a private key/);
  });

  test('ordinary banners and tags, a fingerprint and a public key stay valid', () => {
    assertValid({
      PreAuthenticationLoginBanner: 'Authorised users only.\nHost key: SHA256:WIaSuKX7225mo92t1IPEwxo4BXc60OEqVh7626MJTVs',
      PostAuthenticationLoginBanner: 'Files older than 30 days are removed. Contact sftp-admins@example.com.',
      Tags: [
        { Key: 'team', Value: 'finance-ops' },
        { Key: 'commit', Value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
      ],
    });
  });
});
