// What `push` does to Parameter Store, decided from the files and the parameters already under
// the prefix: create, update (the canonical JSON differs), leave unchanged, or delete (only with
// prune, when no file names that server any more). Servers are matched by address (ServerId, and
// account and region for another account's: server-address.ts). Pure: the CLI lists and writes.
import { isPlainObject } from '../../shared/model-validate.ts';
import { canonicalJson } from './canonical-json.ts';
import type { ParameterTier } from './rules/size-limit.ts';
import { TIER_LIMITS } from './rules/size-limit.ts';
import type { ServerAddress } from './server-address.ts';
import { addressKey, parameterName } from './server-address.ts';

export interface LocalDocument {
  serverId: string;
  /** Absent: the hub's own account and region. */
  address?: ServerAddress;
  file: string;
  /** The parsed, statically valid document. */
  raw: unknown;
}

export interface StoredDocument {
  serverId: string;
  address?: ServerAddress;
  name: string;
  text: string;
  type: string;
  version?: number;
}

interface Common {
  serverId: string;
  /** Set for a document of another account and region. */
  address?: ServerAddress;
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

const keyOf = (d: { serverId: string; address?: ServerAddress }): string => addressKey(d.address ?? { serverId: d.serverId });
const whereOf = (d: { serverId: string; address?: ServerAddress }): Common =>
  d.address?.accountId === undefined ? { serverId: d.serverId, name: '' } : { serverId: d.serverId, address: d.address, name: '' };

export function planPush(local: LocalDocument[], stored: StoredDocument[], options: { prefix: string; prune: boolean }): PushAction[] {
  const storedByKey = new Map(stored.map((s) => [keyOf(s), s]));
  const actions: PushAction[] = [];
  for (const doc of [...local].sort((a, b) => compare(keyOf(a), keyOf(b)))) {
    const text = parameterText(doc.raw);
    const current = storedByKey.get(keyOf(doc));
    const name = current?.name ?? parameterName(options.prefix, doc.address ?? { serverId: doc.serverId });
    const where = { ...whereOf(doc), name };
    if (current === undefined) {
      actions.push({ kind: 'create', ...where, file: doc.file, text, tier: tierFor(text) });
    } else if (current.text === text) {
      actions.push({ kind: 'unchanged', ...where, file: doc.file, ...(current.version !== undefined ? { version: current.version } : {}) });
    } else {
      actions.push({
        kind: 'update',
        ...where,
        file: doc.file,
        text,
        tier: tierFor(text, current.text),
        type: current.type === 'SecureString' ? undefined : 'String',
        ...(current.version !== undefined ? { fromVersion: current.version } : {}),
      });
    }
  }
  if (options.prune) {
    const wanted = new Set(local.map(keyOf));
    for (const s of [...stored].sort((a, b) => compare(keyOf(a), keyOf(b)))) {
      if (!wanted.has(keyOf(s)))
        actions.push({ kind: 'delete', ...whereOf(s), name: s.name, ...(s.version !== undefined ? { version: s.version } : {}) });
    }
  }
  return actions;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
