// What `push` does to Parameter Store, decided from the files and the parameters already under
// the prefix: create, update (the canonical JSON differs), leave unchanged, or delete (only with
// prune, when no file names that server any more). Pure: the CLI lists and writes.
import { isPlainObject } from '../../shared/model-validate.ts';
import { canonicalJson } from './canonical-json.ts';
import type { ParameterTier } from './rules/size-limit.ts';
import { TIER_LIMITS } from './rules/size-limit.ts';

export interface LocalDocument {
  serverId: string;
  file: string;
  /** The parsed, statically valid document. */
  raw: unknown;
}

export interface StoredDocument {
  serverId: string;
  name: string;
  text: string;
  type: string;
  version?: number;
}

interface Common {
  serverId: string;
  name: string;
}
export type PushAction =
  | (Common & { kind: 'create'; file: string; text: string; tier: ParameterTier })
  /** `type` is what PutParameter sends: undefined keeps a SecureString a SecureString (with its key). */
  | (Common & { kind: 'update'; file: string; text: string; tier: ParameterTier; type: 'String' | undefined; fromVersion?: number })
  | (Common & { kind: 'unchanged'; file: string; version?: number })
  | (Common & { kind: 'delete'; version?: number });

/**
 * The parameter's value: the document's canonical JSON without `$schema`, which only tells an
 * editor where the schema file is (a relative path that means nothing inside SSM).
 */
export function parameterText(raw: unknown): string {
  if (!isPlainObject(raw)) return canonicalJson(raw);
  const { $schema: _schema, ...rest } = raw;
  return canonicalJson(rest);
}

export function byteSize(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Standard when it fits (4096 bytes), else Advanced. A parameter that already holds more than
 * Standard allows is Advanced, and an Advanced parameter can never go back to Standard.
 */
export function tierFor(text: string, storedText?: string): ParameterTier {
  if (byteSize(text) > TIER_LIMITS.Standard) return 'Advanced';
  if (storedText !== undefined && byteSize(storedText) > TIER_LIMITS.Standard) return 'Advanced';
  return 'Standard';
}

export function planPush(local: LocalDocument[], stored: StoredDocument[], options: { prefix: string; prune: boolean }): PushAction[] {
  const storedById = new Map(stored.map((s) => [s.serverId, s]));
  const actions: PushAction[] = [];
  for (const doc of [...local].sort((a, b) => compare(a.serverId, b.serverId))) {
    const text = parameterText(doc.raw);
    const current = storedById.get(doc.serverId);
    const name = current?.name ?? `${options.prefix}${doc.serverId}`;
    if (current === undefined) {
      actions.push({ kind: 'create', serverId: doc.serverId, name, file: doc.file, text, tier: tierFor(text) });
    } else if (current.text === text) {
      actions.push({
        kind: 'unchanged',
        serverId: doc.serverId,
        name,
        file: doc.file,
        ...(current.version !== undefined ? { version: current.version } : {}),
      });
    } else {
      actions.push({
        kind: 'update',
        serverId: doc.serverId,
        name,
        file: doc.file,
        text,
        tier: tierFor(text, current.text),
        type: current.type === 'SecureString' ? undefined : 'String',
        ...(current.version !== undefined ? { fromVersion: current.version } : {}),
      });
    }
  }
  if (options.prune) {
    const wanted = new Set(local.map((d) => d.serverId));
    for (const s of [...stored].sort((a, b) => compare(a.serverId, b.serverId))) {
      if (!wanted.has(s.serverId))
        actions.push({ kind: 'delete', serverId: s.serverId, name: s.name, ...(s.version !== undefined ? { version: s.version } : {}) });
    }
  }
  return actions;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
