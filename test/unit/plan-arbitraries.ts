// fast-check generators for the plan's property tests: valid observed servers (built the way AWS
// would report them, then normalised) and desired documents drawn from them.
import fc from 'fast-check';
import { normaliseServer } from '../../functions/reconciler/observed/normalise.ts';
import { runState } from '../../functions/reconciler/plan/run-state.ts';
import type {
  DesiredDocument,
  DesiredServer,
  EndpointDetails,
  ObservedServer,
  ReconcilerPolicy,
  ServerFields,
} from '../../functions/reconciler/types.ts';
import { SERVER_ID, desiredOf } from './plan-fixtures.ts';

const ARN = 'arn:aws:iam::111122223333:role/';
const option = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const workflow = fc.constantFrom({ WorkflowId: 'w-1', ExecutionRole: `${ARN}wf` }, { WorkflowId: 'w-2', ExecutionRole: `${ARN}wf` });

export const observedServerArb: fc.Arbitrary<ObservedServer> = fc
  .record({
    endpointType: fc.constantFrom('PUBLIC', 'VPC', 'VPC_ENDPOINT'),
    idp: fc.constantFrom('SERVICE_MANAGED', 'API_GATEWAY', 'AWS_DIRECTORY_SERVICE', 'AWS_LAMBDA'),
    domain: fc.constantFrom('S3', 'EFS'),
    extra: fc.subarray(['FTP', 'FTPS', 'AS2']),
    keepSftp: fc.boolean(),
    certificate: fc.constantFrom(
      '',
      'arn:aws:acm:eu-west-1:111122223333:certificate/a',
      'arn:aws:acm:eu-west-1:111122223333:certificate/b',
    ),
    subnets: fc.subarray(['subnet-c', 'subnet-a', 'subnet-b'], { minLength: 1 }),
    eips: fc.subarray(['eipalloc-3', 'eipalloc-1', 'eipalloc-2']),
    ipType: fc.constantFrom('IPV4', 'DUALSTACK'),
    passiveIp: option(fc.constantFrom('AUTO', '0.0.0.0', '10.0.0.1')),
    tls: option(fc.constantFrom('DISABLED', 'ENABLED', 'ENFORCED')),
    setStat: option(fc.constantFrom('DEFAULT', 'ENABLE_NO_OP')),
    as2Transports: option(fc.constant(['HTTP'])),
    sftpAuth: option(fc.constantFrom('PASSWORD', 'PUBLIC_KEY', 'PUBLIC_KEY_OR_PASSWORD', 'PUBLIC_KEY_AND_PASSWORD')),
    loggingRole: option(fc.constantFrom('', `${ARN}log-a`, `${ARN}log-b`)),
    preBanner: option(fc.constantFrom('', 'Hello', 'Hello\n')),
    postBanner: option(fc.constantFrom('', 'Welcome')),
    policy: option(fc.constantFrom('TransferSecurityPolicy-2018-11', 'TransferSecurityPolicy-2024-01')),
    onUpload: fc.array(workflow, { maxLength: 1 }),
    onPartial: fc.array(workflow, { maxLength: 1 }),
    logs: fc.subarray(['arn:aws:logs:eu-west-1:111122223333:log-group:g:*'], { maxLength: 1 }),
    dlo: option(fc.constantFrom('ENABLED', 'DISABLED')),
    // Failed transitions plan nothing (plan/run-state.ts): rarer, so most pairs still exercise a plan.
    state: fc.oneof(
      { arbitrary: fc.constantFrom('ONLINE', 'OFFLINE'), weight: 8 },
      { arbitrary: fc.constantFrom('STARTING', 'STOPPING'), weight: 3 },
      { arbitrary: fc.constantFrom('START_FAILED', 'STOP_FAILED'), weight: 1 },
    ),
    fingerprint: option(
      fc.constantFrom(
        'SHA256:aaaAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
        'SHA256:bbbAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        'cccAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      ),
    ),
    tags: fc.uniqueArray(
      fc.record({ Key: fc.constantFrom('team', 'cost', 'env', 'aws:cloudformation:stack-name'), Value: fc.constantFrom('a', 'b', '') }),
      { selector: (t) => t.Key },
    ),
  })
  .map((g) => {
    const vpc = g.endpointType === 'VPC';
    const ftpCapable = vpc && g.idp !== 'SERVICE_MANAGED';
    const extra = g.extra.filter((p) => (p === 'AS2' ? vpc && g.domain === 'S3' : ftpCapable));
    const protocols = g.keepSftp || extra.length === 0 ? ['SFTP', ...extra] : extra;
    const ftp = protocols.includes('FTP');
    const eips = !ftp && g.ipType === 'IPV4' ? g.eips : [];
    const endpointDetails: EndpointDetails =
      g.endpointType === 'VPC'
        ? {
            SubnetIds: g.subnets,
            VpcId: 'vpc-1',
            VpcEndpointId: 'vpce-0123456789abcdef0',
            ...(eips.length > 0 ? { AddressAllocationIds: eips } : {}),
          }
        : g.endpointType === 'VPC_ENDPOINT'
          ? { VpcEndpointId: 'vpce-0fedcba9876543210' }
          : {};
    const custom = g.idp === 'API_GATEWAY' || g.idp === 'AWS_LAMBDA';
    const identity = {
      SERVICE_MANAGED: {},
      API_GATEWAY: { Url: 'https://auth.example.com', InvocationRole: `${ARN}invoke` },
      AWS_LAMBDA: { Function: 'arn:aws:lambda:eu-west-1:111122223333:function:auth' },
      AWS_DIRECTORY_SERVICE: { DirectoryId: 'd-1234567890' },
    }[g.idp];
    return normaliseServer({
      ServerId: SERVER_ID,
      Arn: `arn:aws:transfer:eu-west-1:111122223333:server/${SERVER_ID}`,
      State: g.state,
      Domain: g.domain,
      EndpointType: g.endpointType,
      EndpointDetails: endpointDetails,
      IdentityProviderType: g.idp,
      IdentityProviderDetails: { ...identity, ...(custom && g.sftpAuth !== undefined ? { SftpAuthenticationMethods: g.sftpAuth } : {}) },
      Protocols: protocols,
      ProtocolDetails: {
        PassiveIp: g.passiveIp,
        TlsSessionResumptionMode: g.tls,
        SetStatOption: g.setStat,
        As2Transports: g.as2Transports,
      },
      Certificate:
        protocols.includes('FTPS') && g.certificate === '' ? 'arn:aws:acm:eu-west-1:111122223333:certificate/ftps' : g.certificate,
      LoggingRole: g.loggingRole,
      PreAuthenticationLoginBanner: g.preBanner,
      PostAuthenticationLoginBanner: g.postBanner,
      SecurityPolicyName: g.policy,
      WorkflowDetails: { OnUpload: g.onUpload, OnPartialUpload: g.onPartial },
      StructuredLogDestinations: g.logs,
      S3StorageOptions: g.dlo === undefined ? undefined : { DirectoryListingOptimization: g.dlo },
      IpAddressType: g.ipType,
      HostKeyFingerprint: g.fingerprint,
      Tags: g.tags,
    });
  });

