// The SSH public-key blob (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4) and its fingerprint:
// SHA-256 of the blob, which is what `ssh-keygen -l -E sha256` prints and what AWS returns.
import { createHash } from 'node:crypto';
import { awsFingerprintFromDigest } from './fingerprint.ts';
import { WireError, WireReader, bitLength, wireMpint, wireString } from './ssh-key-wire.ts';
import { CURVES, InvalidKeyError, SUPPORTED_TEXT } from './ssh-key-types.ts';
import type { CurveInfo, ParsedKey, SshKeyAlgorithm } from './ssh-key-types.ts';

export function rsaBlob(e: Buffer, n: Buffer): Buffer {
  return Buffer.concat([wireString('ssh-rsa'), wireMpint(e), wireMpint(n)]);
}

export function ecdsaBlob(curve: CurveInfo, q: Buffer): Buffer {
  return Buffer.concat([wireString(curve.algorithm), wireString(curve.sshName), wireString(q)]);
}

export function ed25519Blob(publicKey: Buffer): Buffer {
  return Buffer.concat([wireString('ssh-ed25519'), wireString(publicKey)]);
}

export function parsedKey(algorithm: SshKeyAlgorithm, bits: number, publicBlob: Buffer): ParsedKey {
  const digest = createHash('sha256').update(publicBlob).digest();
  return { algorithm, bits, publicBlob, fingerprint: awsFingerprintFromDigest(digest) };
}

/** Key types OpenSSH knows that AWS does not take; named so the error can say which one it was. */
const KNOWN_UNSUPPORTED: Record<string, string> = {
  'ssh-dss': 'DSA',
  'ssh-ed448': 'Ed448',
  'sk-ssh-ed25519@openssh.com': 'a security-key (FIDO) Ed25519',
  'sk-ecdsa-sha2-nistp256@openssh.com': 'a security-key (FIDO) ECDSA',
};

export function unsupportedAlgorithm(label: string | undefined): InvalidKeyError {
  const what = label === undefined ? 'This key type' : `${label} keys`;
  return new InvalidKeyError('unsupported-algorithm', `${what} cannot be used as a host key. ${SUPPORTED_TEXT}.`);
}

/** Reads an SSH public blob (as found in the openssh-key-v1 header) and checks its shape. */
export function parsePublicBlob(blob: Buffer): ParsedKey {
  try {
    const reader = new WireReader(blob);
    const type = reader.text();
    if (type === 'ssh-rsa') {
      const e = reader.mpint();
      const n = reader.mpint();
      if (reader.remaining !== 0 || e.length === 0 || n.length === 0) throw new WireError('bad rsa blob');
      return parsedKey('ssh-rsa', bitLength(n), blob);
    }
    if (type === 'ssh-ed25519') {
      const publicKey = reader.string();
      if (reader.remaining !== 0 || publicKey.length !== 32) throw new WireError('bad ed25519 blob');
      return parsedKey('ssh-ed25519', 256, blob);
    }
    const curve = CURVES.find((c) => c.algorithm === type);
    if (curve !== undefined) {
      const curveName = reader.text();
      const q = reader.string();
      if (reader.remaining !== 0 || curveName !== curve.sshName || q.length !== 1 + 2 * curve.size || q[0] !== 4) {
        throw new WireError('bad ecdsa blob');
      }
      return parsedKey(curve.algorithm, curve.bits, blob);
    }
    const stripped = type.replace(/-cert-v01@openssh\.com$/, '');
    throw unsupportedAlgorithm(KNOWN_UNSUPPORTED[stripped]);
  } catch (err) {
    if (err instanceof InvalidKeyError) throw err;
    throw new InvalidKeyError('unparsable', 'The OpenSSH private key is damaged: its public key part cannot be read.');
  }
}
