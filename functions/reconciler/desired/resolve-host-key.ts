// The document's HostKey reference → the private key, read with one GetParameter (decrypted).
// The key must live in a SecureString (or Secrets Manager, through its Parameter Store
// reference): a String parameter would leave it readable in plain text. No issue or message
// ever quotes the parameter's value. Without decryption (plan's default) the fingerprint push
// recorded on the parameter stands in for the key (recorded-fingerprint.ts).
import { GetParameterCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { InvalidKeyError, checkHostKeyPolicy, parsePrivateKey } from '../../shared/ssh-key.ts';
import { validateShape } from '../../shared/model-validate.ts';
import { HostKeyFingerprintUnknownError, InvalidDesiredStateError } from '../errors.ts';
import type { HostKeyReference, HostKeySecret, Issue } from '../types.ts';
import { missingKeyMessage, notSecureStringMessage } from './host-key-problems.ts';
import { hostKeySecret } from './host-key-secret.ts';
import { readRecordedHostKey } from './recorded-fingerprint.ts';
import type { RecordedHostKeyResult } from './recorded-fingerprint.ts';
import { transferModel } from './keys.ts';
import { isSecretsManagerReference } from './rules/value-formats.ts';
import { showName } from './user-text.ts';

export interface ResolvedHostKey {
  parameter: string;
  secret: HostKeySecret;
  /** The parameter version the key was read from (push records the fingerprint for it). */
  version?: number;
}

export type HostKeyResult = { ok: true; hostKey: ResolvedHostKey } | { ok: false; issues: Issue[] };

const PATH = '$.HostKey.SecureStringParameter';

/** Reads and checks the key; problems come back as issues at `path` ($.HostKey.SecureStringParameter by default). */
export async function readHostKey(ssm: SSMClient, parameterName: string, path: string = PATH): Promise<HostKeyResult> {
  const problem = (message: string): HostKeyResult => ({ ok: false, issues: [{ path, message }] });
  const name = showName(parameterName);
  let value: string;
  let type: string | undefined;
  let version: number | undefined;
  try {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: parameterName, WithDecryption: true }));
    value = Parameter?.Value ?? '';
    type = Parameter?.Type;
    version = Parameter?.Version;
  } catch (err) {
    if (!(err instanceof ParameterNotFound)) throw err;
    return problem(missingKeyMessage(parameterName));
  }
  if (type !== 'SecureString' && !isSecretsManagerReference(parameterName)) return problem(notSecureStringMessage(parameterName, type));
  // The model's HostKey length (UpdateServer would refuse a longer key).
  const tooLong = validateShape(transferModel, 'HostKey', value).find((v) => v.kind === 'length');
  if (tooLong !== undefined && tooLong.kind === 'length') {
    return problem(
      `the key in ${name} is ${tooLong.actual} characters long; UpdateServer takes at most ${tooLong.max}. Use a smaller key (ECDSA or Ed25519, or RSA up to 4096 bits).`,
    );
  }
  try {
    const reason = checkHostKeyPolicy(parsePrivateKey(value));
    if (reason !== undefined) return problem(`the key in ${name} cannot be used: ${reason}`);
    return { ok: true, hostKey: { parameter: parameterName, secret: hostKeySecret(value), ...(version !== undefined ? { version } : {}) } };
  } catch (err) {
    // InvalidKeyError messages are fixed texts that never quote the key.
    if (err instanceof InvalidKeyError) return problem(`the key in ${name} cannot be used: ${err.message}`);
    return problem(`the key in ${name} cannot be read as a private key.`);
  }
}

export interface ResolveOptions {
  /**
   * false: compare by the fingerprint push recorded on the key's parameter, never decrypting it
   * (plan's default, so the pull-request role needs no kms:Decrypt). Default true: the reconcile
   * path must send the key itself to UpdateServer / ImportHostKey.
   */
  decrypt?: boolean;
}

/** Either way of reading one reference, at `path`. */
function readEither(ssm: SSMClient, parameterName: string, path: string, options: ResolveOptions): Promise<RecordedHostKeyResult> {
  return options.decrypt === false ? readRecordedHostKey(ssm, parameterName, path) : readHostKey(ssm, parameterName, path);
}

/**
 * Problems first (an invalid document is invalid however it is read), then keys whose
 * fingerprint is unknown without decrypting: HostKeyFingerprintUnknownError naming each.
 */
function throwProblems(source: string, issues: Issue[], unrecorded: { parameter: string; why: string }[]): void {
  if (issues.length > 0) throw new InvalidDesiredStateError(source, issues);
  if (unrecorded.length > 0) throw new HostKeyFingerprintUnknownError(source, unrecorded);
}

/**
 * Like readHostKey, but an unusable key throws InvalidDesiredStateError (source: the document's
 * name), and without decryption an unrecorded fingerprint HostKeyFingerprintUnknownError.
 */
export async function resolveHostKey(
  ssm: SSMClient,
  parameterName: string,
  source: string = parameterName,
  options: ResolveOptions = {},
): Promise<ResolvedHostKey> {
  const result = await readEither(ssm, parameterName, PATH, options);
  if (result.ok === true) return result.hostKey;
  if (result.ok === false) throw new InvalidDesiredStateError(source, result.issues);
  throw new HostKeyFingerprintUnknownError(source, [result]);
}

export interface ResolvedHostKeyEntry extends ResolvedHostKey {
  description?: string;
}

/**
 * Every HostKeys entry, read and checked like HostKey, in the document's order. Problems (of any
 * entry, and two entries holding the same key) throw one InvalidDesiredStateError with them all.
 */
export async function resolveHostKeys(
  ssm: SSMClient,
  entries: readonly HostKeyReference[],
  source: string,
  options: ResolveOptions = {},
): Promise<ResolvedHostKeyEntry[]> {
  const results = await Promise.all(
    entries.map((entry, i) => readEither(ssm, entry.SecureStringParameter, `$.HostKeys[${i}].SecureStringParameter`, options)),
  );
  const issues: Issue[] = [];
  const unrecorded: { parameter: string; why: string }[] = [];
  const keys: ResolvedHostKeyEntry[] = [];
  const firstByFingerprint = new Map<string, number>();
  results.forEach((result, i) => {
    if (result.ok === false) {
      issues.push(...result.issues);
      return;
    }
    if (result.ok === 'unrecorded') {
      unrecorded.push(result);
      return;
    }
    const description = entries[i]?.Description;
    keys.push({ ...result.hostKey, ...(description !== undefined ? { description } : {}) });
    // A fingerprint is public (it is what clients pin), so it may be quoted.
    const fingerprint = result.hostKey.secret.fingerprint;
    const first = firstByFingerprint.get(fingerprint);
    if (first === undefined) firstByFingerprint.set(fingerprint, i);
    else
      issues.push({
        path: `$.HostKeys[${i}].SecureStringParameter`,
        message: `holds the same key as $.HostKeys[${first}] (${fingerprint}); a server holds a key once, so list it once.`,
      });
  });
  throwProblems(source, issues, unrecorded);
  return keys;
}