/** EndpointDetails members a request for this type may carry (VpcEndpointId of a VPC server is AWS's own). */
function requestEndpointDetails(observed: ObservedServer): EndpointDetails {
  const { VpcEndpointId, ...vpcMembers } = observed.EndpointDetails;
  if (observed.EndpointType === 'VPC') return vpcMembers;
  if (observed.EndpointType === 'VPC_ENDPOINT') return VpcEndpointId === undefined ? {} : { VpcEndpointId };
  return {};
}

/** The document that describes `observed` exactly. */
export function observedAsDocument(observed: ObservedServer): DesiredDocument {
  return {
    Certificate: observed.Certificate,
    ProtocolDetails: { ...observed.ProtocolDetails },
    EndpointType: observed.EndpointType,
    EndpointDetails: requestEndpointDetails(observed),
    IdentityProviderType: observed.IdentityProviderType,
    IdentityProviderDetails: { ...observed.IdentityProviderDetails },
    LoggingRole: observed.LoggingRole,
    PostAuthenticationLoginBanner: observed.PostAuthenticationLoginBanner,
    PreAuthenticationLoginBanner: observed.PreAuthenticationLoginBanner,
    Protocols: [...observed.Protocols].reverse(),
    SecurityPolicyName: observed.SecurityPolicyName,
    WorkflowDetails: structuredClone(observed.WorkflowDetails),
    StructuredLogDestinations: [...observed.StructuredLogDestinations],
    S3StorageOptions: { ...observed.S3StorageOptions },
    IpAddressType: observed.IpAddressType,
    Tags: observed.Tags.filter((t) => !t.Key.startsWith('aws:')),
    State: runState(observed.State),
    ...(observed.HostKeyFingerprint === undefined ? {} : { HostKey: { SecureStringParameter: '/keys/host' } }),
  };
}

export function observedAsDesired(observed: ObservedServer, policy: ReconcilerPolicy = {}): DesiredServer {
  const fingerprint = observed.HostKeyFingerprint === undefined ? undefined : `${observed.HostKeyFingerprint}=`;
  return desiredOf(observedAsDocument(observed), fingerprint === undefined ? { policy } : { policy, fingerprint });
}

