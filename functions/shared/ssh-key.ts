// Host keys for AWS Transfer Family: read a private key (PEM or OpenSSH), give its algorithm,
// size and fingerprint, check it against what AWS accepts, and generate new ones. Used by the
// reconciler (desired host key vs. DescribeServer's HostKeyFingerprint) and by the emulator.
// Nothing here logs, and no error message quotes the key text.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { ecdsaBlob, ed25519Blob, parsedKey, rsaBlob, unsupportedAlgorithm } from './ssh-key-blob.ts';
import { encodeOpenSshPrivateKey, parseOpenSshPrivateKey } from './ssh-key-openssh.ts';
import { CURVES, InvalidKeyError, SUPPORTED_ALGORITHMS, SUPPORTED_TEXT } from './ssh-key-types.ts';
import type { ParsedKey } from './ssh-key-types.ts';
import { bitLength } from './ssh-key-wire.ts';

export { InvalidKeyError } from './ssh-key-types.ts';
export type { InvalidKeyReason, ParsedKey, SshKeyAlgorithm } from './ssh-key-types.ts';

const PUBLIC_KEY_MESSAGE =
  'This is a public key. The host key must be the private key (PEM or OpenSSH format, without a passphrase); AWS derives the public key from it.';
const NOT_A_KEY_MESSAGE =
  'The host key is not a readable private key. Expected one PEM block (BEGIN RSA/EC PRIVATE KEY, BEGIN PRIVATE KEY) or an OpenSSH private key (BEGIN OPENSSH PRIVATE KEY), and nothing else.';
const ENCRYPTED_MESSAGE =
  'The private key is protected by a passphrase. AWS Transfer Family needs a host key without a passphrase: remove it with `ssh-keygen -p -N "" -f <file>` and store the key as a SecureString.';

/** Reads one unencrypted private key; throws InvalidKeyError (never with key text in it). */
export function parsePrivateKey(text: string): ParsedKey {
  if (typeof text !== 'string') throw new InvalidKeyError('unparsable', NOT_A_KEY_MESSAGE);
  const normalised = text.replace(/\r\n?/g, '\n').trim();
  if (normalised === '') throw new InvalidKeyError('unparsable', 'The host key is empty.');
  if (/^-----BEGIN [A-Z0-9 ]+-----\\n/.test(normalised)) {
    throw new InvalidKeyError(
      'unparsable',
      'The host key holds the two characters "\\n" where line breaks belong (it was probably pasted from JSON). Store the key file\'s text with real line breaks.',
    );
  }
  if (/^PuTTY-User-Key-File-\d+:/.test(normalised)) {
    throw new InvalidKeyError('unparsable', 'This is a PuTTY (.ppk) key. Convert it first: `puttygen key.ppk -O private-openssh -o key`.');
  }
  if (
    /^(?:ssh|ecdsa-sha2|sk)-[A-Za-z0-9@.-]+\s+AAAA[A-Za-z0-9+/]*=*(?:\s|$)/.test(normalised) ||
    normalised.startsWith('---- BEGIN SSH2 PUBLIC KEY ----')
  ) {
    throw new InvalidKeyError('public-key', PUBLIC_KEY_MESSAGE);
  }

  const block = /^-----BEGIN ([A-Z0-9 ]+)-----\n[\s\S]*\n-----END \1-----$/.exec(normalised);
  if (block === null || normalised.indexOf('-----BEGIN ', 1) !== -1) {
    if (/-----BEGIN (?:RSA |EC |SSH2 )?PUBLIC KEY-----/.test(normalised) && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(normalised)) {
      throw new InvalidKeyError('public-key', PUBLIC_KEY_MESSAGE);
    }
    throw new InvalidKeyError('unparsable', NOT_A_KEY_MESSAGE);
  }
  const label = block[1];
  switch (label) {
    case 'OPENSSH PRIVATE KEY':
      return parseOpenSshPrivateKey(normalised);
    case 'PUBLIC KEY':
    case 'RSA PUBLIC KEY':
    case 'EC PUBLIC KEY':
      throw new InvalidKeyError('public-key', PUBLIC_KEY_MESSAGE);
    case 'ENCRYPTED PRIVATE KEY':
      throw new InvalidKeyError('encrypted', ENCRYPTED_MESSAGE);
    case 'DSA PRIVATE KEY':
      throw unsupportedAlgorithm('DSA');
    case 'RSA PRIVATE KEY':
    case 'EC PRIVATE KEY':
    case 'PRIVATE KEY':
      if (/^Proc-Type:\s*4,ENCRYPTED/m.test(normalised)) throw new InvalidKeyError('encrypted', ENCRYPTED_MESSAGE);
      return fromKeyObject(readPem(normalised));
    default:
      throw new InvalidKeyError('unparsable', NOT_A_KEY_MESSAGE);
  }
}

function readPem(pem: string): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    // The library's error is dropped on purpose (see InvalidKeyError).
    if ((err as { code?: unknown }).code === 'ERR_MISSING_PASSPHRASE') throw new InvalidKeyError('encrypted', ENCRYPTED_MESSAGE);
    throw new InvalidKeyError('unparsable', 'The PEM private key is damaged or truncated, or its BEGIN line does not match its content.');
  }
}

const NODE_TYPE_LABELS: Record<string, string> = {
  dsa: 'DSA',
  'rsa-pss': 'RSA-PSS',
  ed448: 'Ed448',
  x25519: 'X25519',
  x448: 'X448',
  dh: 'Diffie-Hellman',
};

