// push's plan (push-plan.ts) with addresses: another account's document is created under its nested
// name, matched by address (not by ServerId alone) and pruned by address.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { planPush } from '../../functions/reconciler/desired/push-plan.ts';

const P = '/p/';
const ID = 's-0000000000000002a';
const EU = { accountId: '111111111111', region: 'eu-west-1', serverId: ID };
const US = { accountId: '111111111111', region: 'us-east-1', serverId: ID };

describe('planPush with addresses', () => {
  test('the same ServerId in the hub and in two regions of an account: three parameters, each compared with its own', () => {
    const local = [
      { serverId: ID, file: 'hub.yaml', raw: { Protocols: ['SFTP'] } },
      { serverId: ID, address: EU, file: 'eu.yaml', raw: { Protocols: ['SFTP'] } },
      { serverId: ID, address: US, file: 'us.yaml', raw: { Protocols: ['FTP'] } },
    ];
    const stored = [
      { serverId: ID, address: EU, name: `${P}111111111111/eu-west-1/${ID}`, text: '{"Protocols":["SFTP"]}', type: 'String', version: 3 },
    ];
    const actions = planPush(local, stored, { prefix: P, prune: false });
    assert.deepEqual(
      actions.map((a) => [a.kind, a.name]),
      [
        ['unchanged', `${P}111111111111/eu-west-1/${ID}`],
        ['create', `${P}111111111111/us-east-1/${ID}`],
        ['create', `${P}${ID}`],
      ],
    );
    assert.deepEqual(actions[1]?.address, US);
    assert.equal(actions[2]?.address, undefined, 'a hub action carries no address');
  });

  test("prune deletes by address: the hub document survives when only another account's copy is gone", () => {
    const stored = [
      { serverId: ID, name: `${P}${ID}`, text: '{}', type: 'String' },
      { serverId: ID, address: EU, name: `${P}111111111111/eu-west-1/${ID}`, text: '{}', type: 'String' },
    ];
    const actions = planPush([{ serverId: ID, file: 'hub.yaml', raw: {} }], stored, { prefix: P, prune: true });
    assert.deepEqual(
      actions.map((a) => [a.kind, a.name]),
      [
        ['unchanged', `${P}${ID}`],
        ['delete', `${P}111111111111/eu-west-1/${ID}`],
      ],
    );
  });
});
