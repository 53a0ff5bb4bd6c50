// The enumerator across accounts on the emulator: one schedule message per document, other
// accounts' documents included when the accounts file lists their account-region (each in its own
// message group, the address's key), unlisted ones reported and not enqueued; the worker then
// reconciles each in its own account-region.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { TransferClient } from '@aws-sdk/client-transfer';
import { clientConfig } from '../../functions/reconciler/aws/clients.ts';
import { PREFIX } from '../helpers/engine.ts';
import { emulatorForTests } from '../helpers/emulator.ts';
import { A, B, C, EU, HUB, SPOKE_ROLE, US, misplacedCalls, organisation } from './accounts-fixture.ts';
import type { Place } from './accounts-fixture.ts';
import { startPipeline } from './pipeline-harness.ts';
import { enumeratorFor } from './pipeline-steps.ts';

const POLICY = 'TransferSecurityPolicy-2024-01';
const emu = await emulatorForTests({ transitionDelayMs: 0 });
const org = await organisation(emu);
const pipe = await startPipeline(emu, {
  name: 'accounts-enumerator',
  env: { DESIRED_STATE_PREFIX: PREFIX, TRANSFER_CALLS_PER_SECOND: '500', SSM_CALLS_PER_SECOND: '500' },
});
if (!pipe.config.reconcilerRoleArns.includes(SPOKE_ROLE)) pipe.config.reconcilerRoleArns.push(SPOKE_ROLE);
const c = { ...clientConfig({ endpointUrl: emu.url }), credentials: { accessKeyId: 'reconciler-enumerator', secretAccessKey: 'x' } };
const hubClients = { transfer: new TransferClient(c), ssm: new SSMClient(c), ec2: new EC2Client(c) };
after(() => [hubClients.transfer, hubClients.ssm, hubClients.ec2].forEach((x) => x.destroy()));

describe('the enumerator across accounts', () => {
  test('listed accounts’ documents are enqueued and reconciled there; unlisted ones are reported', async () => {
    pipe.deaf = true;
    const servers = new Map<string, Place>();
    const keys: string[] = [];
    for (const p of [
      { account: HUB, region: US },
      { account: A, region: EU },
      { account: B, region: EU },
    ]) {
      const id = await org.createServer(p);
      servers.set(id, p);
      const key = p.account === HUB ? id : `${p.account}/${p.region}/${id}`;
      keys.push(key);
      await org.putDocument(`${PREFIX}${key}`, { SecurityPolicyName: POLICY });
    }
    await org.putDocument(`${PREFIX}${C}/${US}/s-0000000000000000c`, { SecurityPolicyName: POLICY });
    await pipe.routed();
    const result = await enumeratorFor(pipe, hubClients).run();
    assert.equal(result.documents, 1);
    assert.equal(result.addressed, 2);
    assert.deepEqual(result.unlisted, [`${C}/${US}/s-0000000000000000c`]);
    assert.equal(result.send.sent, 3);
    const outcomes = await pipe.drain();
    assert.deepEqual(
      outcomes.map((o) => [o.accountId ?? 'hub', o.trigger]).sort(),
      [
        [A, 'schedule'],
        ['hub', 'schedule'],
        [B, 'schedule'],
      ].sort(),
    );
    // B's role trusts the worker with the right external id in this organisation: every document converges.
    assert.deepEqual(
      outcomes.map((o) => o.result),
      ['updated', 'updated', 'updated'],
    );
    assert.deepEqual(misplacedCalls(emu.calls.list(0, {}), servers), []);
    pipe.deaf = false;
  });
});
