// Types and the error shared by the ssh-key modules (kept apart so they import no parser).

export type SshKeyAlgorithm = 'ssh-rsa' | 'ecdsa-sha2-nistp256' | 'ecdsa-sha2-nistp384' | 'ecdsa-sha2-nistp521' | 'ssh-ed25519';

export interface ParsedKey {
  algorithm: SshKeyAlgorithm;
  /** RSA: modulus bit length; ECDSA: curve size (256, 384, 521); Ed25519: 256. */
  bits: number;
  /** The SSH wire-format public key (what `ssh-keygen -l` hashes). */
  publicBlob: Buffer;
  /** AWS's format: `SHA256:<base64 with = padding>`. */
  fingerprint: string;
}

export type InvalidKeyReason = 'unparsable' | 'encrypted' | 'unsupported-algorithm' | 'too-small' | 'public-key';

/**
 * A key that cannot be used as a host key. Messages are fixed texts chosen by the parser:
 * nothing read from the key text is ever put in them, and no `cause` is attached (an
 * underlying library error could quote its input).
 */
export class InvalidKeyError extends Error {
  override name = 'InvalidKeyError';
  readonly reason: InvalidKeyReason;

  constructor(reason: InvalidKeyReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

export interface CurveInfo {
  algorithm: SshKeyAlgorithm;
  /** SSH curve identifier inside ECDSA blobs. */
  sshName: 'nistp256' | 'nistp384' | 'nistp521';
  jwkCurve: 'P-256' | 'P-384' | 'P-521';
  /** OpenSSL's name (Node's `namedCurve`, `createECDH`). */
  opensslName: 'prime256v1' | 'secp384r1' | 'secp521r1';
  bits: 256 | 384 | 521;
  /** Bytes in one coordinate / in the private scalar. */
  size: number;
}

export const CURVES: readonly CurveInfo[] = [
  { algorithm: 'ecdsa-sha2-nistp256', sshName: 'nistp256', jwkCurve: 'P-256', opensslName: 'prime256v1', bits: 256, size: 32 },
  { algorithm: 'ecdsa-sha2-nistp384', sshName: 'nistp384', jwkCurve: 'P-384', opensslName: 'secp384r1', bits: 384, size: 48 },
  { algorithm: 'ecdsa-sha2-nistp521', sshName: 'nistp521', jwkCurve: 'P-521', opensslName: 'secp521r1', bits: 521, size: 66 },
];

export const SUPPORTED_ALGORITHMS: readonly SshKeyAlgorithm[] = ['ssh-rsa', ...CURVES.map((c) => c.algorithm), 'ssh-ed25519'];

export const SUPPORTED_TEXT =
  'AWS Transfer Family accepts RSA (2048 bits or more), ECDSA (nistp256, nistp384, nistp521) and Ed25519 host keys';
