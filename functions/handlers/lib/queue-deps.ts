// What the router and the enumerator are built from: a handler's deps plus the queue they send to.
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { HandlerDeps } from './deps.ts';

export interface QueueDeps extends HandlerDeps {
  sqs: SQSClient;
  queueUrl: string;
}
