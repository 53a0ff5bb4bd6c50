// Server-side defaults: what DescribeServer shows for a member never set (Terraform's acceptance
// tests against AWS, see docs/aws-behaviour.md).
import type { ProtocolDetails, S3StorageOptions, ServerConfig } from './server-types.ts';

export const DEFAULT_PROTOCOL_DETAILS: Readonly<ProtocolDetails> = {
  PassiveIp: 'AUTO',
  TlsSessionResumptionMode: 'ENFORCED',
  SetStatOption: 'DEFAULT',
};

export const DEFAULT_S3_STORAGE_OPTIONS: Readonly<S3StorageOptions> = { DirectoryListingOptimization: 'DISABLED' };

/** AWS reports this on custom identity providers when the request did not choose. */
export const DEFAULT_SFTP_AUTHENTICATION_METHODS = 'PUBLIC_KEY_OR_PASSWORD';
export const CUSTOM_IDENTITY_PROVIDERS: readonly string[] = ['API_GATEWAY', 'AWS_LAMBDA'];

export const DEFAULT_SECURITY_POLICY = 'TransferSecurityPolicy-2018-11';

export function defaultConfig(): ServerConfig {
  return {
    Domain: 'S3',
    EndpointType: 'PUBLIC',
    IdentityProviderType: 'SERVICE_MANAGED',
    Protocols: ['SFTP'],
    ProtocolDetails: { ...DEFAULT_PROTOCOL_DETAILS },
    SecurityPolicyName: DEFAULT_SECURITY_POLICY,
    StructuredLogDestinations: [],
    S3StorageOptions: { ...DEFAULT_S3_STORAGE_OPTIONS },
    IpAddressType: 'IPV4',
  };
}
