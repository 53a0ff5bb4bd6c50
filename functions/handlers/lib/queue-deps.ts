// What the router and the enumerator are built from: a handler's deps plus the queue they send to,
// read from the environment in one place (config.ts) at the first invocation.
import type { SQSClient } from '@aws-sdk/client-sqs';
import { queueClient } from '../../reconciler/aws/clients.ts';
import { lambdaClients } from './clients.ts';
import { readConfig, requireQueueUrl } from './config.ts';
import type { HandlerDeps } from './deps.ts';
import { createObservability } from './observability.ts';

export interface QueueDeps extends HandlerDeps {
  sqs: SQSClient;
  queueUrl: string;
}

export function queueDepsFromEnvironment(): QueueDeps {
  const config = readConfig();
  return {
    config,
    clients: lambdaClients(config),
    sqs: queueClient(config.endpointUrl ? { endpointUrl: config.endpointUrl } : {}),
    queueUrl: requireQueueUrl(config),
    ...createObservability(),
  };
}
