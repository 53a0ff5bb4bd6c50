// Drives the emulator's back ends through their error paths and records, per operation, every
// error code they answered (used by emulator-model-errors.test.ts): each operation, on servers in
// every state and a missing one, with inputs that break each rule.
import { AwsError } from '../../infra/local/aws-error.ts';
import { SsmBackend } from '../../infra/local/ssm/backend.ts';
import { markedHostKey } from '../helpers/secrets.ts';
import { harness } from './transfer-fixtures.ts';

export type Seen = Map<string, Set<string>>;

async function record(seen: Seen, operation: string, call: () => unknown): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    const codes = seen.get(operation) ?? new Set<string>();
    codes.add(error.code);
    seen.set(operation, codes);
  }
}

const STATES = ['ONLINE', 'OFFLINE', 'STARTING', 'STOPPING', 'START_FAILED', 'STOP_FAILED', 'missing'] as const;
const MISSING = 's-0123456789abcdef0';
const BAD_KEY = 'not a key';
const MISSING_KEY = 'hostkey-0123456789abcdef0';
const TRANSFER_INPUTS: Record<string, Record<string, unknown>[]> = {
  UpdateServer: [
    {},
    { PreAuthenticationLoginBanner: 'hi' },
    { EndpointType: 'VPC', EndpointDetails: { VpcId: 'vpc-1', SubnetIds: ['subnet-1'] } },
    { IpAddressType: 'DUALSTACK' },
    { Protocols: ['FTPS'] },
    { Protocols: ['SFTP', 'SFTP'] },
    { Certificate: 'not-an-arn' },
    { StructuredLogDestinations: ['arn:aws:s3:::b'] },
    { HostKey: BAD_KEY },
    { SecurityPolicyName: 'TransferSecurityPolicy-Nope' },
    { EndpointDetails: { AddressAllocationIds: ['eipalloc-1'] } },
  ],
  StartServer: [{}],
  StopServer: [{}],
  DeleteServer: [{}],
  DescribeServer: [{}],
  TagResource: [{ Tags: [{ Key: 'a', Value: 'b' }] }, { Tags: [{ Key: 'aws:x', Value: 'b' }] }],
  UntagResource: [{ TagKeys: ['a'] }, { TagKeys: ['aws:x'] }],
  ListTagsForResource: [{}, { NextToken: 'bogus' }],
  ImportHostKey: [{ HostKeyBody: BAD_KEY }],
  ListHostKeys: [{}, { NextToken: 'bogus' }],
  DescribeHostKey: [{ HostKeyId: MISSING_KEY }],
  UpdateHostKey: [{ HostKeyId: MISSING_KEY, Description: 'x' }],
  DeleteHostKey: [{ HostKeyId: MISSING_KEY }],
};
const CREATE_INPUTS: Record<string, unknown>[] = [
  {},
  { Protocols: ['FTPS'] },
  { Protocols: ['SFTP', 'SFTP'] },
  { Certificate: 'not-an-arn' },
  { HostKey: BAD_KEY },
  { Tags: [{ Key: 'aws:x', Value: 'y' }] },
  { Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) },
  { EndpointDetails: { AddressAllocationIds: ['eipalloc-1'] } },
  { SecurityPolicyName: 'TransferSFTPConnectorSecurityPolicy-2024-03' },
];

export async function transferErrors(): Promise<Seen> {
  const seen: Seen = new Map();
  for (const input of CREATE_INPUTS) await record(seen, 'CreateServer', () => harness().call('CreateServer', input));
  // Only seeding chooses a ServerId, but a clash is what ResourceExistsException means.
  const seeded = harness();
  seeded.backend.createServerWithId(MISSING, {});
  await record(seen, 'CreateServer', () => seeded.backend.createServerWithId(MISSING, {}));
  for (const [operation, inputs] of Object.entries(TRANSFER_INPUTS)) {
    for (const state of STATES) {
      for (const input of inputs) {
        // A fresh back end each time: DeleteServer and the transitions must not leak into the next case.
        const h = harness();
        const id = state === 'missing' ? MISSING : await h.createOffline();
        if (state !== 'missing' && state !== 'OFFLINE') h.backend.forceState(id, state);
        const target = operation.includes('Tag') ? { Arn: `arn:aws:transfer:us-east-1:123456789012:server/${id}` } : { ServerId: id };
        await record(seen, operation, () => h.call(operation, { ...target, ...input }));
      }
    }
  }
  for (const Arn of ['arn:aws:transfer:eu-west-1:123456789012:server/s-0123456789abcdef0', 'arn:aws:s3:::bucket']) {
    await record(seen, 'ListTagsForResource', () => harness().call('ListTagsForResource', { Arn }));
    await record(seen, 'TagResource', () => harness().call('TagResource', { Arn, Tags: [{ Key: 'a', Value: 'b' }] }));
  }
  // The same key twice (ImportHostKey, or UpdateServer's HostKey equal to a newer key), and the per-server limit.
  const keys = harness({ maxHostKeys: 2 });
  const first = markedHostKey();
  const second = markedHostKey();
  const keyed = await keys.createOffline({ HostKey: first });
  await record(seen, 'ImportHostKey', () => keys.call('ImportHostKey', { ServerId: keyed, HostKeyBody: first }));
  await keys.call('ImportHostKey', { ServerId: keyed, HostKeyBody: second });
  await record(seen, 'UpdateServer', () => keys.call('UpdateServer', { ServerId: keyed, HostKey: second }));
  await record(seen, 'ImportHostKey', () => keys.call('ImportHostKey', { ServerId: keyed, HostKeyBody: markedHostKey() }));
  for (const operation of ['ListServers', 'ListSecurityPolicies'])
    await record(seen, operation, () => harness().call(operation, { NextToken: 'bogus' }));
  return seen;
}

