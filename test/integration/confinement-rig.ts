// The rig both confinement tests run on: the pipeline on the emulator with its router deaf to the
// emulator's own events (each case invokes a router with the event it names), real SDK clients,
// and two servers whose real documents differ from them, so any reconcile that did happen would
// write: "zero calls" and "zero writes" cannot hold by accident.
import type { ParameterChangeEvent } from '../../functions/handlers/lib/parameter-event.ts';
import { createHandler as createRouter } from '../../functions/handlers/router.ts';
import type { CallLogEntry } from '../../infra/local/types.ts';
import { PREFIX, engineForTests } from '../helpers/engine.ts';
import type { Engine } from '../helpers/engine.ts';
import { capturedObservability, lambdaContext } from './handlers-harness.ts';
import { startPipeline } from './pipeline-harness.ts';

export const KEYS = '/transfer-reconciler/host-keys/';
export const POLICY = 'TransferSecurityPolicy-2024-01';

export function changeEvent(name: unknown, overrides: Record<string, unknown> = {}, operation: unknown = 'Update'): ParameterChangeEvent {
  return {
    version: '0',
    id: `e-${Math.random().toString(16).slice(2)}`,
    'detail-type': 'Parameter Store Change',
    source: 'aws.ssm',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [`arn:aws:ssm:us-east-1:000000000000:parameter${String(name)}`],
    detail: { operation, name, type: 'String', description: '' },
    ...overrides,
  } as ParameterChangeEvent;
}

/** Calls in the log that name the server (its ServerId or its ARN). */
export const callsAbout = (calls: CallLogEntry[], id: string) => calls.filter((c) => (c.target ?? '').includes(id));
export const writesTo = (calls: CallLogEntry[], id: string) =>
  callsAbout(calls, id).filter((c) => c.service === 'transfer' && c.operation !== 'DescribeServer');

export async function confinementRig(name: string) {
  const engine: Engine = await engineForTests();
  const pipe = await startPipeline(engine.emu, {
    name,
    env: {
      DESIRED_STATE_PREFIX: PREFIX,
      HOST_KEY_PREFIX: KEYS,
      TRANSFER_CALLS_PER_SECOND: '500',
      SSM_CALLS_PER_SECOND: '500',
      OFFLINE_WINDOW_MS: '1000',
    },
  });
  pipe.deaf = true;
  const obs = capturedObservability();
  const route = createRouter({ config: pipe.config, clients: engine.clients, sqs: pipe.sqs, queueUrl: pipe.queueUrl, ...obs });

  /** Routes the event with the call log cleared first, then drains the queue; every non-SQS AWS call both made. */
  async function invoke(event: ParameterChangeEvent) {
    engine.mark();
    obs.clear();
    pipe.worker.clear();
    const routed = await route(event as { id?: string }, lambdaContext(60_000));
    const outcomes = await pipe.drain();
    const calls = engine.calls().filter((c) => c.service !== 'sqs');
    const result = { results: outcomes.map((o) => `${o.serverId}: ${o.result}`) };
    return { routed, result, outcomes, calls, operations: calls.map((c) => `${c.service}:${c.operation}`) };
  }

  /** A server whose document under the real prefix asks for a change (a reconcile would write). */
  async function driftingServer(): Promise<string> {
    const id = await engine.createServer();
    if ((await engine.describe(id)).SecurityPolicyName === POLICY) throw new Error('a new server already has the policy');
    await engine.putDocument(id, { SecurityPolicyName: POLICY });
    return id;
  }

  return { engine, pipe, obs, invoke, driftingServer, a: await driftingServer(), b: await driftingServer() };
}
