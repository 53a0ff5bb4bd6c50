// The document's JSON Schema (draft 2020-12), generated from the key catalogue and so from the
// Transfer model's data. Editors use it for completion and early errors; the reconciler itself
// validates with validateStatic, which also checks the cross-field rules a schema cannot state.
import type { CatalogueNode } from './catalogue-types.ts';
import { DOCUMENT } from './keys.ts';
import { FORMAT_PATTERNS } from './rules/value-formats.ts';

export const SCHEMA_ID = 'https://transfer-reconciler.dev/schema/desired-state.json';

type Schema = Record<string, unknown>;

const anchored = (pattern: string): string => `^(?:${pattern})$`;

function stringSchema(node: Extract<CatalogueNode, { type: 'string' }>): Schema {
  const out: Schema = { type: 'string', description: node.description };
  if (node.enum) out.enum = [...node.enum];
  if (node.min !== undefined && node.min > 0) out.minLength = node.min;
  if (node.max !== undefined) out.maxLength = node.max;
  const patterns = [
    ...(node.pattern !== undefined ? [anchored(node.pattern)] : []),
    ...(node.format !== undefined ? [FORMAT_PATTERNS[node.format]] : []),
  ];
  if (patterns.length === 1) out.pattern = patterns[0];
  else if (patterns.length > 1) out.allOf = patterns.map((pattern) => ({ pattern }));
  return out;
}

function nodeSchema(node: CatalogueNode): Schema {
  switch (node.type) {
    case 'object': {
      const out: Schema = {
        type: 'object',
        description: node.description,
        properties: Object.fromEntries(Object.entries(node.members).map(([name, member]) => [name, nodeSchema(member)])),
        additionalProperties: false,
      };
      if (node.required && node.required.length > 0) out.required = [...node.required];
      return node.orEmptyString ? { description: node.description, oneOf: [out, { const: '' }] } : out;
    }
    case 'list': {
      const out: Schema = { type: 'array', description: node.description, items: nodeSchema(node.item) };
      if (node.min !== undefined && node.min > 0) out.minItems = node.min;
      if (node.max !== undefined) out.maxItems = node.max;
      if (node.set) out.uniqueItems = true;
      return out;
    }
    case 'string':
      return stringSchema(node);
    case 'boolean':
      return { type: 'boolean', description: node.description };
  }
}

export function documentSchema(): Schema {
  const root = nodeSchema(DOCUMENT);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: 'transfer-reconciler desired state of an AWS Transfer Family server',
    ...root,
  };
}

/** The committed file's text (schema/desired-state.schema.json). */
export function documentSchemaText(): string {
  return `${JSON.stringify(documentSchema(), null, 2)}\n`;
}
