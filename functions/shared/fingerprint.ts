// Host-key fingerprints. AWS returns `SHA256:<base64 with = padding>` (Terraform's tests show it);
// ssh-keygen prints `SHA256:<base64 without padding>`. The project's canonical form is
// ssh-keygen's; compare only canonical forms.
//
// Whatever a server reports that is not a SHA-256 fingerprint becomes UNRECOGNISED_FINGERPRINT
// here, at the boundary: moto, for one, answers the private key itself in HostKeyFingerprint, and
// the value is printed in plans (pull-request comments), outcomes and logs.

/** Shown (and compared) instead of a reported fingerprint that is not one. */
export const UNRECOGNISED_FINGERPRINT = '(unrecognised fingerprint)';

// 32 bytes of SHA-256 are 43 base64 characters and one `=` of padding; the prefix is optional
// (AWS may send the bare base64), its case is not significant.
const FINGERPRINT = /^(?:SHA256:)?([A-Za-z0-9+/]{43})=?$/i;

/** `SHA256:abc…` for a SHA-256 fingerprint in any of its forms; undefined for anything else. */
export function canonicalFingerprint(text: string): string | undefined {
  const body = FINGERPRINT.exec(text.trim())?.[1];
  return body === undefined ? undefined : `SHA256:${body}`;
}

/**
 * `SHA256:abc=`, `abc=`, `SHA256:abc` and `abc` all become `SHA256:abc`; anything else (a private
 * key, an MD5 fingerprint, garbage) becomes UNRECOGNISED_FINGERPRINT, never the text itself.
 */
export function normaliseFingerprint(fingerprint: string): string {
  return canonicalFingerprint(fingerprint) ?? UNRECOGNISED_FINGERPRINT;
}

/** An unrecognised fingerprint equals nothing, not even another unrecognised one. */
export function sameFingerprint(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const x = canonicalFingerprint(a);
  return x !== undefined && x === canonicalFingerprint(b);
}

/** AWS's format: `SHA256:` and padded base64 of the SHA-256 of the SSH public key blob. */
export function awsFingerprintFromDigest(digest: Uint8Array): string {
  return `SHA256:${Buffer.from(digest).toString('base64')}`;
}
