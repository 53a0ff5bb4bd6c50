// The pipeline rig for an organisation benchmark (org-sweep-run.ts, org-burst-run.ts): the org
// seeded, the Lambdas' environment from the scenario, every worker instance in its own thread (as
// Lambda runs them apart from the services) and warm (as a deployment that has been running has;
// cold starts are benchmark 5's), the spoke role's sessions counted as the reconciler's own (as
// serverless.yml does); then `throttle` switches on the emulator's quotas in every account-region.
import { buildMessage, listedDocument } from '../../functions/reconciler/queue/message.ts';
import { sendMessages } from '../../functions/reconciler/aws/sqs-api.ts';
import type { PipelineRunner } from '../../infra/local/pipeline/runner.ts';
import type { Org, OrgServer } from './org-fleet.ts';
import { SPOKE_ROLE, seedOrg } from './org-fleet.ts';
import { startRig } from './pipeline-rig.ts';
import type { Rig } from './pipeline-rig.ts';
import type { OrgSweepScenario } from './org-sweep-run.ts';

export async function startOrgRig(s: OrgSweepScenario, org: Org): Promise<Rig> {
  const rig = await startRig({
    env: {
      TRANSFER_CALLS_PER_SECOND: String(s.transferRate),
      SSM_CALLS_PER_SECOND: String(s.ssmRate),
      WORKER_MAX_CONCURRENCY: String(s.workers),
      RECONCILE_CONCURRENCY: String(s.reconcileConcurrency),
    },
    seed: (emu) => seedOrg(emu, org),
    pipeline: { workerThreads: true },
  });
  try {
    // The spokes' forwarding rule keeps the repairs' CloudTrail events at home; the router would drop them as well.
    if (!rig.pipeline.config.reconcilerRoleArns.includes(SPOKE_ROLE)) rig.pipeline.config.reconcilerRoleArns.push(SPOKE_ROLE);
    await rig.pipeline.warm();
  } catch (err) {
    await rig.stop();
    throw err;
  }
  return rig;
}

/** Every account-region's Transfer (and the hub's SSM) throttled at the scenario's rates, burst = rate; the call log's position then. */
export function throttle(rig: Rig, s: OrgSweepScenario): number {
  const rule = (rate: number) => ({ throttle: { rate, burst: rate }, ...(s.latency ? { latency: s.latency } : {}) });
  rig.emu.faults.set({ seed: s.seed ?? 7, services: { transfer: rule(s.transferRate), ssm: rule(s.ssmRate) } });
  return rig.emu.calls.list(0, {}).at(-1)?.seq ?? 0;
}

/**
 * Schedule messages for `servers`, in that order, as the enumerator would send them (each carrying
 * its document as listed), 10 per SendMessageBatch and 4 batches in flight.
 */
export async function sendSchedule(pipeline: PipelineRunner, servers: readonly OrgServer[], source: string): Promise<void> {
  const sentAt = new Date().toISOString();
  const messages = servers.map((v) =>
    buildMessage({
      serverId: v.serverId,
      accountId: v.account,
      region: v.region,
      trigger: 'schedule',
      reason: 'schedule',
      sentAt,
      source,
      document: listedDocument({ name: v.name, version: 1, type: 'String', text: JSON.stringify(v.document) }),
    }),
  );
  const chunks: (typeof messages)[] = [];
  for (let i = 0; i < messages.length; i += 10) chunks.push(messages.slice(i, i + 10));
  for (let i = 0; i < chunks.length; i += 4)
    await Promise.all(chunks.slice(i, i + 4).map((c) => sendMessages(pipeline.sqs, pipeline.queueUrl, c)));
}
