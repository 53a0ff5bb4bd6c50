// An exported document as file text: YAML (the default; it can carry the host-key placeholder as
// a comment) or JSON. Both end with a newline and are stable for the same server. YAML is written
// as 1.2 with the core schema, the reading the CLI's parser uses (desired/parse.ts), so every
// string comes back as the same string ("ON", "123" and "a\rb" are quoted as needed).
import { Document, isScalar, visit } from 'yaml';
import type { DesiredDocument } from '../types.ts';

export type ExportFormat = 'yaml' | 'json';

export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = { yaml: '.yaml', json: '.json' };

export function renderJson(document: DesiredDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * `comment` lines become `# …` lines before the document. Lists of plain values are written in
 * flow style (`Protocols: [SFTP, FTPS]`), as the examples are; no line is folded, so a long
 * banner or ARN stays one line a reviewer can read and diff.
 */
export function renderYaml(document: DesiredDocument, comment: string[] = []): string {
  const doc = new Document(document, { version: '1.2' });
  if (comment.length > 0) doc.commentBefore = comment.map((line) => (line === '' ? '' : ` ${line.replace(/[\r\n]+/g, ' ')}`)).join('\n');
  visit(doc, {
    Seq(_key, node) {
      if (node.items.length > 0 && node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return text.endsWith('\n') ? text : `${text}\n`;
}
