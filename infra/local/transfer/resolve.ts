// The configuration a CreateServer or UpdateServer request would leave: the current one (or the
// defaults) with the request applied. Rules run on this result before anything is stored.
// How a partial nested object is applied is not documented by AWS, so both readings exist:
// `merge` keeps the members the request leaves out, `replace` resets them to defaults/absent.
import { cloneData } from '../clone-data.ts';
import type { NestedUpdateMode } from '../types.ts';
import {
  CUSTOM_IDENTITY_PROVIDERS,
  DEFAULT_PROTOCOL_DETAILS,
  DEFAULT_S3_STORAGE_OPTIONS,
  DEFAULT_SFTP_AUTHENTICATION_METHODS,
  defaultConfig,
} from './defaults.ts';
import type { EndpointDetails, IdentityProviderDetails, ServerConfig, ServerRequest, WorkflowDetails } from './server-types.ts';

/** Members that an empty string clears (their patterns allow ""; Terraform and CloudFormation clear this way). */
const CLEARABLE = ['Certificate', 'LoggingRole', 'PreAuthenticationLoginBanner', 'PostAuthenticationLoginBanner'] as const;
const SCALARS = ['EndpointType', 'IdentityProviderType', 'SecurityPolicyName', 'IpAddressType'] as const;

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function clone<T>(value: T): T {
  return cloneData(value);
}

function nested<T extends object>(current: T | undefined, request: T | undefined, mode: NestedUpdateMode, defaults: T): T | undefined {
  if (request === undefined) return current === undefined ? undefined : clone(current);
  const base = mode === 'merge' && current !== undefined ? current : defaults;
  return clone({ ...base, ...defined(request) });
}

function withoutEmptyLists<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => !(Array.isArray(v) && v.length === 0))) as T;
}

function resolveEndpointDetails(
  current: ServerConfig | undefined,
  result: ServerConfig,
  request: EndpointDetails | undefined,
  mode: NestedUpdateMode,
): EndpointDetails | undefined {
  const previousType = current?.EndpointType;
  const previous = current?.EndpointDetails;
  if (result.EndpointType === 'PUBLIC') return undefined;
  if (result.EndpointType === 'VPC_ENDPOINT') {
    const id = request?.VpcEndpointId ?? (previousType === 'VPC_ENDPOINT' ? previous?.VpcEndpointId : undefined);
    return id === undefined ? {} : { VpcEndpointId: id };
  }
  // VPC: the endpoint AWS created (VpcEndpointId) and its security groups stay with the server;
  // they are not request members that merge/replace applies to.
  const sameType = previousType === 'VPC';
  const kept: EndpointDetails = sameType ? { VpcEndpointId: previous?.VpcEndpointId, SecurityGroupIds: previous?.SecurityGroupIds } : {};
  const base: EndpointDetails = sameType && (mode === 'merge' || request === undefined) ? { ...previous } : {};
  const { VpcEndpointId: _ignored, ...members } = defined(request ?? {});
  return clone(withoutEmptyLists(defined({ ...base, ...defined(kept), ...members })));
}

function resolveIdentityProviderDetails(
  current: ServerConfig | undefined,
  result: ServerConfig,
  request: IdentityProviderDetails | undefined,
  mode: NestedUpdateMode,
): IdentityProviderDetails | undefined {
  const typeChanged = current !== undefined && current.IdentityProviderType !== result.IdentityProviderType;
  // Members of another provider type never carry over to the new type.
  const previous = current === undefined || typeChanged ? undefined : current.IdentityProviderDetails;
  const details = request === undefined && typeChanged ? {} : nested(previous, request, mode, {});
  return details === undefined ? undefined : defined(details);
}

function resolveWorkflowDetails(
  current: WorkflowDetails | undefined,
  request: WorkflowDetails | undefined,
  mode: NestedUpdateMode,
): WorkflowDetails | undefined {
  const details = nested(current, request, mode, {});
  if (details === undefined) return undefined;
  const kept = withoutEmptyLists(defined(details));
  return Object.keys(kept).length === 0 ? undefined : kept;
}

/**
 * The resulting configuration before defaults that depend on the result (SftpAuthenticationMethods)
 * are filled in: rules check what the request asked for, not what AWS adds.
 */
export function resolveConfig(current: ServerConfig | undefined, request: ServerRequest, mode: NestedUpdateMode): ServerConfig {
  const result: ServerConfig = clone(current ?? defaultConfig());
  if (current === undefined && request.Domain !== undefined) result.Domain = request.Domain;
  for (const key of SCALARS) {
    const value = request[key];
    if (value !== undefined) result[key] = value;
  }
  for (const key of CLEARABLE) {
    const value = request[key];
    if (value === '') delete result[key];
    else if (value !== undefined) result[key] = value;
  }
  if (request.Protocols !== undefined) result.Protocols = [...request.Protocols];
  if (request.StructuredLogDestinations !== undefined) result.StructuredLogDestinations = [...request.StructuredLogDestinations];
  result.ProtocolDetails = nested(current?.ProtocolDetails, request.ProtocolDetails, mode, { ...DEFAULT_PROTOCOL_DETAILS }) ?? {
    ...DEFAULT_PROTOCOL_DETAILS,
  };
  result.S3StorageOptions = nested(current?.S3StorageOptions, request.S3StorageOptions, mode, { ...DEFAULT_S3_STORAGE_OPTIONS }) ?? {
    ...DEFAULT_S3_STORAGE_OPTIONS,
  };
  const endpoint = resolveEndpointDetails(current, result, request.EndpointDetails, mode);
  if (endpoint === undefined) delete result.EndpointDetails;
  else result.EndpointDetails = endpoint;
  const identity = resolveIdentityProviderDetails(current, result, request.IdentityProviderDetails, mode);
  if (identity === undefined) delete result.IdentityProviderDetails;
  else result.IdentityProviderDetails = identity;
  const workflows = resolveWorkflowDetails(current?.WorkflowDetails, request.WorkflowDetails, mode);
  if (workflows === undefined) delete result.WorkflowDetails;
  else result.WorkflowDetails = workflows;
  return result;
}

/** Fills what AWS adds after accepting a configuration. */
export function completeConfig(config: ServerConfig, newVpcEndpointId: () => string): ServerConfig {
  const result = clone(config);
  if (CUSTOM_IDENTITY_PROVIDERS.includes(result.IdentityProviderType)) {
    result.IdentityProviderDetails = { ...result.IdentityProviderDetails };
    result.IdentityProviderDetails.SftpAuthenticationMethods ??= DEFAULT_SFTP_AUTHENTICATION_METHODS;
  } else if (result.IdentityProviderDetails !== undefined && Object.keys(result.IdentityProviderDetails).length === 0) {
    delete result.IdentityProviderDetails;
  }
  if (result.EndpointType === 'VPC' && result.EndpointDetails !== undefined) result.EndpointDetails.VpcEndpointId ??= newVpcEndpointId();
  return result;
}
