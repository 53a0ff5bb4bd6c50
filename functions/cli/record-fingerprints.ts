// push's second job: record, on each host-key parameter the pushed documents name, the key's
// fingerprint for its current version (tags, desired/recorded-fingerprint.ts), so that `plan`
// can compare host keys with a role that may not decrypt them. Recording needs the key itself,
// so this is the one place push decrypts (kms:Decrypt via SSM on the host-key prefix); a key
// whose fingerprint is already recorded for its current version is not decrypted and not
// written again. Problems become data, as the document writes' do.
import { AddTagsToResourceCommand } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { classifyError } from '../reconciler/error-outcome.ts';
import { missingKeyMessage, notSecureStringMessage } from '../reconciler/desired/host-key-problems.ts';
import { fingerprintTags, readKeyState } from '../reconciler/desired/recorded-fingerprint.ts';
import { readHostKey } from '../reconciler/desired/resolve-host-key.ts';
import { isSecretsManagerReference } from '../reconciler/desired/rules/value-formats.ts';
import { showName } from '../reconciler/desired/user-text.ts';

export interface FingerprintRecord {
  parameter: string;
  /** skipped: the key cannot be recorded (missing, not a SecureString, unusable); the document is pushed anyway. */
  action: 'recorded' | 'unchanged' | 'would-record' | 'skipped' | 'failed';
  version?: number;
  fingerprint?: string;
  message?: string;
}

/** Every host-key parameter the (valid) documents name, once each, sorted. */
export function hostKeyParameters(documents: readonly unknown[]): string[] {
  const names = new Set<string>();
  for (const raw of documents) {
    const d = raw as { HostKey?: { SecureStringParameter?: unknown }; HostKeys?: Array<{ SecureStringParameter?: unknown }> };
    const refs = [d.HostKey, ...(Array.isArray(d.HostKeys) ? d.HostKeys : [])];
    for (const ref of refs) if (typeof ref?.SecureStringParameter === 'string') names.add(ref.SecureStringParameter);
  }
  return [...names].sort();
}

async function recordOne(ssm: SSMClient, parameter: string, dryRun: boolean): Promise<FingerprintRecord> {
  const skipped = (message: string): FingerprintRecord => ({ parameter, action: 'skipped', message });
  if (isSecretsManagerReference(parameter))
    return skipped(`${showName(parameter)} is a Secrets Manager reference: no fingerprint can be recorded on it (plan needs --decrypt)`);
  const state = await readKeyState(ssm, parameter);
  if (state.status === 'not-found') return skipped(missingKeyMessage(parameter));
  if (state.type !== 'SecureString') return skipped(notSecureStringMessage(parameter, state.type));
  const version = state.version;
  if (state.recorded)
    return { parameter, action: 'unchanged', fingerprint: state.recorded.fingerprint, ...(version !== undefined ? { version } : {}) };
  if (dryRun) return { parameter, action: 'would-record', ...(version !== undefined ? { version } : {}) };
  const read = await readHostKey(ssm, parameter);
  if (!read.ok) return skipped(read.issues.map((i) => i.message).join('; '));
  // The version the decrypting read saw: a key stored again in between is recorded as it is now.
  const readVersion = read.hostKey.version ?? version;
  if (readVersion === undefined) return skipped(`SSM gave no version for ${showName(parameter)}`);
  await ssm.send(
    new AddTagsToResourceCommand({
      ResourceType: 'Parameter',
      ResourceId: parameter,
      Tags: fingerprintTags(read.hostKey.secret, readVersion),
    }),
  );
  return { parameter, action: 'recorded', version: readVersion, fingerprint: read.hostKey.secret.fingerprint };
}

export async function recordFingerprints(ssm: SSMClient, parameters: readonly string[], dryRun: boolean): Promise<FingerprintRecord[]> {
  const out: FingerprintRecord[] = [];
  for (const parameter of parameters) {
    try {
      out.push(await recordOne(ssm, parameter, dryRun));
    } catch (err) {
      const c = classifyError(err);
      out.push({ parameter, action: 'failed', message: `${c.code}: ${c.message}` });
    }
  }
  return out;
}

/** The line push prints for a record (stdout), or its warning (stderr); unchanged ones print nothing. */
export function fingerprintLine(r: FingerprintRecord): { stream: 'stdout' | 'stderr'; text: string } | undefined {
  const name = showName(r.parameter);
  const v = r.version !== undefined ? ` v${r.version}` : '';
  if (r.action === 'recorded') return { stream: 'stdout', text: `# fingerprint recorded ${name}${v}  (${r.fingerprint ?? ''})` };
  if (r.action === 'would-record') return { stream: 'stdout', text: `# would record fingerprint ${name}${v}` };
  if (r.action === 'skipped') return { stream: 'stderr', text: `warning: fingerprint not recorded for ${name}: ${r.message ?? ''}` };
  if (r.action === 'failed') return { stream: 'stderr', text: `! fingerprint of ${name} not recorded: ${r.message ?? ''}` };
  return undefined;
}
