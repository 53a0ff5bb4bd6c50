// The document's HostKey reference → the private key, read with one GetParameter (decrypted).
// The key must live in a SecureString (or Secrets Manager, through its Parameter Store
// reference): a String parameter would leave it readable in plain text. No issue or message
// ever quotes the parameter's value.
import { GetParameterCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { InvalidKeyError, checkHostKeyPolicy, parsePrivateKey } from '../../shared/ssh-key.ts';
import { validateShape } from '../../shared/model-validate.ts';
import { InvalidDesiredStateError } from '../errors.ts';
import type { HostKeySecret, Issue } from '../types.ts';
import { hostKeySecret } from './host-key-secret.ts';
import { transferModel } from './keys.ts';
import { isSecretsManagerReference } from './rules/value-formats.ts';
import { showName } from './user-text.ts';

export interface ResolvedHostKey {
  parameter: string;
  secret: HostKeySecret;
}

export type HostKeyResult = { ok: true; hostKey: ResolvedHostKey } | { ok: false; issues: Issue[] };

const PATH = '$.HostKey.SecureStringParameter';

function problem(message: string): HostKeyResult {
  return { ok: false, issues: [{ path: PATH, message }] };
}

/** Reads and checks the key; problems come back as issues at $.HostKey.SecureStringParameter. */
export async function readHostKey(ssm: SSMClient, parameterName: string): Promise<HostKeyResult> {
  // Echoed in every message below (in copy-and-paste commands, so not cut): the name has passed
  // the parameter-name format, but a Secrets Manager id admits a line of a key.
  const name = showName(parameterName);
  let value: string;
  let type: string | undefined;
  try {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: parameterName, WithDecryption: true }));
    value = Parameter?.Value ?? '';
    type = Parameter?.Type;
  } catch (err) {
    if (!(err instanceof ParameterNotFound)) throw err;
    if (isSecretsManagerReference(parameterName)) {
      return problem(
        `the secret behind ${name} does not exist; create it in Secrets Manager with the private key as its text, or correct the name.`,
      );
    }
    return problem(
      `the parameter ${name} does not exist; store the private key there with \`aws ssm put-parameter --type SecureString --name ${name} --value file://key\`, or correct the name.`,
    );
  }
  if (type !== 'SecureString' && !isSecretsManagerReference(parameterName)) {
    return problem(
      `the parameter ${name} is of type ${type ?? 'unknown'}, but a host key must be a SecureString (encrypted); store it again with \`aws ssm put-parameter --type SecureString --overwrite --name ${name} --value file://key\` (delete the ${type ?? ''} parameter first), and generate a new key if the old one may have been read.`,
    );
  }
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
    return { ok: true, hostKey: { parameter: parameterName, secret: hostKeySecret(value) } };
  } catch (err) {
    // InvalidKeyError messages are fixed texts that never quote the key.
    if (err instanceof InvalidKeyError) return problem(`the key in ${name} cannot be used: ${err.message}`);
    return problem(`the key in ${name} cannot be read as a private key.`);
  }
}

/** Like readHostKey, but an unusable key throws InvalidDesiredStateError (source: the document's name). */
export async function resolveHostKey(ssm: SSMClient, parameterName: string, source: string = parameterName): Promise<ResolvedHostKey> {
  const result = await readHostKey(ssm, parameterName);
  if (!result.ok) throw new InvalidDesiredStateError(source, result.issues);
  return result.hostKey;
}
