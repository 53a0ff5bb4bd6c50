// The organisation through the local pipeline with the rules as deployed (not the harness's
// 'every-event'): a spoke forwards only what its forwarding rule lets through
// (infra/aws/spoke/template.yml ForwardApiCalls, played by infra/local/pipeline/rules.ts
// spokeForwarding). A person's console edit in a spoke reaches the hub's router and is repaired
// there; the repair, made by the spoke role's session, never leaves the spoke (the router is not
// even invoked for it); a Parameter Store change in a spoke stays there.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { startPipeline } from '../../infra/local/pipeline/runner.ts';
import { PREFIX } from '../helpers/engine.ts';
import { emulatorForTests } from '../helpers/emulator.ts';
import { captureOutput } from '../helpers/secrets.ts';
import { A, EU, SPOKE_ROLE, organisation } from './accounts-fixture.ts';
import type { Place } from './accounts-fixture.ts';

const POLICY = 'TransferSecurityPolicy-2024-01';
const OLD = 'TransferSecurityPolicy-2020-06';
const emu = await emulatorForTests({ transitionDelayMs: 0 });
const org = await organisation(emu);
const pipe = await startPipeline(emu, {
  name: 'accounts-forwarding',
  manual: true,
  env: { DESIRED_STATE_PREFIX: PREFIX, TRANSFER_CALLS_PER_SECOND: '500', SSM_CALLS_PER_SECOND: '500', SPOKE_ROLE_NAME: SPOKE_ROLE },
  onLine: (_from, raw) => captureOutput('lambda log line', raw),
});
after(() => pipe.close());
const aEu: Place = { account: A, region: EU };

async function settle(): Promise<void> {
  for (;;) {
    await pipe.routed();
    if ((await pipe.poll(60_000)) === undefined) return;
  }
}

describe("a spoke's forwarding rule, as deployed", () => {
  test("a person's edit in a spoke is forwarded and repaired; the repair is not forwarded", async () => {
    const id = await org.createServer(aEu);
    await org.putDocument(`${PREFIX}${A}/${EU}/${id}`, { SecurityPolicyName: POLICY });
    await settle();
    assert.equal((await org.describe(aEu, id)).SecurityPolicyName, POLICY);
    const before = { ...pipe.counters };
    const outcomesBefore = pipe.outcomes.length;

    await org.update(aEu, id, OLD); // a person, with the account's own key
    await settle();
    assert.equal((await org.describe(aEu, id)).SecurityPolicyName, POLICY, 'repaired in the spoke');
    assert.deepEqual(
      pipe.outcomes.slice(outcomesBefore).map((o) => [o.serverId, o.accountId, o.region, o.result, o.trigger]),
      [[id, A, EU, 'updated', 'event']],
    );
    // One event reached the hub's rules (the person's UpdateServer) and one router invocation; the
    // worker's UpdateServer in the spoke, trailed as the spoke role's session, did not leave it.
    assert.equal(pipe.counters.eventsMatched - before.eventsMatched, 1);
    assert.equal(pipe.counters.routerInvocations - before.routerInvocations, 1);
    const repair = emu.calls
      .list(0, {})
      .filter((c) => c.operation === 'UpdateServer' && c.target === id)
      .at(-1);
    assert.match(repair?.principal ?? '', new RegExp(`:assumed-role/${SPOKE_ROLE}/`));
  });

  test('a Parameter Store change in a spoke stays in the spoke', async () => {
    const before = { ...pipe.counters };
    const spokeSsm = new SSMClient({ endpoint: emu.url, region: EU, credentials: { accessKeyId: A, secretAccessKey: 'x' } });
    after(() => spokeSsm.destroy());
    await spokeSsm.send(new PutParameterCommand({ Name: `${PREFIX}s-0000000000000000a`, Value: '{}', Type: 'String', Overwrite: true }));
    await pipe.routed();
    assert.deepEqual(
      [pipe.counters.eventsMatched, pipe.counters.eventsIgnored, pipe.counters.routerInvocations],
      [before.eventsMatched, before.eventsIgnored, before.routerInvocations],
    );
  });
});