function fromKeyObject(key: KeyObject): ParsedKey {
  const type = key.asymmetricKeyType ?? '';
  if (type === 'rsa') {
    const jwk = key.export({ format: 'jwk' });
    const n = Buffer.from(jwk.n ?? '', 'base64url');
    return parsedKey('ssh-rsa', bitLength(n), rsaBlob(Buffer.from(jwk.e ?? '', 'base64url'), n));
  }
  if (type === 'ec') {
    const curve = CURVES.find((c) => c.opensslName === key.asymmetricKeyDetails?.namedCurve);
    if (curve === undefined) throw unsupportedAlgorithm('ECDSA (on a curve other than nistp256, nistp384 or nistp521)');
    const jwk = key.export({ format: 'jwk' });
    const q = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
    return parsedKey(curve.algorithm, curve.bits, ecdsaBlob(curve, q));
  }
  if (type === 'ed25519') {
    const jwk = key.export({ format: 'jwk' });
    return parsedKey('ssh-ed25519', 256, ed25519Blob(Buffer.from(jwk.x ?? '', 'base64url')));
  }
  throw unsupportedAlgorithm(NODE_TYPE_LABELS[type]);
}

/** Smallest RSA host key AWS accepts. */
export const MIN_RSA_BITS = 2048;
/** Largest RSA size AWS lists (2048, 3072, 4096); a bigger key would not fit HostKey's 4096 characters anyway. */
export const MAX_RSA_BITS = 4096;

/** undefined when AWS accepts the key as a host key; otherwise a reason for the user. */
export function checkHostKeyPolicy(key: ParsedKey): string | undefined {
  if (!SUPPORTED_ALGORITHMS.includes(key.algorithm)) return `${SUPPORTED_TEXT}; this key is of another type.`;
  if (key.algorithm === 'ssh-rsa') {
    if (key.bits < MIN_RSA_BITS) {
      return `The RSA host key has ${key.bits} bits; AWS Transfer Family needs at least ${MIN_RSA_BITS} (3072 or 4096 recommended). Generate a new one, e.g. \`ssh-keygen -t rsa -b 4096 -m PEM -N "" -f host_key\`.`;
    }
    if (key.bits > MAX_RSA_BITS)
      return `The RSA host key has ${key.bits} bits; AWS Transfer Family takes RSA host keys of ${MIN_RSA_BITS} to ${MAX_RSA_BITS} bits.`;
    return undefined;
  }
  const curve = CURVES.find((c) => c.algorithm === key.algorithm);
  if (curve !== undefined && key.bits !== curve.bits)
    return `ECDSA host keys must use curve nistp256, nistp384 or nistp521. ${SUPPORTED_TEXT}.`;
  if (key.algorithm === 'ssh-ed25519' && key.bits !== 256) return `Ed25519 keys have 256 bits. ${SUPPORTED_TEXT}.`;
  return undefined;
}

/** Like checkHostKeyPolicy, but throws InvalidKeyError ('too-small' or 'unsupported-algorithm'). */
export function assertHostKeyPolicy(key: ParsedKey): void {
  const reason = checkHostKeyPolicy(key);
  if (reason === undefined) return;
  throw new InvalidKeyError(key.algorithm === 'ssh-rsa' && key.bits < MIN_RSA_BITS ? 'too-small' : 'unsupported-algorithm', reason);
}

export interface GenerateHostKeyOptions {
  /** RSA: modulus length (default 2048). ECDSA: 256, 384 or 521 (default 256). Ed25519: 256 only. */
  bits?: number;
  /** 'pem' (default): PKCS#1 for RSA, SEC1 for ECDSA, PKCS#8 for Ed25519. 'openssh': openssh-key-v1, unencrypted. */
  format?: 'pem' | 'openssh';
}

/** A new private key's text, unencrypted. Ed25519 by default (fast to generate). */
export function generateHostKey(kind: 'rsa' | 'ecdsa' | 'ed25519' = 'ed25519', options: GenerateHostKeyOptions = {}): string {
  const format = options.format ?? 'pem';
  let privateKey: KeyObject;
  let pemType: 'pkcs1' | 'sec1' | 'pkcs8';
  if (kind === 'rsa') {
    privateKey = generateKeyPairSync('rsa', { modulusLength: options.bits ?? 2048 }).privateKey;
    pemType = 'pkcs1';
  } else if (kind === 'ecdsa') {
    const curve = CURVES.find((c) => c.bits === (options.bits ?? 256));
    if (curve === undefined) throw new RangeError('ECDSA host keys are 256, 384 or 521 bits');
    privateKey = generateKeyPairSync('ec', { namedCurve: curve.opensslName }).privateKey;
    pemType = 'sec1';
  } else if (kind === 'ed25519') {
    if (options.bits !== undefined && options.bits !== 256) throw new RangeError('Ed25519 keys are 256 bits');
    privateKey = generateKeyPairSync('ed25519').privateKey;
    pemType = 'pkcs8';
  } else {
    throw new RangeError('kind must be rsa, ecdsa or ed25519');
  }
  if (format === 'openssh') return encodeOpenSshPrivateKey(privateKey);
  if (format !== 'pem') throw new RangeError("format must be 'pem' or 'openssh'");
  return privateKey.export({ type: pemType, format: 'pem' }).toString();
}
