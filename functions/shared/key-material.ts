// Does a text hold private-key material? One detector, used wherever text from outside (a
// document, a server's answer) could be echoed or stored: the echo of user text withholds it
// (reconciler/desired/user-text.ts) and free-text fields of a document that hold it are invalid
// (reconciler/desired/rules/free-text.ts).
//
// The rule, and why:
// - armour: `BEGIN … PRIVATE KEY` / `END … PRIVATE KEY` (PEM, OpenSSH, SSH2), or a PuTTY
//   `PuTTY-User-Key-File-` header. A whole pasted key always has one.
// - a key line: a run of at least 32 characters of the base64 alphabet [A-Za-z0-9+/] (trailing
//   `=` padding aside) that mixes upper case, lower case and digits. Body lines of PEM and OpenSSH
//   keys are 64 and 70 such characters; in samples of thousands of generated RSA, ECDSA and
//   Ed25519 keys every full line, and over 99 % of last lines of 32 or more, pass this test (a
//   random 64-character line lacks a digit about once in 50,000). Words,
//   hex digests, IDs and ARNs do not: they are split by `-`, `:`, `.`, `_` or spaces, or lack one
//   of the three classes. Long unbroken CamelCase with digits (a path such as
//   `Data/Incoming2024/Reports…`) can match: that costs a withheld echo or a rejected banner with
//   a clear reason, whereas a miss could publish a key.
// - not key material: an SSH fingerprint (`SHA256:` + 43 base64 characters) and an SSH public key
//   (`ssh-ed25519 AAAA…`): both are public, and the product prints fingerprints itself.
// Shorter runs (the tail of a key's last line) are not recognised; they are a fraction of a line.
// Cost: one pass over the text, a bounded look around each run (no backtracking regex).

export type KeyMaterialKind = 'private-key-armour' | 'key-line';

/** Runs at least this long can be a line of a key. */
export const MIN_KEY_LINE = 32;

// Bounded repetition: the look for armour costs at most 40 characters per "BEGIN"/"END".
const ARMOUR = /\b(?:BEGIN|END) [A-Z0-9 ]{0,40}PRIVATE KEY\b|PuTTY-User-Key-File-\d/i;
const PUBLIC_KEY_TYPE =
  /(?:^|[\s"'=,;:])(?:ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp(?:256|384|521)|sk-[a-z0-9-]{1,40}@openssh\.com) $/;
const FINGERPRINT_BODY = 43;

function classOf(code: number): 0 | 1 | 2 | 3 | -1 {
  if (code >= 0x41 && code <= 0x5a) return 0; // A-Z
  if (code >= 0x61 && code <= 0x7a) return 1; // a-z
  if (code >= 0x30 && code <= 0x39) return 2; // 0-9
  if (code === 0x2b || code === 0x2f) return 3; // + /
  return -1;
}

/** A run that is public by its context: a fingerprint body, or the blob of an SSH public key. */
function isPublic(text: string, start: number, length: number): boolean {
  if (length === FINGERPRINT_BODY && text.slice(Math.max(0, start - 7), start).toUpperCase() === 'SHA256:') return true;
  // A Route 53 hosted zone as Transfer's custom-hostname tag holds it: /hostedzone/ + upper case and digits.
  if (/^\/?hostedzone\/[A-Z0-9]+$/.test(text.slice(start, start + length))) return true;
  // A public key blob starts with the length of its type name: three zero bytes, "AAAA" in base64.
  return text.startsWith('AAAA', start) && PUBLIC_KEY_TYPE.test(text.slice(Math.max(0, start - 60), start));
}

function hasKeyLine(text: string): boolean {
  let start = 0;
  let seen = 0; // bit set of the classes in the current run
  for (let i = 0; i <= text.length; i += 1) {
    const cls = i < text.length ? classOf(text.charCodeAt(i)) : -1;
    if (cls !== -1) {
      if (seen === 0) start = i;
      seen |= 1 << cls;
      continue;
    }
    const length = i - start;
    if (seen !== 0 && length >= MIN_KEY_LINE && (seen & 0b111) === 0b111 && !isPublic(text, start, length)) return true;
    seen = 0;
  }
  return false;
}

/** What kind of private-key material `text` holds, if any. */
export function findKeyMaterial(text: string): KeyMaterialKind | undefined {
  if (ARMOUR.test(text)) return 'private-key-armour';
  if (hasKeyLine(text)) return 'key-line';
  return undefined;
}

export function looksLikeKeyMaterial(text: string): boolean {
  return findKeyMaterial(text) !== undefined;
}

/** Words for a message; never a part of the text itself. */
export function describeKeyMaterial(kind: KeyMaterialKind): string {
  return kind === 'private-key-armour'
    ? 'a private-key header or footer (BEGIN/END … PRIVATE KEY)'
    : `a run of ${MIN_KEY_LINE} or more base64 characters mixing upper case, lower case and digits, like a line of a private key`;
}
