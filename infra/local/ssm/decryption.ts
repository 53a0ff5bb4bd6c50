// "Credentials that cannot decrypt": a caller whose role has SSM read access but no kms:Decrypt
// on the key behind a SecureString (the pull-request role of infra/aws/ci/ci-plan.json). AWS then
// answers a read WithDecryption=true of a SecureString with AccessDeniedException carrying KMS's
// message; the same read without decryption succeeds (the value comes back encrypted). The
// emulator has no identities, so this is one switch for every caller (`emu.ssm.setDecryption`).
import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws-error.ts';

export type DecryptionMode = 'allowed' | 'denied';

/** The refusal in the shape SSM passes KMS's on (a stable fake key id per emulator is enough). */
export function decryptDenied(region: string, accountId: string, keyId: string): AwsError {
  return new AwsError(
    'AccessDeniedException',
    `User: arn:aws:sts::${accountId}:assumed-role/local-emulator/no-decrypt is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:${region}:${accountId}:key/${keyId} because no identity-based policy allows the kms:Decrypt action (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException; Request ID: ${randomUUID()}; Proxy: null)`,
  );
}
