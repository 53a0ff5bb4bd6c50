import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalJson, canonicalSize } from '../../functions/reconciler/desired/canonical-json.ts';
import { formatOfPath, parseDocumentText } from '../../functions/reconciler/desired/parse.ts';
import type { ParseResult } from '../../functions/reconciler/desired/parse.ts';

function failure(result: ParseResult): string {
  assert.equal(result.ok, false, 'expected a parse failure');
  if (result.ok) return '';
  assert.equal(result.issues.length >= 1, true);
  assert.equal(result.issues[0]?.path, '$');
  return result.issues[0]?.message ?? '';
}

describe('parseDocumentText: JSON', () => {
  test('well-formed JSON gives its value', () => {
    assert.deepEqual(parseDocumentText('{"Protocols": ["SFTP"], "State": "ONLINE"}', 'json'), {
      ok: true,
      value: { Protocols: ['SFTP'], State: 'ONLINE' },
    });
  });

  test('malformed JSON is reported with line and column', () => {
    const text = '{\n  "Protocols": ["SFTP"],\n  "State" "ONLINE"\n}';
    assert.equal(
      failure(parseDocumentText(text, 'json')),
      'malformed JSON at line 3 column 11: unexpected character "\\""; expected ":" after the key',
    );
    assert.match(
      failure(parseDocumentText('{\n  "a": 1,\n}', 'json')),
      /^malformed JSON at line 3 column 1: a comma before "}" is not allowed/,
    );
    assert.match(failure(parseDocumentText('{"a": [1, 2,]}', 'json')), /line 1 column 13: a comma before "\]"/);
    assert.match(failure(parseDocumentText('{"a": "x', 'json')), /line 1 column 7: a string is not closed/);
    assert.match(failure(parseDocumentText("{'a': 1}", 'json')), /expected a key in double quotes/);
    assert.match(failure(parseDocumentText('{"a": tru}', 'json')), /line 1 column 7: unexpected character "t"; expected a value/);
    assert.match(failure(parseDocumentText('{} {}', 'json')), /line 1 column 4: unexpected character "\{" after the end of the document/);
    assert.match(failure(parseDocumentText('   ', 'json')), /the text is empty/);
    assert.match(failure(parseDocumentText('{"a": "line\nbreak"}', 'json')), /line 1 column 12: a control character/);
    assert.match(failure(parseDocumentText('{"a": "\\x"}', 'json')), /invalid escape/);
    assert.match(failure(parseDocumentText('{"a": 01}', 'json')), /expected "," or "}"/);
  });

  test('duplicate keys are an error (JSON.parse would keep the last silently)', () => {
    assert.match(
      failure(parseDocumentText('{"State": "ONLINE",\n "State": "OFFLINE"}', 'json')),
      /^malformed JSON at line 2 column 2: the key "State" appears twice/,
    );
    assert.equal(parseDocumentText('{"a": {"x": 1}, "b": {"x": 2}}', 'json').ok, true);
  });

  test('messages never quote the text around the error', () => {
    const secret = 'MIIEowIBAAKCAQEAsecretsecretsecret';
    const message = failure(parseDocumentText(`{"HostKey": ${secret}}`, 'json'));
    assert.ok(!message.includes('secretsecret'), message);
  });

  test('a leading byte-order mark is ignored', () => {
    assert.deepEqual(parseDocumentText('\uFEFF{"State": "ONLINE"}', 'json'), { ok: true, value: { State: 'ONLINE' } });
  });

  test('__proto__ stays an ordinary key', () => {
    const result = parseDocumentText('{"__proto__": {"x": 1}}', 'json');
    assert.ok(result.ok);
    assert.deepEqual(Object.keys(result.value as object), ['__proto__']);
  });
});

