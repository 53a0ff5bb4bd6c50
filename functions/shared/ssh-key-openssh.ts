// The openssh-key-v1 container (OpenSSH's PROTOCOL.key), which Node's crypto cannot read:
//   "openssh-key-v1\0" string ciphername, string kdfname, string kdfoptions, uint32 N,
//   N × string publickey, string private-section
// private-section: uint32 check, uint32 check, then per key: string type, key-specific fields,
// string comment; then padding 1, 2, 3, … up to the cipher block size (8 for "none").
import { createECDH, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { ecdsaBlob, ed25519Blob, parsePublicBlob, rsaBlob } from './ssh-key-blob.ts';
import { CURVES, InvalidKeyError } from './ssh-key-types.ts';
import type { ParsedKey } from './ssh-key-types.ts';
import { WireError, WireReader, bufferToBigInt, wireMpint, wireString, wireUint32 } from './ssh-key-wire.ts';

const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';

function damaged(): InvalidKeyError {
  return new InvalidKeyError(
    'unparsable',
    'The OpenSSH private key is damaged or truncated; export it again (ssh-keygen writes this format).',
  );
}

/** `block` is one BEGIN/END OPENSSH PRIVATE KEY block with LF line endings. */
export function parseOpenSshPrivateKey(block: string): ParsedKey {
  const body = block.slice(BEGIN.length, block.length - END.length);
  if (!/^[A-Za-z0-9+/=\s]*$/.test(body)) throw damaged();
  const data = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (data.length < MAGIC.length || !data.subarray(0, MAGIC.length).equals(MAGIC)) throw damaged();

  let publicBlob: Buffer;
  let privateSection: Buffer;
  try {
    const reader = new WireReader(data.subarray(MAGIC.length));
    const cipher = reader.text();
    const kdf = reader.text();
    reader.string();
    if (cipher !== 'none' || kdf !== 'none') {
      throw new InvalidKeyError(
        'encrypted',
        'The private key is protected by a passphrase. AWS Transfer Family needs a host key without a passphrase: remove it with `ssh-keygen -p -N "" -f <file>` and store the key as a SecureString.',
      );
    }
    if (reader.uint32() !== 1) {
      throw new InvalidKeyError(
        'unparsable',
        'The OpenSSH key file holds more than one key (or none); a host key file must hold exactly one.',
      );
    }
    publicBlob = reader.string();
    privateSection = reader.string();
    if (reader.remaining !== 0) throw damaged();
  } catch (err) {
    if (err instanceof InvalidKeyError) throw err;
    throw damaged();
  }

  const parsed = parsePublicBlob(publicBlob);
  try {
    checkPrivateSection(privateSection, publicBlob);
  } catch (err) {
    if (err instanceof InvalidKeyError) throw err;
    throw damaged();
  }
  return parsed;
}

/**
 * The private part must repeat the header's public key and hold a private key that matches it:
 * otherwise the fingerprint computed from the header would not be the server's real one.
 */
function checkPrivateSection(section: Buffer, publicBlob: Buffer): void {
  if (section.length % 8 !== 0) throw new WireError('private section not block-aligned');
  const reader = new WireReader(section);
  if (reader.uint32() !== reader.uint32()) throw new WireError('check integers differ');
  const type = reader.text();
  if (type === 'ssh-rsa') {
    const n = reader.mpint();
    const e = reader.mpint();
    reader.mpint(); // d
    reader.mpint(); // iqmp
    const p = bufferToBigInt(reader.mpint());
    const q = bufferToBigInt(reader.mpint());
    if (!rsaBlob(e, n).equals(publicBlob) || p * q !== bufferToBigInt(n)) throw new WireError('rsa mismatch');
  } else if (type === 'ssh-ed25519') {
    const publicKey = reader.string();
    const secret = reader.string();
    if (secret.length !== 64 || !ed25519Blob(publicKey).equals(publicBlob)) throw new WireError('ed25519 mismatch');
    const seed = secret.subarray(0, 32);
    if (!secret.subarray(32).equals(publicKey) || !ed25519PublicFromSeed(seed).equals(publicKey)) throw new WireError('ed25519 mismatch');
  } else {
    const curve = CURVES.find((c) => c.algorithm === type);
    if (curve === undefined || reader.text() !== curve.sshName) throw new WireError('unknown private key type');
    const q = reader.string();
    const d = reader.mpint();
    if (!ecdsaBlob(curve, q).equals(publicBlob)) throw new WireError('ecdsa mismatch');
    const ecdh = createECDH(curve.opensslName);
    ecdh.setPrivateKey(Buffer.concat([Buffer.alloc(Math.max(0, curve.size - d.length)), d]));
    if (!ecdh.getPublicKey().equals(q)) throw new WireError('ecdsa mismatch');
  }
  reader.string(); // comment
  const padding = reader.rest();
  if (padding.length >= 8 || padding.some((byte, i) => byte !== i + 1)) throw new WireError('bad padding');
}

function ed25519PublicFromSeed(seed: Buffer): Buffer {
  // Node derives the public key from `d` and ignores the `x` it is given.
  const key = createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', d: seed.toString('base64url'), x: seed.toString('base64url') },
    format: 'jwk',
  });
  const x = createPublicKey(key).export({ format: 'jwk' }).x;
  return Buffer.from(x ?? '', 'base64url');
}

