// The ec2 query protocol codec: form bodies decoded into the model's input shapes (flattened
// 1-based lists, structures in lists, typed scalars, unknown parameters reported), and answers
// and errors written as EC2 writes them (namespace, requestId, <item> lists, the error envelope).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../infra/local/aws-error.ts';
import { decodeInput, parseForm } from '../../infra/local/ec2/query.ts';
import { encodeError, encodeResponse, escapeXml } from '../../infra/local/ec2/xml.ts';

const decode = (shape: string, body: string) => decodeInput(shape, parseForm(body).params);

describe('ec2 query decoding', () => {
  test('Action and Version are read; list members by their locationName, 1-based and in index order', () => {
    const body =
      'Action=ModifyVpcEndpoint&Version=2016-11-15&VpcEndpointId=vpce-0123456789abcdef0&AddSecurityGroupId.2=sg-2&AddSecurityGroupId.1=sg-1&RemoveSecurityGroupId.1=sg-3';
    const request = parseForm(body);
    assert.equal(request.action, 'ModifyVpcEndpoint');
    assert.equal(request.version, '2016-11-15');
    const { input, unknownParams } = decode('ModifyVpcEndpointRequest', body);
    assert.deepEqual(input, {
      VpcEndpointId: 'vpce-0123456789abcdef0',
      AddSecurityGroupIds: ['sg-1', 'sg-2'],
      RemoveSecurityGroupIds: ['sg-3'],
    });
    assert.deepEqual(unknownParams, []);
  });

  test('filters: structures inside a list, with their own lists (Filter.N.Name, Filter.N.Value.M)', () => {
    const { input } = decode(
      'DescribeVpcEndpointsRequest',
      'Action=DescribeVpcEndpoints&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-a&Filter.1.Value.2=vpc-b&Filter.2.Name=vpc-endpoint-id&Filter.2.Value.1=vpce-1&VpcEndpointId.1=vpce-1',
    );
    assert.deepEqual(input, {
      VpcEndpointIds: ['vpce-1'],
      Filters: [
        { Name: 'vpc-id', Values: ['vpc-a', 'vpc-b'] },
        { Name: 'vpc-endpoint-id', Values: ['vpce-1'] },
      ],
    });
  });

  test('integers and booleans are typed; a value that is neither is InvalidParameterValue', () => {
    assert.deepEqual(decode('DescribeSecurityGroupsRequest', 'MaxResults=5&DryRun=true').input, { MaxResults: 5, DryRun: true });
    for (const body of ['MaxResults=five', 'DryRun=yes']) {
      assert.throws(
        () => decode('DescribeSecurityGroupsRequest', body),
        (err: unknown) => err instanceof AwsError && err.code === 'InvalidParameterValue' && err.status === 400,
      );
    }
  });

  test('parameters the model does not know are reported, not taken', () => {
    const { input, unknownParams } = decode(
      'DescribeSecurityGroupsRequest',
      'Action=DescribeSecurityGroups&Version=2016-11-15&GroupIds.1=sg-1&Bogus=1',
    );
    assert.deepEqual(input, {});
    assert.deepEqual(unknownParams.sort(), ['Bogus', 'GroupIds.1']);
  });

  test('an empty list travels as the bare name', () => {
    assert.deepEqual(decode('ModifyVpcEndpointRequest', 'VpcEndpointId=vpce-1&AddSecurityGroupId=').input, {
      VpcEndpointId: 'vpce-1',
      AddSecurityGroupIds: [],
    });
  });
});

describe('ec2 XML answers', () => {
  test('the response element, the 2016-11-15 namespace with its slash, requestId first, locationNames and <item> lists', () => {
    const xml = encodeResponse(
      'DescribeVpcEndpoints',
      'DescribeVpcEndpointsResult',
      {
        VpcEndpoints: [
          {
            VpcEndpointId: 'vpce-1',
            Groups: [{ GroupId: 'sg-1', GroupName: 'a&b' }],
            PrivateDnsEnabled: false,
            CreationTimestamp: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
            SubnetIds: [],
          },
        ],
      },
      'req-1',
    );
    assert.equal(
      xml,
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<DescribeVpcEndpointsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId>' +
        '<vpcEndpointSet><item><vpcEndpointId>vpce-1</vpcEndpointId><subnetIdSet></subnetIdSet>' +
        '<groupSet><item><groupId>sg-1</groupId><groupName>a&amp;b</groupName></item></groupSet>' +
        '<privateDnsEnabled>false</privateDnsEnabled><creationTimestamp>2026-01-02T03:04:05.678Z</creationTimestamp></item></vpcEndpointSet>' +
        '</DescribeVpcEndpointsResponse>',
    );
  });

  test('ModifyVpcEndpoint answers <return>true</return>', () => {
    assert.match(
      encodeResponse('ModifyVpcEndpoint', 'ModifyVpcEndpointResult', { Return: true }, 'r'),
      /<requestId>r<\/requestId><return>true<\/return><\/ModifyVpcEndpointResponse>$/,
    );
  });

  test("errors in EC2's envelope, text escaped", () => {
    assert.equal(
      encodeError('InvalidVpcEndpointId.NotFound', "The Vpc Endpoint Id 'vpce-<x>' does not exist", 'rid'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidVpcEndpointId.NotFound</Code>' +
        '<Message>The Vpc Endpoint Id &apos;vpce-&lt;x&gt;&apos; does not exist</Message></Error></Errors><RequestID>rid</RequestID></Response>',
    );
    assert.equal(escapeXml(`<&>"'`), '&lt;&amp;&gt;&quot;&apos;');
  });
});