const NESTED = new Set(['ProtocolDetails', 'EndpointDetails', 'IdentityProviderDetails', 'WorkflowDetails', 'S3StorageOptions']);

/** A desired server drawn from another valid server: a random subset of its keys and nested members. */
export const desiredServerArb: fc.Arbitrary<DesiredServer> = fc
  .record({
    source: observedServerArb,
    keys: fc.subarray(Object.keys(observedAsDocument(normaliseServer({})))),
    memberPick: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    allMembers: fc.boolean(),
    securityGroups: option(fc.subarray(['sg-1', 'sg-2'], { minLength: 1 })),
    fingerprint: option(
      fc.constantFrom('SHA256:aaaAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'SHA256:zzzAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='),
    ),
    policy: fc.record({
      AllowOfflineChanges: fc.boolean(),
      AllowHostKeyRotation: fc.boolean(),
      PruneTags: fc.boolean(),
    }),
    offlineWeight: fc.integer({ min: 0, max: 4 }),
  })
  .map((g) => {
    const full = observedAsDocument(g.source) as Record<string, unknown>;
    const document: Record<string, unknown> = {};
    for (const key of g.keys) {
      const value = full[key];
      if (value === undefined) continue;
      if (NESTED.has(key)) {
        const members = Object.entries(value as Record<string, unknown>).filter(
          (_, i) => g.allMembers || g.memberPick[i % g.memberPick.length],
        );
        document[key] = Object.fromEntries(members);
      } else {
        document[key] = value;
      }
    }
    if (g.securityGroups !== undefined && document['EndpointDetails'] !== undefined) {
      (document['EndpointDetails'] as EndpointDetails).SecurityGroupIds = g.securityGroups;
    }
    if (g.fingerprint !== undefined) document['HostKey'] = { SecureStringParameter: '/keys/host' };
    // Mostly allowed, so that most generated plans are applicable.
    const policy = { ...g.policy, AllowOfflineChanges: g.policy.AllowOfflineChanges || g.offlineWeight > 0 };
    return desiredOf(
      document as DesiredDocument & ServerFields,
      g.fingerprint === undefined ? { policy } : { policy, fingerprint: g.fingerprint },
    );
  });

/**
 * Endpoint moves and Elastic IPs, where the step order matters most: an SFTP server, PUBLIC or in
 * vpc-1, and a document that puts it in vpc-1 with some subnets, EIPs and security groups.
 */
export const endpointCaseArb: fc.Arbitrary<[DesiredServer, ObservedServer]> = fc
  .record({
    observed: observedServerArb,
    vpc: fc.boolean(),
    observedSubnets: fc.subarray(['subnet-a', 'subnet-b', 'subnet-c'], { minLength: 1 }),
    observedEips: fc.subarray(['eipalloc-1', 'eipalloc-2', 'eipalloc-3']),
    subnets: option(fc.subarray(['subnet-a', 'subnet-b', 'subnet-c'], { minLength: 1 })),
    eips: option(fc.subarray(['eipalloc-1', 'eipalloc-2', 'eipalloc-3'])),
    securityGroups: option(fc.subarray(['sg-1', 'sg-2'], { minLength: 1 })),
    state: option(fc.constantFrom('ONLINE', 'OFFLINE')),
    passiveIp: option(fc.constantFrom('AUTO', '10.0.0.9')),
  })
  .map((g) => {
    const observed = normaliseServer({
      ...g.observed,
      Protocols: ['SFTP'],
      IpAddressType: 'IPV4',
      EndpointType: g.vpc ? 'VPC' : 'PUBLIC',
      EndpointDetails: g.vpc
        ? { SubnetIds: g.observedSubnets, VpcId: 'vpc-1', VpcEndpointId: 'vpce-0123456789abcdef0', AddressAllocationIds: g.observedEips }
        : {},
    });
    const subnets = g.subnets ?? (g.vpc ? undefined : ['subnet-a']);
    const details: EndpointDetails = {
      VpcId: 'vpc-1',
      ...(subnets === undefined ? {} : { SubnetIds: subnets }),
      ...(g.eips === undefined ? {} : { AddressAllocationIds: g.eips }),
      ...(g.securityGroups === undefined ? {} : { SecurityGroupIds: g.securityGroups }),
    };
    const document: DesiredDocument = {
      EndpointType: 'VPC',
      EndpointDetails: details,
      ...(g.state === undefined ? {} : { State: g.state }),
      ...(g.passiveIp === undefined ? {} : { ProtocolDetails: { PassiveIp: g.passiveIp } }),
    };
    return [desiredOf(document, { policy: { AllowOfflineChanges: true } }), observed];
  });
