// Valid but questionable: reported with the outcome, never blocking (desired-state.md).

export function documentWarnings(doc: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (doc.EndpointType === 'VPC_ENDPOINT') {
    out.push('$.EndpointType: VPC_ENDPOINT is deprecated (AWS creates no new ones since 2021-05-19); plan a move to EndpointType VPC.');
  }
  const protocols = doc.Protocols;
  const banner = doc.PostAuthenticationLoginBanner;
  if (typeof banner === 'string' && banner !== '' && Array.isArray(protocols) && protocols.length === 1 && protocols[0] === 'SFTP') {
    out.push(
      '$.PostAuthenticationLoginBanner: the server speaks only SFTP, which never shows a post-authentication banner; use PreAuthenticationLoginBanner, or leave it for when FTP/FTPS is added.',
    );
  }
  return out;
}
