// The models' patterns are Java regular expressions; they are matched as Unicode JavaScript ones
// (defect: without the `u` flag `\p{L}` meant the letters "p{L}", so every SSM tag was refused).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ssm from '../../functions/shared/aws-models/ssm.json' with { type: 'json' };
import transfer from '../../functions/shared/aws-models/transfer.json' with { type: 'json' };
import { UnsupportedPatternError, translateJavaPattern } from '../../functions/shared/java-pattern.ts';
import { modelPattern, validateShape } from '../../functions/shared/model-validate.ts';
import type { ModelData } from '../../functions/shared/model-validate.ts';

const models = { transfer: transfer as ModelData, ssm: ssm as ModelData };

function javaMatches(pattern: string, value: string): boolean {
  const { source, flags } = translateJavaPattern(pattern);
  return new RegExp(`^(?:${source})$`, flags).test(value);
}

describe('model patterns as Unicode regular expressions', () => {
  test('every pattern of the Transfer and SSM extracts compiles with the u flag', () => {
    let count = 0;
    for (const [service, model] of Object.entries(models)) {
      for (const [name, shape] of Object.entries(model.shapes)) {
        if (shape.pattern === undefined) continue;
        count++;
        const re = modelPattern(shape.pattern);
        assert.ok(re.unicode, `${service} ${name}: ${shape.pattern} is not compiled as a Unicode pattern`);
      }
    }
    assert.ok(count >= 17, `only ${count} patterns found`);
  });

  test('SSM tag keys and values take letters, spaces and digits of any script', () => {
    const tag = (Key: string, Value: string) => validateShape(models.ssm, 'Tag', { Key, Value });
    for (const [key, value] of [
      ['Owner', 'platform-team'],
      ['cost-center', '4711'],
      ['Équipe', 'Données clients'],
      ['チーム', '東京 1'],
      ['a_b.c:d/e=f+g-h@i', ''],
    ]) {
      assert.deepEqual(tag(key as string, value as string), [], `${key}=${value}`);
    }
    assert.deepEqual(
      tag('a#b', 'x').map((v) => [v.kind, v.path.join('.')]),
      [['pattern', 'Key']],
    );
    assert.deepEqual(
      tag('k', 'semi;colon').map((v) => [v.kind, v.path.join('.')]),
      [['pattern', 'Value']],
    );
  });

  test('Java escapes that the u flag refuses keep their Java meaning', () => {
    const cases: [pattern: string, accepted: string[], refused: string[]][] = [
      ['[0-9a-f]{2}\\-[0-9a-f]{2}', ['0a-1b'], ['0a\\-1b', '0a1b']],
      ['^[\\w\\.\\-\\:\\/ ]*$', ['a.b-c:d/e f'], ['a#b']],
      ['[\\w-\\/.@+=,]{1,5}', ['-/', 'a-b', '@+=,.'], ['#', 'a\\b']],
      ['[\\w- ]*', ['a- b'], ['a+b']],
      ['[0-9a-fA-F\\.\\:]+', ['fe80::1', '10.0.0.1'], ['g']],
      ['24\\:?00', ['2400', '24:00'], ['24\\:00']],
      ['[\\p{Print}]*', [' ~abc', ''], ['é', '\t']],
      ['\\p{Alpha}+', ['abc'], ['é', '1']],
      ['\\pL+', ['abcé'], ['1']],
      ['[\\p{IsL}0-9]+', ['é1'], ['-']],
      ['(?i)all|[0-9]{12}', ['ALL', 'all', 'All', '111122223333'], ['none']],
      // Java's \s and \S are ASCII: a no-break space is not a space to Java.
      ['[\\s\\S]*\\S[\\s\\S]*', [' a ', '\u00a0'], ['   ', '\t\n']],
      ['arn:\\S+', ['arn:a\u00a0b'], ['arn:a b']],
      // Java's . stops at U+0085 too.
      ['.+', ['abc'], ['\u0085', '\n']],
      ['a]', ['a]'], []],
      ['x}', ['x}'], []],
      ['[]a]+', [']a'], ['b']],
      ['\\x{1F600}\\u00e9\\x41\\0101\\t', ['😀éAA\t'], []],
      ['\\Q[a]*\\E', ['[a]*'], ['a']],
      ['(a)\\1', ['aa'], ['ab']],
    ];
    for (const [pattern, accepted, refused] of cases) {
      for (const value of accepted) assert.ok(javaMatches(pattern, value), `${pattern} should accept ${JSON.stringify(value)}`);
      for (const value of refused) assert.ok(!javaMatches(pattern, value), `${pattern} should refuse ${JSON.stringify(value)}`);
    }
  });

  test('what has no faithful JavaScript form is refused, not guessed', () => {
    for (const pattern of [
      '[a[b]]',
      '[a-z&&[^b]]',
      '(?>a)',
      'a(?i)b',
      'a*+',
      'a{2}+',
      'a{',
      '\\p{IsLatin}',
      '[\\P{Alpha}]',
      '\\G',
      '\\Z',
      '[a',
      'a\\',
    ]) {
      assert.throws(() => translateJavaPattern(pattern), UnsupportedPatternError, pattern);
    }
  });
});