export async function ssmErrors(): Promise<Seen> {
  const seen: Seen = new Map();
  const ssm = new SsmBackend({ region: 'us-east-1', accountId: '123456789012' });
  const call = (operation: string, input: Record<string, unknown>) => record(seen, operation, () => ssm.handle(operation, input));
  const deep = `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`;
  const long = `/${'n'.repeat(1000)}`;
  await call('PutParameter', { Name: '/p/advanced', Value: 'x', Type: 'String', Tier: 'Advanced' });
  await call('PutParameter', { Name: '/p/tagged', Value: 'x', Type: 'String' });
  for (const input of [
    { Name: '/p/tagged', Value: 'y', Type: 'String' },
    { Name: '/p/tagged', Value: 'y', Overwrite: true, Tags: [{ Key: 'a', Value: 'b' }] },
    { Name: '/p/untyped', Value: 'x' },
    { Name: '/bad name', Value: 'x', Type: 'String' },
    { Name: '/aws/mine', Value: 'x', Type: 'String' },
    { Name: 'a/b', Value: 'x', Type: 'String' },
    { Name: deep, Value: 'x', Type: 'String' },
    { Name: long, Value: 'x', Type: 'String' },
    { Name: '/p/pattern', Value: 'abc', Type: 'String', AllowedPattern: '^[0-9]+$' },
    { Name: '/p/pattern', Value: 'abc', Type: 'String', AllowedPattern: '[a' },
    { Name: '/p/advanced', Value: 'x', Overwrite: true, Tier: 'Standard' },
    { Name: '/p/big', Value: 'x'.repeat(4097), Type: 'String' },
    { Name: '/p/huge', Value: 'x'.repeat(8193), Type: 'String', Tier: 'Advanced' },
    { Name: '/p/policy', Value: 'x', Type: 'String', Policies: '[]' },
  ])
    await call('PutParameter', input);
  for (const Name of [
    '/p/missing',
    '/bad name',
    'a/b',
    deep,
    long,
    '/p/tagged:9',
    '/p/tagged:label',
    '/aws/reference/secretsmanager/none',
  ]) {
    await call('GetParameter', { Name });
    await call('GetParameter', { Name, WithDecryption: true });
    await call('DeleteParameter', { Name });
  }
  await call('GetParameters', { Names: ['/p/missing', '/aws/reference/secretsmanager/none'] });
  await call('GetParameters', { Names: ['/p/missing', deep, long] });
  for (const input of [
    { Path: 'relative' },
    { Path: deep },
    { Path: long },
    { Path: '/p', NextToken: 'bogus' },
    { Path: '/p', ParameterFilters: [{ Key: 'Name', Values: ['x'] }] },
    { Path: '/p', ParameterFilters: [{ Key: 'Type', Option: 'BeginsWith', Values: ['String'] }] },
  ])
    await call('GetParametersByPath', input);
  await call('DeleteParameters', { Names: ['/p/missing', deep] });
  // Tagging (host-key fingerprints): a missing parameter, another resource type, the 50-tag limit,
  // and a SecureString read with decryption by credentials that may not decrypt.
  for (const operation of ['AddTagsToResource', 'RemoveTagsFromResource', 'ListTagsForResource']) {
    for (const target of [
      { ResourceType: 'Parameter', ResourceId: '/p/missing' },
      { ResourceType: 'Document', ResourceId: '/p/tagged' },
      { ResourceType: 'Parameter', ResourceId: '/aws/reference/secretsmanager/none' },
    ])
      await call(operation, { ...target, Tags: [{ Key: 'a', Value: 'b' }], TagKeys: ['a'] });
  }
  const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  await call('AddTagsToResource', { ResourceType: 'Parameter', ResourceId: '/p/tagged', Tags: many });
  await call('PutParameter', { Name: '/p/secure', Value: 'x', Type: 'SecureString' });
  ssm.setDecryption('denied');
  await call('GetParameter', { Name: '/p/secure', WithDecryption: true });
  await call('GetParametersByPath', { Path: '/p', WithDecryption: true });
  return seen;
}
