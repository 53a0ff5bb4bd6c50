// What DescribeServer and ListServers answer for a stored server. DescribeServer never returns
// EndpointDetails.SecurityGroupIds (documented: they live on the VPC endpoint) nor the key.
import { cloneData } from '../clone-data.ts';
import type { HostKeyFingerprintMode } from '../types.ts';
import { primaryKey } from './host-key-operations.ts';
import type { StoredServer } from './server-types.ts';

/** `fingerprint: 'moto'` answers the private key as HostKeyFingerprint, as moto does (types.ts). */
export function describedServer(server: StoredServer, fingerprint: HostKeyFingerprintMode = 'fingerprint'): Record<string, unknown> {
  const c = cloneData(server.config);
  const described: Record<string, unknown> = {
    Arn: server.Arn,
    ServerId: server.ServerId,
    State: server.lifecycle.state,
    Domain: c.Domain,
    EndpointType: c.EndpointType,
    IdentityProviderType: c.IdentityProviderType,
    Protocols: c.Protocols,
    ProtocolDetails: c.ProtocolDetails,
    SecurityPolicyName: c.SecurityPolicyName,
    S3StorageOptions: c.S3StorageOptions,
    IpAddressType: c.IpAddressType,
    Tags: cloneData(server.Tags),
    UserCount: 0,
  };
  // With several keys, the oldest of all (AWS does not document which; README). None once all are deleted.
  const key = primaryKey(server);
  if (key !== undefined) described.HostKeyFingerprint = fingerprint === 'moto' ? key.hostKey : key.Fingerprint;
  if (c.EndpointDetails !== undefined) {
    const { SecurityGroupIds: _hidden, ...details } = c.EndpointDetails;
    described.EndpointDetails = details;
  }
  if (c.IdentityProviderDetails !== undefined) described.IdentityProviderDetails = c.IdentityProviderDetails;
  for (const key of [
    'Certificate',
    'LoggingRole',
    'PreAuthenticationLoginBanner',
    'PostAuthenticationLoginBanner',
    'WorkflowDetails',
  ] as const) {
    if (c[key] !== undefined) described[key] = c[key];
  }
  if (c.StructuredLogDestinations.length > 0) described.StructuredLogDestinations = c.StructuredLogDestinations;
  return described;
}

export function listedServer(server: StoredServer): Record<string, unknown> {
  const listed: Record<string, unknown> = {
    Arn: server.Arn,
    Domain: server.config.Domain,
    IdentityProviderType: server.config.IdentityProviderType,
    EndpointType: server.config.EndpointType,
    ServerId: server.ServerId,
    State: server.lifecycle.state,
    UserCount: 0,
  };
  if (server.config.LoggingRole !== undefined) listed.LoggingRole = server.config.LoggingRole;
  return listed;
}

/** The raw stored copy for tests (includes SecurityGroupIds, never the private key). */
export function rawServer(server: StoredServer): Record<string, unknown> {
  return {
    ...cloneData(server.config),
    Arn: server.Arn,
    ServerId: server.ServerId,
    State: server.lifecycle.state,
    HostKeyFingerprint: primaryKey(server)?.Fingerprint,
    Tags: cloneData(server.Tags),
  };
}
