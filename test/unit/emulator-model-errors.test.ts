// Every error the emulator's back ends answer an operation with is one the service model lists
// for that operation (or one every AWS API may answer: COMMON_ERRORS). The back ends are driven
// through their error paths (emulator-error-drive.ts). Regression: StartServer, StopServer and
// DeleteServer answered ConflictException, ListTagsForResource ResourceNotFoundException, and
// GetParameter, GetParametersByPath and DeleteParameter HierarchyLevelLimitExceededException.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { COMMON_ERRORS, mayAnswer } from '../../infra/local/model-errors.ts';
import { serviceModels } from '../../infra/local/service-models.ts';
import type { ServiceName } from '../../infra/local/types.ts';
import { ssmErrors, transferErrors } from './emulator-error-drive.ts';
import type { Seen } from './emulator-error-drive.ts';

function unlisted(service: ServiceName, seen: Seen): string[] {
  return [...seen].flatMap(([operation, codes]) =>
    [...codes].filter((code) => !mayAnswer(service, operation, code)).map((code) => `${operation}: ${code}`),
  );
}

/** Every error code the emulator's sources name literally (faults.ts answers codes a test chooses). */
function codesInSources(): Set<string> {
  const root = fileURLToPath(new URL('../../infra/local/', import.meta.url));
  const codes = new Set<string>();
  for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file === 'faults.ts') continue;
    const text = readFileSync(`${root}${file}`, 'utf8');
    for (const match of text.matchAll(/new AwsError\(\s*'([A-Za-z]+)'/g)) codes.add(match[1] as string);
  }
  return codes;
}

describe('emulator errors are the ones the models list', () => {
  test('COMMON_ERRORS holds only protocol-level and common AWS errors', () => {
    for (const code of [
      'ConflictException',
      'ResourceNotFoundException',
      'InvalidRequestException',
      'HierarchyLevelLimitExceededException',
    ])
      assert.ok(!COMMON_ERRORS.includes(code), code);
  });

  test('Transfer: every error of every served operation is in its model list', async () => {
    const seen = await transferErrors();
    assert.deepEqual(unlisted('transfer', seen), []);
    // The refusals the drive must reach, so the check above is not vacuous.
    const expected: [string, string][] = [
      ['UpdateServer', 'ConflictException'],
      ['StartServer', 'InvalidRequestException'],
      ['StopServer', 'InvalidRequestException'],
      ['DeleteServer', 'InvalidRequestException'],
      ['ListTagsForResource', 'InvalidRequestException'],
      ['CreateServer', 'ResourceExistsException'],
      ['ListServers', 'InvalidNextTokenException'],
      ['ImportHostKey', 'ResourceExistsException'],
      ['ImportHostKey', 'InvalidRequestException'],
      ['UpdateServer', 'ResourceExistsException'],
      ['DeleteHostKey', 'ResourceNotFoundException'],
      ['ListHostKeys', 'InvalidNextTokenException'],
    ];
    for (const [operation, code] of expected) assert.ok(seen.get(operation)?.has(code), `${operation} never answered ${code}`);
    assert.deepEqual(
      Object.keys(serviceModels.transfer.operations).filter((op) => !seen.has(op)),
      [],
    );
  });

  test('SSM: every error of every served operation is in its model list', async () => {
    const seen = await ssmErrors();
    assert.deepEqual(unlisted('ssm', seen), []);
    const expected: [string, string][] = [
      ['PutParameter', 'HierarchyLevelLimitExceededException'],
      ['GetParameter', 'ParameterNotFound'],
      ['GetParameter', 'ParameterVersionNotFound'],
      ['DeleteParameter', 'ParameterNotFound'],
      ['GetParametersByPath', 'InvalidNextToken'],
      ['GetParametersByPath', 'InvalidFilterOption'],
      ['AddTagsToResource', 'InvalidResourceId'],
      ['AddTagsToResource', 'InvalidResourceType'],
      ['AddTagsToResource', 'TooManyTagsError'],
      ['RemoveTagsFromResource', 'InvalidResourceId'],
      ['ListTagsForResource', 'InvalidResourceId'],
      ['GetParameter', 'AccessDeniedException'],
      ['GetParametersByPath', 'AccessDeniedException'],
    ];
    for (const [operation, code] of expected) assert.ok(seen.get(operation)?.has(code), `${operation} never answered ${code}`);
  });

  test('every error code the emulator code names is reached by the drive above, or is a common one', async () => {
    const reached = new Set([...(await transferErrors()).values(), ...(await ssmErrors()).values()].flatMap((codes) => [...codes]));
    const unreached = [...codesInSources()].filter((code) => !reached.has(code) && !COMMON_ERRORS.includes(code));
    assert.deepEqual(unreached, []);
  });
});
