// The committed model extract (functions/shared/aws-models/) must be what `npm run gen:model`
// makes from the botocore service models in ../shared/aws-models (beside the repository in
// development and CI), and must hold every shape the operations we use reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SERVICES, generate } from '../../scripts/gen-model-constraints.ts';
import type { ModelData } from '../../functions/shared/model-validate.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shared = `${root}../shared/aws-models`;
const committed = (name: string): string => readFileSync(`${root}functions/shared/aws-models/${name}.json`, 'utf8');

test('the extract covers every operation we use, every referenced shape, and no documentation', () => {
  for (const [name, svc] of Object.entries(SERVICES)) {
    const text = committed(name);
    assert.doesNotMatch(text, /documentation/);
    const model = JSON.parse(text) as ModelData;
    assert.deepEqual(Object.keys(model.operations).sort(), [...svc.operations].sort());
    for (const shape of Object.values(model.shapes)) {
      for (const ref of [...Object.values(shape.members ?? {}), shape.member, shape.key, shape.value]) {
        if (ref !== undefined) assert.ok(model.shapes[ref], `${name}: shape ${ref} is referenced but missing`);
      }
    }
  }
});

test('the extract is current with the service models when they are present', () => {
  if (!existsSync(shared)) {
    // A clone without the shared folder can only check the extract itself (the test above).
    assert.ok(!existsSync(shared));
    return;
  }
  const files = generate(shared);
  for (const [name, text] of Object.entries(files)) {
    assert.equal(committed(name), text, `functions/shared/aws-models/${name}.json is out of date: run npm run gen:model`);
  }
});
