// SSM Parameter Store back end of the local emulator: the parameter operations the reconciler
// uses, with versions, tiers, SecureString hiding, `/aws/reference/secretsmanager/` references
// and an EventBridge "Parameter Store Change" event for every change.
import { randomBytes, randomUUID } from 'node:crypto';
import { translateJavaPattern } from '../../../functions/shared/java-pattern.ts';
import { AwsError } from '../aws-error.ts';
import type { ParameterStoreChangeEvent, ServiceBackend, SsmOptions } from '../types.ts';
import { SECRETS_PREFIX, checkParameterName, parameterArn, splitSelector } from './parameter-name.ts';
import { decryptDenied } from './decryption.ts';
import type { DecryptionMode } from './decryption.ts';
import { addTags, listTags, removeTags, tagsOf } from './parameter-tags.ts';
import type { Tag } from './parameter-tags.ts';
import { SortedNames } from './sorted-names.ts';
import { chooseTier } from './tiers.ts';
import type { Tier } from './tiers.ts';

export type ParameterType = 'String' | 'StringList' | 'SecureString';

export interface SsmBackendOptions extends SsmOptions {
  /** Called with every change event (the emulator publishes them on its event bus). */
  onChange?: (event: ParameterStoreChangeEvent) => void;
}

interface ParameterVersion {
  version: number;
  value: string;
  /** What GetParameter shows for a SecureString without WithDecryption: an opaque blob, never the value. */
  opaque?: string;
  type: ParameterType;
  modifiedMs: number;
  dataType: string;
}

interface StoredParameter {
  name: string;
  tier: Tier;
  description: string;
  allowedPattern?: string;
  tags: Tag[];
  versions: ParameterVersion[];
}

interface SsmSnapshot {
  parameters: StoredParameter[];
  secrets: Record<string, string>;
}

// Parameter Store keeps the last 100 versions of a parameter.
const MAX_VERSIONS = 100;
const BY_PATH_PAGE = 10;
const PATH_MESSAGE =
  'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/". It can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/".';
const SECRET_NEEDS_DECRYPTION = 'WithDecryption flag must be True for retrieving a Secret Manager secret.';

export class SsmBackend implements ServiceBackend {
  readonly name = 'ssm' as const;
  readonly targetPrefix = 'AmazonSSM';
  private readonly options: SsmBackendOptions;
  private parameters = new Map<string, StoredParameter>();
  /** The keys of `parameters`, sorted (GetParametersByPath). */
  private readonly sortedNames = new SortedNames();
  private secrets = new Map<string, string>();
  private decryption: DecryptionMode = 'allowed';
  private readonly kmsKeyId = randomUUID();

