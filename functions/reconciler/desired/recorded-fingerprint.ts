// A host key's fingerprint, recorded where a read-only role can read it: tags on the key's own
// SecureString parameter, written by `push` (which decrypts the key once) and read by `plan`
// without --decrypt, so the pull-request role needs no kms:Decrypt. The version tag ties the
// fingerprint to the parameter version it was computed from: a key stored again (a new version)
// has no recorded fingerprint until the next push, and plan says so instead of guessing.
// Tags live beside the value, not in a second parameter, so they cannot outlive the key (a
// deleted parameter takes its tags along) and need no second name to keep in step.
import { GetParameterCommand, ListTagsForResourceCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import type { SSMClient, Tag } from '@aws-sdk/client-ssm';
import { canonicalFingerprint } from '../../shared/fingerprint.ts';
import { SUPPORTED_ALGORITHMS } from '../../shared/ssh-key-types.ts';
import type { HostKeySecret, Issue } from '../types.ts';
import { missingKeyMessage, notSecureStringMessage } from './host-key-problems.ts';
import { fingerprintOnlySecret } from './host-key-secret.ts';
import type { ResolvedHostKey } from './resolve-host-key.ts';
import { isSecretsManagerReference } from './rules/value-formats.ts';
import { showName } from './user-text.ts';

export const FINGERPRINT_TAG = 'transfer-reconciler:fingerprint';
export const FINGERPRINT_VERSION_TAG = 'transfer-reconciler:fingerprint-of-version';
export const KEY_TYPE_TAG = 'transfer-reconciler:key-type';

export type KeyState =
  | { status: 'not-found' }
  | {
      status: 'found';
      type: string | undefined;
      version: number | undefined;
      /** The recorded fingerprint, only when it was computed from `version` and is well formed. */
      recorded?: { fingerprint: string; algorithm: string };
    };

/** GetParameter without decryption (type and version; no kms:Decrypt) + ListTagsForResource. */
export async function readKeyState(ssm: SSMClient, parameterName: string): Promise<KeyState> {
  let type: string | undefined;
  let version: number | undefined;
  try {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: parameterName, WithDecryption: false }));
    type = Parameter?.Type;
    version = Parameter?.Version;
  } catch (err) {
    if (err instanceof ParameterNotFound) return { status: 'not-found' };
    throw err;
  }
  if (type !== 'SecureString') return { status: 'found', type, version };
  const { TagList } = await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: parameterName }));
  const recorded = recordedFor(TagList ?? [], version);
  return { status: 'found', type, version, ...(recorded ? { recorded } : {}) };
}

function recordedFor(tags: Tag[], version: number | undefined): { fingerprint: string; algorithm: string } | undefined {
  const tag = (key: string): string | undefined => tags.find((t) => t.Key === key)?.Value;
  if (version === undefined || tag(FINGERPRINT_VERSION_TAG) !== String(version)) return undefined;
  // Anyone who may tag the parameter may write anything there: only a well-formed fingerprint
  // and a known algorithm are taken, and a tag's text is never echoed.
  const fingerprint = canonicalFingerprint(tag(FINGERPRINT_TAG) ?? '');
  const algorithm = SUPPORTED_ALGORITHMS.find((a) => a === tag(KEY_TYPE_TAG));
  return fingerprint !== undefined && algorithm !== undefined ? { fingerprint, algorithm } : undefined;
}

/** The tags push writes for a key read (decrypted) from `version`. */
export function fingerprintTags(secret: HostKeySecret, version: number): Tag[] {
  return [
    { Key: FINGERPRINT_TAG, Value: secret.fingerprint },
    { Key: FINGERPRINT_VERSION_TAG, Value: String(version) },
    { Key: KEY_TYPE_TAG, Value: secret.algorithm },
  ];
}

export type RecordedHostKeyResult =
  | { ok: true; hostKey: ResolvedHostKey }
  | { ok: false; issues: Issue[] }
  /** The reference is fine, but its fingerprint is not known without decrypting the key. */
  | { ok: 'unrecorded'; parameter: string; why: string };

/**
 * readHostKey's counterpart for plan without --decrypt: the same problems (missing, not a
 * SecureString) at the same path; a key whose fingerprint is not recorded for its current
 * version is `unrecorded`. The key's size and algorithm were checked by the push that recorded it.
 */
export async function readRecordedHostKey(ssm: SSMClient, parameterName: string, path: string): Promise<RecordedHostKeyResult> {
  const name = showName(parameterName);
  if (isSecretsManagerReference(parameterName))
    return {
      ok: 'unrecorded',
      parameter: parameterName,
      why: `${name} is a Secrets Manager reference, which carries no recorded fingerprint`,
    };
  const state = await readKeyState(ssm, parameterName);
  if (state.status === 'not-found') return { ok: false, issues: [{ path, message: missingKeyMessage(parameterName) }] };
  if (state.type !== 'SecureString') return { ok: false, issues: [{ path, message: notSecureStringMessage(parameterName, state.type) }] };
  if (state.recorded === undefined)
    return {
      ok: 'unrecorded',
      parameter: parameterName,
      why: `the fingerprint of ${name} version ${state.version ?? '?'} is not recorded`,
    };
  const secret = fingerprintOnlySecret(state.recorded.fingerprint, state.recorded.algorithm);
  return { ok: true, hostKey: { parameter: parameterName, secret, ...(state.version !== undefined ? { version: state.version } : {}) } };
}
