// The key order of an exported document: the catalogue's (desired/keys.ts DOCUMENT), at every
// level. Exports of the same server are then byte for byte the same, and a re-export after a
// change shows up in a pull request as the lines that changed, not as keys that moved.
import type { CatalogueNode } from '../desired/catalogue-types.ts';
import { DOCUMENT } from '../desired/keys.ts';

function ordered(node: CatalogueNode | undefined, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => ordered(node?.type === 'list' ? node.item : undefined, item));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const members = node?.type === 'object' ? node.members : {};
  const known = Object.keys(members).filter((k) => record[k] !== undefined);
  // Keys the catalogue does not know (none today) keep their place after the known ones.
  const rest = Object.keys(record).filter((k) => !Object.hasOwn(members, k) && record[k] !== undefined);
  return Object.fromEntries([...known, ...rest].map((k) => [k, ordered(members[k], record[k])]));
}

/** A copy of `document` with its keys in catalogue order and no undefined members. */
export function inCanonicalOrder<T>(document: T): T {
  return ordered(DOCUMENT, document) as T;
}
