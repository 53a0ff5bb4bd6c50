// The document's canonical JSON: keys sorted recursively, no whitespace. It is what the CLI
// writes to SSM, what the size limit is measured on, and what "did the document change" compares.
import { isPlainObject } from '../../shared/model-validate.ts';

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (isPlainObject(value)) {
    const members = Object.keys(value)
      .sort()
      .filter((key) => value[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Bytes of the canonical JSON in UTF-8 (what SSM counts against the tier's limit). The order of
 * keys does not change the byte count, and JSON.stringify drops undefined members and writes
 * undefined items as null just as canonicalJson does, so the native serialiser counts it: the
 * size verdict comes first in validation, and on a hostile multi-megabyte document it must be
 * cheap (a test checks the two agree).
 */
export function canonicalSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null', 'utf8');
}
