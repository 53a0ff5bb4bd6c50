// The pipeline's three Lambda functions built from the real handlers (createHandler of router.ts,
// worker.ts, enumerator.ts) as Lambda runs them: each instance with its own SDK clients signed as
// the worker's role (an emulator access key starting `reconciler`, so their CloudTrail events carry
// its issuer ARN and the rules drop them) and its own Logger/Metrics pair writing into one captured
// log per function. Every client built is destroyed by `destroy()`.
import { SQSClient } from '@aws-sdk/client-sqs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { TransferClient } from '@aws-sdk/client-transfer';
import type { Context, ScheduledEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Clock } from '../../../functions/reconciler/apply/clock.ts';
import type { AwsClients } from '../../../functions/reconciler/aws/clients.ts';
import { clientConfig } from '../../../functions/reconciler/aws/clients.ts';
import { workerPacing } from '../../../functions/handlers/lib/config.ts';
import type { HandlerConfig } from '../../../functions/handlers/lib/config.ts';
import { instrumentClients } from '../../../functions/handlers/lib/clients.ts';
import { createHandler as createRouter } from '../../../functions/handlers/router.ts';
import { createHandler as createWorker } from '../../../functions/handlers/worker.ts';
import { createHandler as createEnumerator } from '../../../functions/handlers/enumerator.ts';
import type { Captured } from '../lambda/captured-observability.ts';

/** The worker role's access key in the emulator (principals.ts: `reconciler*` → the worker role). */
export const WORKER_KEY = { accessKeyId: 'reconciler-worker', secretAccessKey: 'x' };

export type RouterHandler = (event: { id?: string }, context: Context) => Promise<unknown>;
export type WorkerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
export type EnumeratorHandler = (event: ScheduledEvent, context: Context) => Promise<unknown>;

export interface FunctionSettings {
  endpointUrl: string;
  region: string;
  config: HandlerConfig;
  queueUrl: string;
  logs: { router: Captured; worker: Captured; enumerator: Captured };
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** The worker's clock (sleeps while a server changes state); default real time. */
  clock?: Clock;
  /** false: the worker does not shorten the retry delay (failed records wait the visibility timeout). */
  requeue?: false;
}

export class PipelineFunctions {
  private readonly destroyers: Array<() => void> = [];
  /** The SQS client the runner itself uses (queue creation, depth). */
  readonly sqs: SQSClient;
  private readonly s: FunctionSettings;
  constructor(settings: FunctionSettings) {
    this.s = settings;
    this.sqs = this.queueClient();
  }

  private settings(): Record<string, unknown> {
    return { ...clientConfig({ endpointUrl: this.s.endpointUrl, region: this.s.region }), credentials: this.s.credentials ?? WORKER_KEY };
  }

  private queueClient(): SQSClient {
    const sqs = new SQSClient(this.settings());
    this.destroyers.push(() => sqs.destroy());
    return sqs;
  }

  private clients(config: HandlerConfig): AwsClients {
    const c = this.settings();
    const clients = { transfer: new TransferClient(c), ssm: new SSMClient(c), ec2: new EC2Client(c) };
    this.destroyers.push(() => {
      clients.transfer.destroy();
      clients.ssm.destroy();
      clients.ec2.destroy();
    });
    return instrumentClients(clients, config, this.s.clock);
  }

  router(): RouterHandler {
    const { config, queueUrl } = this.s;
    return createRouter({ config, clients: this.clients(config), sqs: this.queueClient(), queueUrl, ...this.s.logs.router.another() });
  }

  worker(): WorkerHandler {
    const { config, queueUrl } = this.s;
    return createWorker({
      config,
      clients: this.clients(workerPacing(config)),
      ...(this.s.clock ? { clock: this.s.clock } : {}),
      ...(this.s.requeue === false ? {} : { requeue: { sqs: this.queueClient(), queueUrl } }),
      ...this.s.logs.worker.another(),
    });
  }

  enumerator(): EnumeratorHandler {
    const { config, queueUrl } = this.s;
    return createEnumerator({
      config,
      clients: this.clients(config),
      sqs: this.queueClient(),
      queueUrl,
      ...this.s.logs.enumerator.another(),
    });
  }

  destroy(): void {
    for (const d of this.destroyers.splice(0)) d();
  }
}
