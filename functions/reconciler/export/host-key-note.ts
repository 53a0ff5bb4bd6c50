// The placeholder for a server's host keys in an exported document. AWS never returns a private
// key, so an export cannot reference one: a HostKey naming a parameter that does not exist would
// make every plan invalid, and one naming a different key would be a rotation. The key is left
// out (unmanaged, compared by nothing) and the user is told what the server holds — algorithm and
// fingerprint, both public — and how to reference it. YAML carries this as a comment in the file;
// JSON cannot, so the CLI prints the short form on stderr.
import { showText } from '../desired/user-text.ts';
import type { ObservedServer } from '../types.ts';

/** Where export suggests keeping the server's key (the name the docs and examples use). */
export function hostKeyParameter(serverId: string): string {
  return `/transfer-reconciler/host-keys/${serverId}`;
}

interface KeySeen {
  type?: string;
  fingerprint: string;
  description?: string;
}

function keysOf(observed: ObservedServer): KeySeen[] {
  if (observed.HostKeys !== undefined && observed.HostKeys.length > 0) {
    return observed.HostKeys.map((k) => ({
      type: k.Type || undefined,
      fingerprint: k.Fingerprint,
      description: k.Description || undefined,
    }));
  }
  return observed.HostKeyFingerprint === undefined ? [] : [{ fingerprint: observed.HostKeyFingerprint }];
}

function shown(key: KeySeen): string {
  const what = [key.type, key.fingerprint].filter((s) => s !== undefined).join(' ');
  // Descriptions are free text: echoed through the one echo (cut, escaped, withheld if key-like).
  return key.description === undefined ? what : `${what} ${showText(key.description)}`;
}

/** One line, for stderr (JSON output) and for the summary. */
export function hostKeyNoteLine(observed: ObservedServer): string {
  const keys = keysOf(observed);
  const held = keys.length === 0 ? 'reports no host key' : `holds ${keys.map(shown).join(', ')}`;
  return `HostKey left out (AWS never returns a private key; the server ${held}). To manage it, store that private key as a SecureString and add "HostKey": {"SecureStringParameter": "${hostKeyParameter(observed.ServerId)}"}.`;
}

/** The comment lines (without `#`) a YAML export carries. */
export function hostKeyNoteComment(observed: ObservedServer): string[] {
  const id = observed.ServerId;
  const keys = keysOf(observed);
  const lines = [
    'HostKey is left out: AWS never returns a private key, so export cannot reference one, and',
    'nothing about the key is compared until the document names it.',
    keys.length === 0 ? 'The server reports no host key.' : `The server holds: ${keys.map(shown).join('; ')}.`,
    'To manage it, store the same private key as a SecureString (a different key is a rotation,',
    'which needs Reconciler.AllowHostKeyRotation) and reference it:',
    `  aws ssm put-parameter --type SecureString --name ${hostKeyParameter(id)} --value file://host-key`,
  ];
  if (keys.length > 1) {
    lines.push('  HostKeys:   # the whole set, one SecureString per key');
    keys.forEach((key, i) => {
      lines.push(`    - SecureStringParameter: ${hostKeyParameter(id)}-${i + 1}   # ${shown(key)}`);
    });
  } else {
    lines.push('  HostKey:', `    SecureStringParameter: ${hostKeyParameter(id)}`);
  }
  return lines;
}
