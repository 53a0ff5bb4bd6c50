// Host-key fingerprints. AWS returns `SHA256:<base64 with = padding>` (Terraform's tests show it);
// ssh-keygen prints `SHA256:<base64 without padding>`. The project's canonical form is
// ssh-keygen's; compare only canonical forms.

/** `SHA256:abc=`, `abc=`, `SHA256:abc` and `abc` all become `SHA256:abc`. */
export function normaliseFingerprint(fingerprint: string): string {
  const body = fingerprint
    .trim()
    .replace(/^SHA256:/i, '')
    .replace(/=+$/, '');
  return `SHA256:${body}`;
}

export function sameFingerprint(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return normaliseFingerprint(a) === normaliseFingerprint(b);
}

/** AWS's format: `SHA256:` and padded base64 of the SHA-256 of the SSH public key blob. */
export function awsFingerprintFromDigest(digest: Uint8Array): string {
  return `SHA256:${Buffer.from(digest).toString('base64')}`;
}
