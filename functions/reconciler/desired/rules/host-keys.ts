// Rules of `HostKeys` that its catalogue node cannot state: it replaces HostKey (one or the
// other), lists each parameter once, holds at least one key and no more than a server takes.
// The keys themselves are read and compared with each other when the document is loaded
// (resolve-host-key.ts: two entries holding the same key are caught there, by fingerprint).
import { isPlainObject } from '../../../shared/model-validate.ts';
import type { Finding } from '../issue-path.ts';
import { showText } from '../user-text.ts';

/**
 * Host keys per server. Not in the Transfer model and not in AWS's quota pages: the figure is the
 * one quoted in Terraform's issue tracker (docs/aws-behaviour.md, "Transfer: host keys"), so the
 * message says where it comes from.
 */
export const MAX_HOST_KEYS = 10;

export const HOST_KEY_LIMIT_SOURCE = 'the limit quoted for Transfer Family; see aws-behaviour.md — not verified by AWS documentation';

export function hostKeysFindings(document: Record<string, unknown>): Finding[] {
  const keys = document.HostKeys;
  if (keys === undefined) return [];
  const out: Finding[] = [];
  if (document.HostKey !== undefined) {
    out.push({
      path: ['HostKeys'],
      message:
        'HostKeys and HostKey cannot both be set: HostKeys is the whole set of keys the server holds, HostKey the one key UpdateServer replaces. ' +
        'Keep HostKeys (and move the HostKey parameter into it as an entry) to manage several keys or a rotation; keep HostKey and remove HostKeys for a single key.',
    });
  }
  if (!Array.isArray(keys)) return out;
  if (keys.length === 0) {
    out.push({
      path: ['HostKeys'],
      message:
        'must list at least one key: an empty list would delete every key of the server, and clients could not connect. Remove HostKeys to leave the keys unmanaged.',
    });
  }
  if (keys.length > MAX_HOST_KEYS) {
    out.push({
      path: ['HostKeys'],
      message: `lists ${keys.length} keys; at most ${MAX_HOST_KEYS} host keys per server (${HOST_KEY_LIMIT_SOURCE}). Remove some.`,
    });
  }
  const seen = new Map<string, number>();
  keys.forEach((entry, i) => {
    if (!isPlainObject(entry) || typeof entry.SecureStringParameter !== 'string') return;
    const name = entry.SecureStringParameter;
    const first = seen.get(name);
    if (first === undefined) seen.set(name, i);
    else
      out.push({
        path: ['HostKeys', i, 'SecureStringParameter'],
        message: `${showText(name)} is already listed at $.HostKeys[${first}]; a key is held once, so list each parameter once.`,
      });
  });
  return out;
}
