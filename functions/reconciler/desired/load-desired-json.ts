// Assembles a DesiredServer: value → static validation → host key → policy defaults, from a
// parsed value or from a parameter's JSON text. An invalid document throws
// InvalidDesiredStateError with every issue; a missing parameter throws DocumentNotFoundError
// (the server is simply not managed). JSON only, so the Lambdas (which import this and not
// load-desired.ts) carry no YAML parser; load-desired.ts adds documents in either format.
import type { SSMClient } from '@aws-sdk/client-ssm';
import { InvalidDesiredStateError } from '../errors.ts';
import type { DesiredServer, DocumentSource, ReconcilerPolicy } from '../types.ts';
import { DocumentNotFoundError } from '../errors.ts';
import { readDocument } from './load-ssm.ts';
import type { ReadDocumentResult } from './load-ssm.ts';
import { parseJsonText } from './parse-json.ts';
import type { ParseResult } from './parse-json.ts';
import { resolveHostKey, resolveHostKeys } from './resolve-host-key.ts';
import type { ParameterTier } from './rules/size-limit.ts';
import { TIER_LIMITS } from './rules/size-limit.ts';
import { validateStatic } from './validate-static.ts';

export const DEFAULT_POLICY: Required<ReconcilerPolicy> = {
  Mode: 'enforce',
  AllowOfflineChanges: false,
  AllowHostKeyRotation: false,
  PruneTags: false,
};

export interface DesiredOptions {
  /** The parameter's tier, when known (see validateStatic). */
  tier?: ParameterTier;
  sizeBytes?: number;
  /** false: host keys by their recorded fingerprint, never decrypted (plan); default true (resolve-host-key.ts). */
  decrypt?: boolean;
}

/** How a source is named in errors: the file path, or the parameter name with its version. */
export function describeSource(source: DocumentSource): string {
  return source.version === undefined ? source.name : `${source.name} (version ${source.version})`;
}

/**
 * From a parsed value. With an SSMClient the HostKey reference (or every HostKeys entry) is read
 * and checked; without one (offline validation) the references are only checked for form and
 * `hostKey` / `hostKeys` stay unset.
 */
export async function desiredFromRaw(
  raw: unknown,
  source: DocumentSource,
  serverId: string,
  ssm?: SSMClient,
  options: DesiredOptions = {},
): Promise<DesiredServer> {
  const label = describeSource(source);
  const { decrypt, ...sizing } = options;
  const result = validateStatic(raw, { expectedServerId: serverId, source: label, ...sizing });
  if (!result.ok) throw new InvalidDesiredStateError(label, result.issues);
  const document = result.document;
  const keyOptions = { decrypt: decrypt !== false };
  const hostKey =
    document.HostKey && ssm ? await resolveHostKey(ssm, document.HostKey.SecureStringParameter, label, keyOptions) : undefined;
  const hostKeys = document.HostKeys && ssm ? await resolveHostKeys(ssm, document.HostKeys, label, keyOptions) : undefined;
  return {
    serverId,
    source,
    document,
    ...(hostKey ? { hostKey } : {}),
    ...(hostKeys ? { hostKeys } : {}),
    policy: { ...DEFAULT_POLICY, ...document.Reconciler },
    warnings: result.warnings,
  };
}

/**
 * From the result of parsing `text`. A parameter's stored text already fits its tier, so the
 * tier is the one its size implies (over 4096 bytes it can only be Advanced).
 */
export async function desiredFromParsed(
  parsed: ParseResult,
  text: string,
  source: DocumentSource,
  serverId: string,
  ssm?: SSMClient,
  options: DesiredOptions = {},
): Promise<DesiredServer> {
  if (!parsed.ok) throw new InvalidDesiredStateError(describeSource(source), parsed.issues);
  const storedTier: ParameterTier | undefined =
    source.kind === 'parameter' ? (Buffer.byteLength(text, 'utf8') > TIER_LIMITS.Standard ? 'Advanced' : 'Standard') : undefined;
  const tier = options.tier ?? storedTier;
  return desiredFromRaw(parsed.value, source, serverId, ssm, { ...options, ...(tier ? { tier } : {}) });
}

export async function loadDesiredFromSsm(ssm: SSMClient, prefix: string, serverId: string): Promise<DesiredServer> {
  const read = await readDocument(ssm, prefix, serverId);
  if (read.status === 'not-found') throw new DocumentNotFoundError(serverId, read.name);
  return desiredFromParameter(read, serverId, ssm);
}

/** From a parameter already read (the caller keeps its name and version even when it is invalid). */
export async function desiredFromParameter(
  read: Extract<ReadDocumentResult, { status: 'found' }>,
  serverId: string,
  ssm: SSMClient,
  options: { decrypt?: boolean } = {},
): Promise<DesiredServer> {
  const source: DocumentSource = { kind: 'parameter', name: read.name, ...(read.version !== undefined ? { version: read.version } : {}) };
  if (read.type !== 'String' && read.type !== 'SecureString') {
    throw new InvalidDesiredStateError(describeSource(source), [
      {
        path: '$',
        message: `the parameter is of type ${read.type}; a document must be stored as String or SecureString (JSON text). Store it again with --type String.`,
      },
    ]);
  }
  const decrypt = options.decrypt === false ? { decrypt: false } : {};
  return desiredFromParsed(parseJsonText(read.text), read.text, source, serverId, ssm, {
    ...decrypt,
    ...(read.tier ? { tier: read.tier } : {}),
  });
}