function jwkBytes(value: string | undefined): Buffer {
  if (value === undefined) throw new Error('JWK member missing');
  return Buffer.from(value, 'base64url');
}

/** Encodes a Node private key (RSA, P-256/384/521, Ed25519) as an unencrypted openssh-key-v1 file. */
export function encodeOpenSshPrivateKey(key: KeyObject, comment = ''): string {
  const jwk = key.export({ format: 'jwk' });
  let publicBlob: Buffer;
  let privateFields: Buffer;
  if (jwk.kty === 'RSA') {
    const [n, e] = [jwkBytes(jwk.n), jwkBytes(jwk.e)];
    publicBlob = rsaBlob(e, n);
    privateFields = Buffer.concat([
      wireString('ssh-rsa'),
      ...[n, e, jwkBytes(jwk.d), jwkBytes(jwk.qi), jwkBytes(jwk.p), jwkBytes(jwk.q)].map(wireMpint),
    ]);
  } else if (jwk.kty === 'EC') {
    const curve = CURVES.find((c) => c.jwkCurve === jwk.crv);
    if (curve === undefined) throw new RangeError('only P-256, P-384 and P-521 keys can be written in OpenSSH format');
    const q = Buffer.concat([Buffer.from([4]), jwkBytes(jwk.x), jwkBytes(jwk.y)]);
    publicBlob = ecdsaBlob(curve, q);
    privateFields = Buffer.concat([wireString(curve.algorithm), wireString(curve.sshName), wireString(q), wireMpint(jwkBytes(jwk.d))]);
  } else if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    const publicKey = jwkBytes(jwk.x);
    publicBlob = ed25519Blob(publicKey);
    privateFields = Buffer.concat([
      wireString('ssh-ed25519'),
      wireString(publicKey),
      wireString(Buffer.concat([jwkBytes(jwk.d), publicKey])),
    ]);
  } else {
    throw new RangeError('only RSA, ECDSA and Ed25519 keys can be written in OpenSSH format');
  }

  const check = randomBytes(4);
  const unpadded = Buffer.concat([check, check, privateFields, wireString(comment)]);
  const padLength = (8 - (unpadded.length % 8)) % 8;
  const padding = Buffer.from(Array.from({ length: padLength }, (_, i) => i + 1));
  const file = Buffer.concat([
    MAGIC,
    wireString('none'),
    wireString('none'),
    wireString(''),
    wireUint32(1),
    wireString(publicBlob),
    wireString(Buffer.concat([unpadded, padding])),
  ]);
  // ssh-keygen wraps at 70 columns.
  const lines = file.toString('base64').match(/.{1,70}/g) ?? [];
  return `${BEGIN}\n${lines.join('\n')}\n${END}\n`;
}
