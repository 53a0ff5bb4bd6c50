// Text → value for documents in JSON or YAML (files in a git checkout). Malformed input becomes
// an issue at `$` with its line and column; the text itself is never quoted (a pasted private key
// must not reach a log). Code that only ever reads JSON (the Lambdas) imports parse-json.ts.
import { LineCounter, isCollection, isPair, isScalar, parseDocument, visit } from 'yaml';
import type { Issue } from '../types.ts';
import { malformedAt as at, parseJsonText, withoutBom } from './parse-json.ts';
import type { DocumentFormat, ParseResult } from './parse-json.ts';
import { showForeignMessage, showText } from './user-text.ts';

export type { DocumentFormat, ParseResult };

/** Tags whose values JSON can hold; any other tag (!!binary, !!set, !custom) has no JSON meaning. */
const JSON_TAGS = new Set([
  'tag:yaml.org,2002:str',
  'tag:yaml.org,2002:int',
  'tag:yaml.org,2002:float',
  'tag:yaml.org,2002:bool',
  'tag:yaml.org,2002:null',
  'tag:yaml.org,2002:map',
  'tag:yaml.org,2002:seq',
]);
/** Expanded aliases allowed before the document is refused (guards against alias bombs). */
const MAX_ALIAS_COUNT = 100;

/**
 * YAML messages are the library's texts (no source snippet: prettyErrors is off), but some name
 * what they found (a tag, an anchor): cut, escaped, and withheld when that looks like key material.
 */
const shortMessage = (message: string): string => showForeignMessage(message);

function parseYaml(text: string): ParseResult {
  const doc = parseDocument(text, {
    version: '1.2',
    schema: 'core',
    uniqueKeys: true,
    prettyErrors: false,
    lineCounter: new LineCounter(),
  });
  const issues: Issue[] = [];
  for (const error of doc.errors) {
    const message = error.code === 'DUPLICATE_KEY' ? 'a key appears twice in the same mapping; keep one' : shortMessage(error.message);
    issues.push(at('yaml', text, error.pos[0], message));
  }
  for (const warning of doc.warnings) issues.push(at('yaml', text, warning.pos[0], shortMessage(warning.message)));
  if (issues.length > 0) return { ok: false, issues };
  visit(doc, {
    Node(_key, node) {
      if (node.tag !== undefined && !JSON_TAGS.has(node.tag)) {
        issues.push(at('yaml', text, node.range?.[0] ?? 0, `the tag ${showText(node.tag)} has no JSON equivalent; remove it`));
      }
    },
    Pair(_key, pair) {
      if (!isPair(pair)) return;
      const key = pair.key;
      const offset = (isScalar(key) || isCollection(key) ? key.range?.[0] : undefined) ?? 0;
      if (isCollection(key)) issues.push(at('yaml', text, offset, 'a mapping key must be a string, not a list or mapping'));
      else if (isScalar(key) && typeof key.value !== 'string') {
        issues.push(
          at('yaml', text, offset, `a mapping key must be a string, not ${key.value === null ? 'null' : typeof key.value}; quote it`),
        );
      }
    },
  });
  if (issues.length > 0) return { ok: false, issues };
  try {
    // An empty YAML text is null; say so here rather than as "the document must be an object".
    if (doc.contents === null)
      return { ok: false, issues: [{ path: '$', message: 'the document is empty; expected a mapping of settings' }] };
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown };
  } catch {
    return {
      ok: false,
      issues: [{ path: '$', message: `malformed YAML: too many aliases (more than ${MAX_ALIAS_COUNT} expansions); write the values out` }],
    };
  }
}

export function parseDocumentText(text: string, format: DocumentFormat): ParseResult {
  return format === 'json' ? parseJsonText(text) : parseYaml(withoutBom(text));
}

export function formatOfPath(path: string): DocumentFormat | undefined {
  if (/\.json$/i.test(path)) return 'json';
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  return undefined;
}
