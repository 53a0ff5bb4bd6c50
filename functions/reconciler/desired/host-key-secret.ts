// The desired host key, held so that it cannot leak by accident: the key text lives in a
// private field, and every way of turning the object into text (String(), templates,
// JSON.stringify, util.inspect / console.log) gives `[host key SHA256:…]` instead.
// structuredClone copies own enumerable fields only and drops the prototype, so a clone is a
// plain `{ fingerprint, algorithm, bits }` with no key and no reveal(): the key never crosses
// a clone (or a worker postMessage) boundary.
import { normaliseFingerprint } from '../../shared/fingerprint.ts';
import { parsePrivateKey } from '../../shared/ssh-key.ts';
import type { SshKeyAlgorithm } from '../../shared/ssh-key.ts';
import { HostKeyNotDecryptedError } from '../errors.ts';
import type { HostKeySecret } from '../types.ts';

/** HostKeySecret with the parsed facts the validator needs (AWS's size and algorithm rules). */
export interface ParsedHostKey extends HostKeySecret {
  readonly algorithm: SshKeyAlgorithm;
  readonly bits: number;
}

class ParsedHostKeySecret implements ParsedHostKey {
  readonly #text: string;
  /** ssh-keygen's form, `SHA256:<base64 without padding>`. */
  readonly fingerprint: string;
  readonly algorithm: SshKeyAlgorithm;
  readonly bits: number;

  constructor(text: string, fingerprint: string, algorithm: SshKeyAlgorithm, bits: number) {
    this.#text = text;
    this.fingerprint = fingerprint;
    this.algorithm = algorithm;
    this.bits = bits;
  }

  /** The key text to send to UpdateServer: LF line endings, no surrounding whitespace, one final newline. */
  reveal(): string {
    return this.#text;
  }

  toString(): string {
    return `[host key ${this.fingerprint}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** Parses the key (throws InvalidKeyError, which never quotes it) and wraps it. AWS's policy is checked separately (checkHostKeyPolicy). */
export function hostKeySecret(privateKeyText: string): ParsedHostKey {
  const parsed = parsePrivateKey(privateKeyText);
  // parsePrivateKey tolerates CRLF and stray whitespace; AWS gets the canonical text.
  const text = `${privateKeyText.replace(/\r\n?/g, '\n').trim()}\n`;
  return new ParsedHostKeySecret(text, normaliseFingerprint(parsed.fingerprint), parsed.algorithm, parsed.bits);
}

/**
 * A key known only by the fingerprint `push` recorded (plan without --decrypt): enough to
 * compare with what the server holds, and nothing to write. reveal() throws: plan runs in detect
 * mode, so no step that sends a key is ever carried out with one of these.
 */
class FingerprintOnlySecret implements HostKeySecret {
  readonly fingerprint: string;
  readonly algorithm: string;

  constructor(fingerprint: string, algorithm: string) {
    this.fingerprint = fingerprint;
    this.algorithm = algorithm;
  }

  reveal(): string {
    throw new HostKeyNotDecryptedError(this.fingerprint);
  }

  toString(): string {
    return `[host key ${this.fingerprint}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

export function fingerprintOnlySecret(fingerprint: string, algorithm: string): HostKeySecret {
  return new FingerprintOnlySecret(fingerprint, algorithm);
}