  constructor(options: SsmBackendOptions) {
    this.options = options;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  handle(operation: string, input: Record<string, unknown>): unknown {
    switch (operation) {
      case 'PutParameter':
        return this.putParameter(input);
      case 'GetParameter':
        return { Parameter: this.getOne(String(input.Name), input.WithDecryption === true) };
      case 'GetParameters':
        return this.getParameters(input.Names as string[], input.WithDecryption === true);
      case 'GetParametersByPath':
        return this.getByPath(input);
      case 'DeleteParameter':
        return this.deleteParameter(String(input.Name));
      case 'DeleteParameters':
        return this.deleteParameters(input.Names as string[]);
      case 'AddTagsToResource':
        return addTags(this.tagged(input), input.Tags as Tag[]);
      case 'RemoveTagsFromResource':
        return removeTags(this.tagged(input), input.TagKeys as string[]);
      case 'ListTagsForResource':
        return listTags(this.tagged(input));
      default:
        throw new AwsError('UnknownOperationException', `Unknown operation ${operation}`);
    }
  }

  /** `denied`: every read WithDecryption of a SecureString answers AccessDeniedException (decryption.ts). */
  setDecryption(mode: DecryptionMode): void {
    this.decryption = mode;
  }

  private tagged(input: Record<string, unknown>): { tags: Tag[] } {
    return tagsOf(input, (name) => this.parameters.get(name));
  }

  /** Stores a Secrets Manager secret that `/aws/reference/secretsmanager/<id>` serves. */
  putSecret(id: string, value: string): void {
    this.secrets.set(id, value);
  }

  deleteSecret(id: string): boolean {
    return this.secrets.delete(id);
  }

  /** The latest value of a parameter, for tests; undefined when absent. */
  peek(name: string): { value: string; type: ParameterType; version: number; tier: Tier } | undefined {
    const p = this.parameters.get(name);
    const v = p?.versions.at(-1);
    return p && v ? { value: v.value, type: v.type, version: v.version, tier: p.tier } : undefined;
  }

  reset(): void {
    this.parameters.clear();
    this.sortedNames.clear();
    this.secrets.clear();
    this.decryption = 'allowed';
  }

  snapshot(): SsmSnapshot {
    return { parameters: [...this.parameters.values()].map((p) => structuredClone(p)), secrets: Object.fromEntries(this.secrets) };
  }

  restore(snapshot: unknown): void {
    const s = snapshot as Partial<SsmSnapshot> | undefined;
    this.reset();
    for (const p of s?.parameters ?? []) {
      this.parameters.set(p.name, structuredClone(p));
      this.sortedNames.add(p.name);
    }
    for (const [id, value] of Object.entries(s?.secrets ?? {})) this.secrets.set(id, value);
  }

  private putParameter(input: Record<string, unknown>): unknown {
    const name = String(input.Name);
    const value = String(input.Value);
    const { region, accountId } = this.options;
    checkParameterName(name, region, accountId, true);
    const existing = this.parameters.get(name);
    if (existing && input.Overwrite !== true) {
      throw new AwsError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
        { messageKey: 'message' },
      );
    }
    if (existing && input.Tags !== undefined)
      throw new AwsError(
        'ValidationException',
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
      );
    const latest = existing?.versions.at(-1);
    const type = (input.Type as ParameterType | undefined) ?? latest?.type;
    if (!type) throw new AwsError('ValidationException', 'A parameter type is required when you create a parameter.');
    const allowedPattern = (input.AllowedPattern as string | undefined) ?? existing?.allowedPattern;
    if (allowedPattern !== undefined && allowedPattern !== '' && !safeMatch(allowedPattern, value)) {
      throw new AwsError(
        'ParameterPatternMismatchException',
        `Parameter value, cannot be validated against allowedPattern: ${allowedPattern}`,
        { messageKey: 'message' },
      );
    }
    const tier = chooseTier(input.Tier as string | undefined, existing?.tier, value, input.Policies !== undefined);
    const version: ParameterVersion = {
      version: (latest?.version ?? 0) + 1,
      value,
      type,
      modifiedMs: this.now(),
      dataType: (input.DataType as string | undefined) ?? latest?.dataType ?? 'text',
    };
    if (type === 'SecureString') version.opaque = opaqueBlob(value);
    const param: StoredParameter = existing ?? {
      name,
      tier,
      description: '',
      tags: (input.Tags as StoredParameter['tags'] | undefined) ?? [],
      versions: [],
    };
    param.tier = tier;
    if (input.Description !== undefined) param.description = String(input.Description);
    if (allowedPattern !== undefined) param.allowedPattern = allowedPattern;
    param.versions.push(version);
    if (param.versions.length > MAX_VERSIONS) param.versions.shift();
    this.parameters.set(name, param);
    if (!existing) this.sortedNames.add(name);
    this.emit(existing ? 'Update' : 'Create', param, type);
    return { Version: version.version, Tier: tier };
  }

