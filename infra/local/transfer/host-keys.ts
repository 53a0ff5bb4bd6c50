// Host keys: a key given in the request must be one AWS accepts; a server created without one
// gets its own generated key. Only the fingerprint is ever answered, and no error message
// carries key text.
import { InvalidKeyError, checkHostKeyPolicy, generateHostKey, parsePrivateKey } from '../../../functions/shared/ssh-key.ts';
import type { ParsedKey } from '../../../functions/shared/ssh-key.ts';
import { AwsError } from '../aws-error.ts';

export interface HostKeyRecord {
  hostKey: string;
  HostKeyFingerprint: string;
  /** The key's SSH algorithm name, as ListHostKeys answers it in Type. */
  Type: string;
}

const ACCEPTED = 'HostKey must be an RSA (2048 bits or more), ECDSA (256, 384 or 521 bits) or ED25519 private key without a passphrase';

function invalid(detail: string): AwsError {
  return new AwsError('InvalidRequestException', `${ACCEPTED}: ${detail}`, { status: 400 });
}

function parse(text: string): ParsedKey {
  try {
    return parsePrivateKey(text);
  } catch (error) {
    // The parser's messages are fixed texts that never quote the key; anything else is replaced.
    throw invalid(error instanceof InvalidKeyError ? error.message : 'the key could not be read.');
  }
}

export function acceptHostKey(text: string): HostKeyRecord {
  const key = parse(text);
  const policyProblem = checkHostKeyPolicy(key);
  if (policyProblem !== undefined) throw invalid(policyProblem);
  return { hostKey: text, HostKeyFingerprint: key.fingerprint, Type: key.algorithm };
}

/** AWS generates a host key for a server created without one; Ed25519 keeps generation instant. */
export function generatedHostKey(): HostKeyRecord {
  const text = generateHostKey('ed25519');
  const key = parsePrivateKey(text);
  return { hostKey: text, HostKeyFingerprint: key.fingerprint, Type: key.algorithm };
}
