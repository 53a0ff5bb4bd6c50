// The wording of a host-key reference that cannot be used, shared by the two ways of reading one:
// decrypting the key (resolve-host-key.ts) and reading its recorded fingerprint
// (recorded-fingerprint.ts), so plan says the same thing with or without --decrypt.
import { isSecretsManagerReference } from './rules/value-formats.ts';
import { showName } from './user-text.ts';

export function missingKeyMessage(parameterName: string): string {
  // Echoed in copy-and-paste commands, so not cut: the name has passed the parameter-name format,
  // but a Secrets Manager id admits a line of a key.
  const name = showName(parameterName);
  if (isSecretsManagerReference(parameterName))
    return `the secret behind ${name} does not exist; create it in Secrets Manager with the private key as its text, or correct the name.`;
  return `the parameter ${name} does not exist; store the private key there with \`aws ssm put-parameter --type SecureString --name ${name} --value file://key\`, or correct the name.`;
}

export function notSecureStringMessage(parameterName: string, type: string | undefined): string {
  const name = showName(parameterName);
  return `the parameter ${name} is of type ${type ?? 'unknown'}, but a host key must be a SecureString (encrypted); store it again with \`aws ssm put-parameter --type SecureString --overwrite --name ${name} --value file://key\` (delete the ${type ?? ''} parameter first), and generate a new key if the old one may have been read.`;
}
