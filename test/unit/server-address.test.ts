// The server address (server-address.ts): its three spellings — key, parameter name, git path —
// parse back to what was printed, and misnamed ones get a message naming the part that is wrong.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isRegion, partitionOfRegion } from '../../functions/reconciler/desired/aws-region.ts';
import type { ServerAddress } from '../../functions/reconciler/desired/server-address.ts';
import {
  addressKey,
  addressOfPath,
  parameterName,
  parseAddressKey,
  parseParameterName,
} from '../../functions/reconciler/desired/server-address.ts';

const PREFIX = '/transfer-reconciler/servers/';
const ID = 's-0123456789abcdef0';
// AWS's regions of every partition (the SDK's partitions data, December 2026) and a few to come.
const REGIONS = [
  ...['af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2'],
  ...['ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7', 'ca-central-1'],
  ...['ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3'],
  ...['il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'],
  ...['cn-north-1', 'cn-northwest-1', 'us-gov-east-1', 'us-gov-west-1', 'us-iso-east-1', 'us-iso-west-1', 'us-isob-east-1'],
  ...['eu-isoe-west-1', 'us-isof-south-1', 'us-isof-east-1', 'eusc-de-east-1', 'ap-southeast-10'],
];

const hex = fc.stringMatching(/^[0-9a-f]{17}$/).map((h) => `s-${h}`);
const account = fc.stringMatching(/^\d{12}$/);
const region = fc.constantFrom(...REGIONS);
const address: fc.Arbitrary<ServerAddress> = fc.oneof(
  hex.map((serverId) => ({ serverId })),
  fc.record({ accountId: account, region, serverId: hex }).map((a) => ({ ...a })),
);

describe('server address', () => {
  test('key, parameter name and git path parse back to the address printed (property)', () => {
    fc.assert(
      fc.property(address, fc.constantFrom('.yaml', '.yml', '.json'), fc.constantFrom('', 'servers/', 'a/b/'), (a, ext, folder) => {
        assert.deepEqual(parseAddressKey(addressKey(a)), { ok: true, address: a });
        assert.deepEqual(parseParameterName(PREFIX, parameterName(PREFIX, a)), { ok: true, address: a });
        assert.deepEqual(addressOfPath(`/repo/${folder}${addressKey(a)}${ext}`), { ok: true, address: a });
      }),
      { numRuns: 300 },
    );
  });

  test("printing: a hub key is the ServerId, another account's is <AccountId>/<Region>/<ServerId>", () => {
    assert.equal(addressKey({ serverId: ID }), ID);
    assert.equal(addressKey({ accountId: '111111111111', region: 'eu-west-1', serverId: ID }), `111111111111/eu-west-1/${ID}`);
    assert.equal(
      parameterName(PREFIX, { accountId: '111111111111', region: 'eu-west-1', serverId: ID }),
      `${PREFIX}111111111111/eu-west-1/${ID}`,
    );
  });

  test('every AWS region is a region, with its partition; misspellings are not', () => {
    for (const r of REGIONS) assert.ok(isRegion(r), r);
    for (const bad of ['eu-wst-1', 'EU-WEST-1', 'eu-west', 'euwest1', 'eu-west-0', 'mars-north-1x', 'eu-west-1 ', 'us-gov-west'])
      assert.ok(!isRegion(bad), bad);
    assert.deepEqual(
      [
        'cn-north-1',
        'us-gov-west-1',
        'us-iso-east-1',
        'us-isob-east-1',
        'eu-isoe-west-1',
        'us-isof-south-1',
        'eusc-de-east-1',
        'eu-west-1',
      ].map(partitionOfRegion),
      ['aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc', 'aws'],
    );
  });

  test('misnamed keys and parameters: bad account id, bad region, account without region, bad ServerId', () => {
    const message = (key: string): string => {
      const r = parseParameterName(PREFIX, `${PREFIX}${key}`);
      assert.ok(r && !r.ok, key);
      return r.message;
    };
    assert.match(message(`11111111111/eu-west-1/${ID}`), /"11111111111" is not an AWS account id: 12 digits \(it has 11 digits\)/);
    assert.match(message(`111111111111/eu-wst-1/${ID}`), /"eu-wst-1" is not an AWS region/);
    assert.match(message(`111111111111/${ID}`), /account 111111111111 has no region: the name must be <AccountId>\/<Region>\/<ServerId>/);
    assert.match(message('not-a-server'), /"not-a-server" is not a ServerId/);
    assert.match(message(`111111111111/eu-west-1/x/${ID}`), /too many "\/" parts/);
    assert.match(message(`111111111111/eu-west-1/s-123`), /"s-123" is not a ServerId/);
    for (const m of [message('x'), message(`1/eu-west-1/${ID}`)])
      assert.match(m, /the name must be \/transfer-reconciler\/servers\/<ServerId> or/);
  });

  test('names that were never documents stay unlisted: outside the prefix, or nested without an account part', () => {
    assert.equal(parseParameterName(PREFIX, `/elsewhere/${ID}`), undefined);
    assert.equal(parseParameterName(PREFIX, `${PREFIX}${ID}/nested`), undefined);
    assert.equal(parseParameterName(PREFIX, `${PREFIX}archive/eu-west-1/${ID}`), undefined);
  });

  test('git paths: folders that are not an account leave a hub document; near misses are refused', () => {
    for (const p of [`prod/${ID}.yaml`, `eu-west-1/${ID}.yaml`, `team/eu-west-1/${ID}.json`, `2024/q1/${ID}.yml`, `${ID}.yaml`])
      assert.deepEqual(addressOfPath(`/repo/${p}`), { ok: true, address: { serverId: ID } }, p);
    const bad = (p: string): string => {
      const r = addressOfPath(`/repo/${p}`);
      assert.ok(!r.ok, p);
      return r.message;
    };
    assert.match(
      bad(`111111111111/${ID}.yaml`),
      /in an account folder \(111111111111\) without a region folder: move it to 111111111111\/<Region>\//,
    );
    assert.match(
      bad(`111111111111/eu-wst-1/${ID}.yaml`),
      /the folder under account folder 111111111111 must be a region: "eu-wst-1" is not an AWS region/,
    );
    assert.match(
      bad(`1111111111111/eu-west-1/${ID}.yaml`),
      /the folder above region folder eu-west-1 must be an account: .* \(it has 13 digits\)/,
    );
    assert.match(bad('111111111111/eu-west-1/server.yaml'), /the file name must be <ServerId>/);
    assert.deepEqual(addressOfPath(`C:\\repo\\111111111111\\us-gov-west-1\\${ID}.yaml`), {
      ok: true,
      address: { accountId: '111111111111', region: 'us-gov-west-1', serverId: ID },
    });
  });
});
