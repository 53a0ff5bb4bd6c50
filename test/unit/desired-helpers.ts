// Shared by the desired-* unit tests: run static validation and look at its issues.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatOfPath, parseDocumentText } from '../../functions/reconciler/desired/parse.ts';
import { validateStatic } from '../../functions/reconciler/desired/validate-static.ts';
import type { StaticContext } from '../../functions/reconciler/desired/validate-static.ts';
import type { Issue } from '../../functions/reconciler/types.ts';

export const SERVER_ID = 's-0123456789abcdef0';
const CONTEXT: StaticContext = { source: 'test', expectedServerId: SERVER_ID };

export function issuesOf(doc: unknown, context: Partial<StaticContext> = {}): Issue[] {
  const result = validateStatic(doc, { ...CONTEXT, ...context });
  assert.equal(result.ok, false, 'expected the document to be invalid');
  return result.ok ? [] : result.issues;
}

export function assertValid(doc: unknown, context: Partial<StaticContext> = {}): string[] {
  const result = validateStatic(doc, { ...CONTEXT, ...context });
  assert.deepEqual(result.ok ? [] : result.issues, []);
  return result.warnings;
}

/** The one issue at `path`; fails when there is none or more than one. */
export function issueAt(doc: unknown, path: string, context: Partial<StaticContext> = {}): Issue {
  const all = issuesOf(doc, context);
  const at = all.filter((i) => i.path === path);
  assert.equal(at.length, 1, `expected one issue at ${path}, got: ${JSON.stringify(all)}`);
  return at[0] as Issue;
}

const FIXTURES = fileURLToPath(new URL('../fixtures/documents/', import.meta.url));

export function fixtureDocuments(kind: 'valid' | 'invalid'): Array<{ name: string; value: unknown }> {
  return readdirSync(`${FIXTURES}${kind}`)
    .sort()
    .map((name) => {
      const parsed = parseDocumentText(readFileSync(`${FIXTURES}${kind}/${name}`, 'utf8'), formatOfPath(name) ?? 'json');
      assert.ok(parsed.ok, `fixture ${name} does not parse`);
      return { name, value: parsed.ok ? parsed.value : undefined };
    });
}