  private getOne(raw: string, withDecryption: boolean): Record<string, unknown> {
    const sel = splitSelector(raw);
    if (sel.name.startsWith(SECRETS_PREFIX)) return this.getSecret(sel.name, withDecryption);
    checkParameterName(sel.name, this.options.region, this.options.accountId, false);
    const param = this.parameters.get(sel.name);
    if (!param) throw notFound(raw);
    let version = param.versions.at(-1);
    if (sel.version !== undefined) version = param.versions.find((v) => v.version === sel.version);
    else if (sel.label !== undefined) version = undefined;
    if (!version) {
      throw new AwsError(
        'ParameterVersionNotFound',
        `Systems Manager could not find version ${sel.selector?.slice(1) ?? ''} of ${sel.name}. Verify the version and try again.`,
        { messageKey: 'message' },
      );
    }
    const out = this.view(param, version, withDecryption);
    if (sel.selector) out.Selector = sel.selector;
    return out;
  }

  private view(param: StoredParameter, v: ParameterVersion, withDecryption: boolean): Record<string, unknown> {
    if (v.type === 'SecureString' && withDecryption && this.decryption === 'denied')
      throw decryptDenied(this.options.region, this.options.accountId, this.kmsKeyId);
    return {
      Name: param.name,
      Type: v.type,
      Value: v.type === 'SecureString' && !withDecryption ? (v.opaque ?? opaqueBlob(v.value)) : v.value,
      Version: v.version,
      LastModifiedDate: v.modifiedMs / 1000,
      ARN: parameterArn(this.options.region, this.options.accountId, param.name),
      DataType: v.dataType,
    };
  }

  private getSecret(name: string, withDecryption: boolean): Record<string, unknown> {
    if (!withDecryption) throw new AwsError('ValidationException', SECRET_NEEDS_DECRYPTION);
    if (this.decryption === 'denied') throw decryptDenied(this.options.region, this.options.accountId, this.kmsKeyId);
    const id = name.slice(SECRETS_PREFIX.length);
    const value = this.secrets.get(id);
    if (value === undefined) throw new AwsError('ParameterNotFound', `Secret ${id} not found.`, { messageKey: 'message' });
    return {
      Name: name,
      Type: 'SecureString',
      Value: value,
      Version: 0,
      LastModifiedDate: this.now() / 1000,
      ARN: `arn:aws:secretsmanager:${this.options.region}:${this.options.accountId}:secret:${id}`,
      DataType: 'text',
    };
  }

  private getParameters(names: string[], withDecryption: boolean): unknown {
    const Parameters: unknown[] = [];
    const InvalidParameters: string[] = [];
    for (const raw of new Set(names)) {
      if (raw.startsWith(SECRETS_PREFIX) && !withDecryption) throw new AwsError('ValidationException', SECRET_NEEDS_DECRYPTION);
      try {
        Parameters.push(this.getOne(raw, withDecryption));
      } catch (err) {
        // Unknown names, versions and malformed names are all reported, not raised.
        // A refused decryption fails the whole call, as KMS's refusal does in AWS.
        if (!(err instanceof AwsError) || err.code === 'AccessDeniedException') throw err;
        InvalidParameters.push(raw);
      }
    }
    return { Parameters, InvalidParameters };
  }

  private getByPath(input: Record<string, unknown>): unknown {
    const path = String(input.Path);
    if (!path.startsWith('/')) throw new AwsError('ValidationException', PATH_MESSAGE);
    if (path !== '/') checkParameterName(path.replace(/\/$/, ''), this.options.region, this.options.accountId, false);
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const recursive = input.Recursive === true;
    const typeFilter = typeFilterOf(input.ParameterFilters);
    const max = (input.MaxResults as number | undefined) ?? BY_PATH_PAGE;
    const after = input.NextToken === undefined ? undefined : readToken(String(input.NextToken), path, recursive);
    // One more than a page tells whether there is a next one.
    const wanted = Number.isInteger(max) && max >= 0 ? max + 1 : Infinity;
    const names: string[] = [];
    for (const n of this.sortedNames.withPrefix(prefix, after)) {
      if (names.length >= wanted) break;
      if (!recursive && n.slice(prefix.length).includes('/')) continue;
      if (typeFilter && !typeFilter.includes(this.parameters.get(n)?.versions.at(-1)?.type ?? '')) continue;
      names.push(n);
    }
    const page = names.slice(0, max);
    const Parameters = page.map((n) => {
      const p = this.parameters.get(n) as StoredParameter;
      return this.view(p, p.versions.at(-1) as ParameterVersion, input.WithDecryption === true);
    });
    const out: Record<string, unknown> = { Parameters };
    const last = page.at(-1);
    if (names.length > max && last !== undefined) out.NextToken = writeToken(last, path, recursive);
    return out;
  }

