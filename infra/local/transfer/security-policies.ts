// The security policy names ListSecurityPolicies returns in AWS. Connector policies are listed
// but only apply to SFTP connectors, so a server cannot use them.
export const SERVER_SECURITY_POLICIES: readonly string[] = [
  'TransferSecurityPolicy-2018-11',
  'TransferSecurityPolicy-2020-06',
  'TransferSecurityPolicy-2022-03',
  'TransferSecurityPolicy-2023-05',
  'TransferSecurityPolicy-2024-01',
  'TransferSecurityPolicy-2025-03',
  'TransferSecurityPolicy-FIPS-2020-06',
  'TransferSecurityPolicy-FIPS-2023-05',
  'TransferSecurityPolicy-FIPS-2024-01',
  'TransferSecurityPolicy-FIPS-2024-05',
  'TransferSecurityPolicy-FIPS-2025-03',
  'TransferSecurityPolicy-PQ-SSH-Experimental-2023-04',
  'TransferSecurityPolicy-PQ-SSH-FIPS-Experimental-2023-04',
  'TransferSecurityPolicy-Restricted-2018-11',
  'TransferSecurityPolicy-Restricted-2020-06',
  'TransferSecurityPolicy-Restricted-2024-06',
  'TransferSecurityPolicy-SshAuditCompliant-2025-02',
];

export const CONNECTOR_SECURITY_POLICIES: readonly string[] = [
  'TransferSFTPConnectorSecurityPolicy-2023-07',
  'TransferSFTPConnectorSecurityPolicy-2024-03',
  'TransferSFTPConnectorSecurityPolicy-FIPS-2024-10',
];

export const ALL_SECURITY_POLICIES: readonly string[] = [...SERVER_SECURITY_POLICIES, ...CONNECTOR_SECURITY_POLICIES];

export function isServerSecurityPolicy(name: string): boolean {
  return SERVER_SECURITY_POLICIES.includes(name);
}
