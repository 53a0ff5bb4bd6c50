// One server's export: documentOf plus $schema and ServerId, in canonical order, and proven
// valid. A value the server holds that a document may not (text that looks like private-key
// material, something static validation refuses) is left out with a note, never written: every
// file export writes passes `validate`, holds no key material, and leaving a key out only makes
// it unmanaged, so `plan` still finds nothing to change. Pure.
import { looksLikeKeyMaterial } from '../../shared/key-material.ts';
import { SCHEMA_ID } from '../desired/json-schema.ts';
import { validateStatic } from '../desired/validate-static.ts';
import type { DesiredDocument, Issue, ObservedServer } from '../types.ts';
import { inCanonicalOrder } from './canonical-order.ts';
import { documentOf } from './document-of.ts';

export interface ExportOptions {
  /** The `$schema` to write: default the published schema's URL (SCHEMA_ID). */
  schema?: string;
}

export type Exported =
  | { ok: true; serverId: string; document: DesiredDocument; leftOut: string[]; warnings: string[] }
  | { ok: false; serverId: string; issues: Issue[] };

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

/**
 * Removes what a path points at: one tag of Tags, one member of a nested object (the object
 * itself once it is empty), otherwise the whole top-level key.
 */
function drop(document: Record<string, unknown>, path: string): string | undefined {
  const m = /^\$\.([A-Za-z$]+)(?:\[(\d+)\]|\.([A-Za-z]+))?/.exec(path);
  const key = m?.[1];
  if (key === undefined || key === 'ServerId' || !Object.hasOwn(document, key)) return undefined;
  const value = document[key];
  if (key === 'Tags' && m?.[2] !== undefined && Array.isArray(value)) {
    (value as unknown[])[Number(m[2])] = undefined;
    return `$.Tags[${m[2]}]`;
  }
  const member = m?.[3];
  if (member !== undefined && typeof value === 'object' && value !== null && Object.hasOwn(value, member)) {
    delete (value as Record<string, unknown>)[member];
    if (Object.keys(value).length === 0) delete document[key];
    return `$.${key}.${member}`;
  }
  delete document[key];
  return `$.${key}`;
}

function compactTags(document: Record<string, unknown>): void {
  if (!Array.isArray(document.Tags)) return;
  const tags = (document.Tags as unknown[]).filter((t) => t !== undefined);
  if (tags.length > 0) document.Tags = tags;
  else delete document.Tags;
}

/** Values that look like key material never reach a file (nor the note that says so). */
function withholdKeyMaterial(document: Record<string, unknown>, leftOut: string[]): void {
  for (const [key, value] of Object.entries(document)) {
    if (key === 'Tags' && Array.isArray(value)) {
      value.forEach((tag, i) => {
        if (strings(tag).some(looksLikeKeyMaterial)) {
          (value as unknown[])[i] = undefined;
          leftOut.push(`$.Tags[${i}]: left out: the server's tag looks like private-key material (not repeated here).`);
        }
      });
    } else if (strings(value).some(looksLikeKeyMaterial)) {
      delete document[key];
      leftOut.push(`$.${key}: left out: the server's value looks like private-key material (not repeated here).`);
    }
  }
  compactTags(document);
}

export function exportServer(observed: ObservedServer, options: ExportOptions = {}): Exported {
  const serverId = observed.ServerId;
  const document: Record<string, unknown> = { $schema: options.schema ?? SCHEMA_ID, ServerId: serverId, ...documentOf(observed) };
  const leftOut: string[] = [];
  withholdKeyMaterial(document, leftOut);
  // Each round removes at least one key or gives up, so this ends; a document has ~20 keys.
  for (let round = 0; round < 64; round += 1) {
    const result = validateStatic(document, { source: `${serverId} (export)`, expectedServerId: serverId });
    if (result.ok) {
      return { ok: true, serverId, document: inCanonicalOrder(result.document), leftOut, warnings: result.warnings };
    }
    const dropped = result.issues.flatMap((issue) => {
      const path = drop(document, issue.path);
      return path === undefined ? [] : [`${path}: left out: ${issue.message}`];
    });
    compactTags(document);
    if (dropped.length === 0) return { ok: false, serverId, issues: result.issues };
    leftOut.push(...dropped);
  }
  return { ok: false, serverId, issues: [{ path: '$', message: 'the exported document could not be made valid' }] };
}
