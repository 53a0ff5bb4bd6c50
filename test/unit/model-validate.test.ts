import { test } from 'node:test';
import assert from 'node:assert/strict';
import transfer from '../../functions/shared/aws-models/transfer.json' with { type: 'json' };
import { validateShape } from '../../functions/shared/model-validate.ts';
import type { ModelData } from '../../functions/shared/model-validate.ts';

const model = transfer as ModelData;

test('prototype keys are unknown members, never shapes (found by fuzzing)', () => {
  for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    const value = JSON.parse(`{"ServerId":"s-0123456789abcdef0","ProtocolDetails":{"${key}":{}}}`) as unknown;
    const violations = validateShape(model, 'UpdateServerRequest', value);
    assert.deepEqual(
      violations.map((v) => [v.kind, v.path.join('.')]),
      [['unknown-member', 'ProtocolDetails']],
    );
  }
});

test('lengths, patterns and enums come from the model', () => {
  const v = validateShape(model, 'UpdateServerRequest', {
    ServerId: 's-1',
    EndpointType: 'NOPE',
    ProtocolDetails: { PassiveIp: '1234567890123456' },
  });
  assert.deepEqual(v.map((x) => x.kind).sort(), ['enum', 'length', 'length', 'pattern']);
});
