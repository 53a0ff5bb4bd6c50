// Text → value for JSON documents, the only format Parameter Store holds. Kept apart from the
// YAML parser (parse.ts) so that the Lambda bundles, which read documents from SSM only, do not
// carry a YAML library: it was over a sixth of each bundle and of its cold-start parse time.
// Malformed input becomes an issue at `$` with its line and column; the text itself is never
// quoted (a pasted private key must not reach a log).
import type { Issue } from '../types.ts';
import { checkJsonSyntax, lineColumn } from './json-syntax.ts';

export type DocumentFormat = 'json' | 'yaml';
export type ParseResult = { ok: true; value: unknown } | { ok: false; issues: Issue[] };

export function malformedAt(format: DocumentFormat, text: string, offset: number, message: string): Issue {
  const { line, column } = lineColumn(text, offset);
  return { path: '$', message: `malformed ${format === 'json' ? 'JSON' : 'YAML'} at line ${line} column ${column}: ${message}` };
}

/** A leading byte-order mark (Windows editors) is not part of the document. */
export function withoutBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

export function parseJsonText(text: string): ParseResult {
  const body = withoutBom(text);
  const problem = checkJsonSyntax(body);
  if (problem !== undefined) return { ok: false, issues: [malformedAt('json', body, problem.offset, problem.message)] };
  return { ok: true, value: JSON.parse(body) as unknown };
}