describe('parseDocumentText: YAML', () => {
  test('YAML 1.2 core schema: on/yes/off stay strings, numbers are numbers', () => {
    const result = parseDocumentText('a: on\nb: yes\nc: off\nd: 12\ne: "12"\n', 'yaml');
    assert.deepEqual(result, { ok: true, value: { a: 'on', b: 'yes', c: 'off', d: 12, e: '12' } });
  });

  test('anchors and aliases are expanded', () => {
    const result = parseDocumentText('a: &ids [subnet-1, subnet-2]\nb: *ids\n', 'yaml');
    assert.deepEqual(result, { ok: true, value: { a: ['subnet-1', 'subnet-2'], b: ['subnet-1', 'subnet-2'] } });
  });

  test('duplicate keys are an error, with line and column', () => {
    assert.equal(
      failure(parseDocumentText('State: ONLINE\nProtocols: [SFTP]\nState: OFFLINE\n', 'yaml')),
      'malformed YAML at line 3 column 1: a key appears twice in the same mapping; keep one',
    );
  });

  test('malformed YAML is reported with line and column', () => {
    assert.match(
      failure(parseDocumentText('a:\n  - b\n - c\n', 'yaml')),
      /^malformed YAML at line 3 column 1: A block sequence may not be used as an implicit map key/,
    );
    assert.match(failure(parseDocumentText('a: [1, 2\n', 'yaml')), /^malformed YAML at line \d+ column \d+: /);
    assert.match(failure(parseDocumentText('a: 1\n---\nb: 2\n', 'yaml')), /multiple documents/);
  });

  test('features without a JSON meaning are refused', () => {
    assert.match(failure(parseDocumentText('a: !!binary aGVsbG8=\n', 'yaml')), /tag "tag:yaml.org,2002:binary" has no JSON equivalent/);
    assert.match(failure(parseDocumentText('a: !custom x\n', 'yaml')), /line 1 column 4: Unresolved tag/);
    assert.match(failure(parseDocumentText('1: a\n', 'yaml')), /line 1 column 1: a mapping key must be a string, not number; quote it/);
    assert.match(failure(parseDocumentText('? [a]\n: b\n', 'yaml')), /a mapping key must be a string, not a list or mapping/);
    assert.match(failure(parseDocumentText('', 'yaml')), /the document is empty/);
  });

  test('an alias bomb is refused', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i += 1)
      lines.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(', ')}]`,
      );
    assert.match(failure(parseDocumentText(lines.join('\n'), 'yaml')), /too many aliases/);
  });
});

describe('formatOfPath', () => {
  test('by extension', () => {
    assert.equal(formatOfPath('a/s-0123456789abcdef0.json'), 'json');
    assert.equal(formatOfPath('s.YAML'), 'yaml');
    assert.equal(formatOfPath('s.yml'), 'yaml');
    assert.equal(formatOfPath('s.txt'), undefined);
  });
});

describe('canonicalJson', () => {
  test('sorts keys recursively and drops whitespace', () => {
    const doc = { Protocols: ['SFTP', 'FTP'], EndpointDetails: { VpcId: 'v', SubnetIds: ['b', 'a'] }, Certificate: '' };
    assert.equal(canonicalJson(doc), '{"Certificate":"","EndpointDetails":{"SubnetIds":["b","a"],"VpcId":"v"},"Protocols":["SFTP","FTP"]}');
  });

  test('key order does not change it; values do', () => {
    assert.equal(canonicalJson({ a: 1, b: { c: 2, d: 3 } }), canonicalJson({ b: { d: 3, c: 2 }, a: 1 }));
    assert.notEqual(canonicalJson({ a: [1, 2] }), canonicalJson({ a: [2, 1] }));
  });

  test('round-trips through JSON.parse and escapes what JSON needs', () => {
    const doc = { Banner: 'line\n"quoted"\t\u00e9', Tags: [{ Value: '', Key: 'k' }] };
    assert.deepEqual(JSON.parse(canonicalJson(doc)), doc);
  });

  test('size is counted in UTF-8 bytes', () => {
    assert.equal(canonicalSize({ a: '\u00e9' }), '{"a":"é"}'.length + 1);
  });
});
