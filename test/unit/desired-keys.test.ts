// The key catalogue: what desired-state.md lists, taken from the Transfer model's data.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CatalogueNode } from '../../functions/reconciler/desired/catalogue-types.ts';
import { DOCUMENT, DOCUMENT_KEYS, SET_PATHS, nodeAt, transferModel } from '../../functions/reconciler/desired/keys.ts';

describe('key catalogue', () => {
  test("the top-level keys are UpdateServer's (but ServerId and HostKey as they are) plus the document's own", () => {
    const request = Object.keys(transferModel.shapes.UpdateServerRequest?.members ?? {}).filter((k) => k !== 'ServerId' && k !== 'HostKey');
    assert.deepEqual(
      [...DOCUMENT_KEYS].sort(),
      [...request, '$schema', 'ServerId', 'HostKey', 'HostKeys', 'Tags', 'CustomHostname', 'State', 'Reconciler'].sort(),
    );
    for (const key of [
      'Certificate',
      'ProtocolDetails',
      'EndpointType',
      'EndpointDetails',
      'IdentityProviderType',
      'IdentityProviderDetails',
      'LoggingRole',
      'PostAuthenticationLoginBanner',
      'PreAuthenticationLoginBanner',
      'Protocols',
      'SecurityPolicyName',
      'WorkflowDetails',
      'StructuredLogDestinations',
      'S3StorageOptions',
      'IpAddressType',
    ]) {
      assert.ok(DOCUMENT_KEYS.includes(key), key);
    }
  });

  test('nested members come from the model', () => {
    const members = (path: string): string[] => {
      const node = nodeAt(path);
      return node?.type === 'object' ? Object.keys(node.members) : [];
    };
    assert.deepEqual(members('ProtocolDetails'), ['PassiveIp', 'TlsSessionResumptionMode', 'SetStatOption', 'As2Transports']);
    assert.deepEqual(members('EndpointDetails'), ['AddressAllocationIds', 'SubnetIds', 'VpcEndpointId', 'VpcId', 'SecurityGroupIds']);
    assert.deepEqual(members('IdentityProviderDetails'), ['Url', 'InvocationRole', 'DirectoryId', 'Function', 'SftpAuthenticationMethods']);
    assert.deepEqual(members('WorkflowDetails'), ['OnUpload', 'OnPartialUpload']);
    assert.deepEqual(members('WorkflowDetails.OnUpload[]'), ['WorkflowId', 'ExecutionRole']);
    assert.deepEqual(members('S3StorageOptions'), ['DirectoryListingOptimization']);
    assert.deepEqual(members('HostKey'), ['SecureStringParameter']);
    assert.deepEqual(members('Tags[]'), ['Key', 'Value']);
    assert.deepEqual(members('Reconciler'), ['Mode', 'AllowOfflineChanges', 'AllowHostKeyRotation', 'PruneTags']);
  });

  test("lengths, patterns and enums are the model's", () => {
    const banner = nodeAt('PreAuthenticationLoginBanner');
    const model = transferModel.shapes.PreAuthenticationLoginBanner;
    assert.equal(banner?.type, 'string');
    if (banner?.type === 'string') {
      assert.equal(banner.shape, 'PreAuthenticationLoginBanner');
      assert.equal(banner.max, model?.max);
      assert.equal(banner.pattern, model?.pattern);
    }
    const protocols = nodeAt('Protocols[]');
    assert.deepEqual(protocols?.type === 'string' ? protocols.enum : undefined, transferModel.shapes.Protocol?.enum);
    assert.equal(nodeAt('LoggingRole')?.shape, 'NullableRole');
    assert.equal(nodeAt('WorkflowDetails.OnUpload[].ExecutionRole')?.shape, 'Role');
  });

  test('exactly the documented lists are sets', () => {
    const sets: string[] = [];
    const walk = (node: CatalogueNode, path: string): void => {
      if (node.type === 'object') for (const [k, v] of Object.entries(node.members)) walk(v, path ? `${path}.${k}` : k);
      if (node.type === 'list') {
        if (node.set) sets.push(path);
        walk(node.item, `${path}[]`);
      }
    };
    walk(DOCUMENT, '');
    assert.deepEqual(sets.sort(), [...SET_PATHS].sort());
    assert.deepEqual([...SET_PATHS].sort(), [
      'EndpointDetails.AddressAllocationIds',
      'EndpointDetails.SecurityGroupIds',
      'EndpointDetails.SubnetIds',
      'ProtocolDetails.As2Transports',
      'Protocols',
      'StructuredLogDestinations',
    ]);
  });

  test('every node has a description', () => {
    const walk = (node: CatalogueNode, path: string): void => {
      assert.ok(node.description.length > 0, path);
      if (node.type === 'object') for (const [k, v] of Object.entries(node.members)) walk(v, `${path}.${k}`);
      if (node.type === 'list') walk(node.item, `${path}[]`);
    };
    walk(DOCUMENT, '$');
  });

  test('nodeAt is undefined for paths outside the catalogue', () => {
    assert.equal(nodeAt('Nope'), undefined);
    assert.equal(nodeAt('Protocols.Nope'), undefined);
    assert.equal(nodeAt('Certificate[]'), undefined);
  });
});