  private deleteParameter(name: string): unknown {
    checkParameterName(name, this.options.region, this.options.accountId, false);
    if (!this.remove(name)) throw notFound(name);
    return {};
  }

  private deleteParameters(names: string[]): unknown {
    const DeletedParameters: string[] = [];
    const InvalidParameters: string[] = [];
    for (const name of new Set(names)) (this.remove(name) ? DeletedParameters : InvalidParameters).push(name);
    return { DeletedParameters, InvalidParameters };
  }

  private remove(name: string): boolean {
    const param = this.parameters.get(name);
    if (!param) return false;
    this.parameters.delete(name);
    this.sortedNames.delete(name);
    this.emit('Delete', param, param.versions.at(-1)?.type ?? 'String');
    return true;
  }

  private emit(operation: 'Create' | 'Update' | 'Delete', param: StoredParameter, type: ParameterType): void {
    const { region, accountId } = this.options;
    this.options.onChange?.({
      version: '0',
      id: randomUUID(),
      'detail-type': 'Parameter Store Change',
      source: 'aws.ssm',
      account: accountId,
      // EventBridge prints the time to the second, without milliseconds.
      time: new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: [parameterArn(region, accountId, param.name)],
      detail: { operation, name: param.name, type, description: param.description },
    });
  }
}

function notFound(name: string): AwsError {
  return new AwsError('ParameterNotFound', `Parameter ${name} not found.`, { messageKey: 'message' });
}

/** Looks like a KMS ciphertext (base64 of random bytes a bit longer than the value); reveals nothing. */
function opaqueBlob(value: string): string {
  return Buffer.concat([Buffer.from([1, 2, 2, 0]), randomBytes(Buffer.byteLength(value) + 64)]).toString('base64');
}

/** Parameter Store compiles AllowedPattern as a Java regular expression (`\p{L}` is a letter). */
function safeMatch(pattern: string, value: string): boolean {
  let re: RegExp;
  try {
    const { source, flags } = translateJavaPattern(pattern);
    re = new RegExp(source, flags);
  } catch {
    throw new AwsError('InvalidAllowedPatternException', `Invalid allowed pattern ${pattern}`, { messageKey: 'message' });
  }
  return re.test(value);
}

/** GetParametersByPath filters: only `Type` (Equals) is emulated; others are refused, not ignored. */
function typeFilterOf(filters: unknown): string[] | undefined {
  if (!Array.isArray(filters) || filters.length === 0) return undefined;
  let types: string[] | undefined;
  for (const f of filters as Array<{ Key: string; Option?: string; Values?: string[] }>) {
    if (f.Key !== 'Type')
      throw new AwsError('InvalidFilterKey', `The local emulator supports only the Type filter with Equals, not ${f.Key}.`);
    if (f.Option !== undefined && f.Option !== 'Equals')
      throw new AwsError('InvalidFilterOption', `The local emulator supports only the Type filter with Equals, not ${f.Option}.`);
    types = f.Values ?? [];
  }
  return types;
}

function writeToken(after: string, path: string, recursive: boolean): string {
  return Buffer.from(JSON.stringify({ a: after, p: path, r: recursive })).toString('base64');
}

function readToken(token: string, path: string, recursive: boolean): string {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { a?: unknown; p?: unknown; r?: unknown };
    if (typeof t.a === 'string' && t.p === path && t.r === recursive) return t.a;
  } catch {
    // fall through: any unreadable token is invalid
  }
  throw new AwsError('InvalidNextToken', 'The specified token is not valid.');
}
