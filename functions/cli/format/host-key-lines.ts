// How HostKeys appear in a plan: a key is named by its fingerprint (the change's path) and shown
// by its type and description; the description passes through showText, so text that looks like
// key material (a description someone set by hand) is withheld. Per algorithm, the key clients
// see before → after.
import { algorithmLabel } from '../../reconciler/plan/host-keys.ts';
import { showText } from '../../reconciler/desired/user-text.ts';
import type { ActiveHostKey, Outcome } from '../../reconciler/types.ts';
import { normaliseFingerprint } from '../../shared/fingerprint.ts';

export const HOST_KEYS_PREFIX = 'HostKeys.';

/** `ssh-ed25519 "description"` for a key, `"description"` for a changed description. */
export function showHostKeyValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (typeof value === 'string') return showText(value);
  if (typeof value !== 'object' || value === null) return '(unknown)';
  const { Type, Description } = value as { Type?: unknown; Description?: unknown };
  const type =
    typeof Type === 'string' && /^[a-z0-9-]{1,40}$/.test(Type) ? Type : typeof Type === 'string' ? showText(Type) : '(unknown type)';
  return typeof Description === 'string' && Description !== '' ? `${type} ${showText(Description)}` : type;
}

const shown = (fingerprint: string | undefined): string => (fingerprint === undefined ? '(none)' : normaliseFingerprint(fingerprint));

/** `active ED25519 host key: SHA256:a → SHA256:b`, or `… SHA256:a (unchanged)`. */
export function activeKeyLine(a: ActiveHostKey): string {
  const label = `active ${algorithmLabel(a.algorithm)} host key`;
  return a.before === a.after ? `${label}: ${shown(a.before)} (unchanged)` : `${label}: ${shown(a.before)} → ${shown(a.after)}`;
}

/** The active-key lines of an outcome whose host keys change; none when they do not. */
export function activeKeyLines(o: Outcome): string[] {
  if (o.hostKeys === undefined || !o.changes.some((c) => c.path.startsWith(HOST_KEYS_PREFIX))) return [];
  return o.hostKeys.map(activeKeyLine);
}
