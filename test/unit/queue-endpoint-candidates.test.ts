// Which documents' servers are read to map a ModifyVpcEndpoint event: only those that manage
// EndpointDetails (nothing else can drift through the endpoint), EndpointType VPC first, never
// PUBLIC ones, and never an unparseable one.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointCandidates } from '../../functions/reconciler/queue/endpoint-servers.ts';
import type { ListedDocument } from '../../functions/reconciler/desired/load-ssm.ts';

const doc = (n: number, value: unknown): ListedDocument => {
  const serverId = `s-${String(n).padStart(17, '0')}`;
  return { serverId, name: `/p/${serverId}`, type: 'String', text: typeof value === 'string' ? value : JSON.stringify(value) };
};

describe('endpointCandidates', () => {
  test('documents managing EndpointDetails, VPC ones first; PUBLIC, none and broken ones left out', () => {
    const docs = [
      doc(1, { EndpointDetails: { SecurityGroupIds: ['sg-1'] } }),
      doc(2, { SecurityPolicyName: 'x' }),
      doc(3, { EndpointType: 'VPC', EndpointDetails: { SubnetIds: ['subnet-1'] } }),
      doc(4, { EndpointType: 'PUBLIC', EndpointDetails: {} }),
      doc(5, '{broken'),
      doc(6, { EndpointType: 'VPC', EndpointDetails: { SecurityGroupIds: ['sg-2'] } }),
    ];
    assert.deepEqual(
      endpointCandidates(docs).map((d) => d.serverId.slice(-1)),
      ['3', '6', '1'],
    );
  });
});
