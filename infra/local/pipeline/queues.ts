// The reconcile FIFO queue and its dead-letter queue, created in the emulator with the attributes
// infra/aws/queue.yml gives them (VisibilityTimeout and maxReceiveCount are the stage parameters
// queueVisibilityTimeout / queueMaxReceiveCount; their serverless.yml defaults below).
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';

export const DEFAULT_VISIBILITY_TIMEOUT = 3600;
export const DEFAULT_MAX_RECEIVE_COUNT = 5;

export interface Queues {
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
}

async function arnOf(sqs: SQSClient, url: string): Promise<string> {
  const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return a.Attributes?.QueueArn ?? '';
}

/** `<name>.fifo` and `<name>-dlq.fifo`. */
export async function createQueues(sqs: SQSClient, name: string, visibilityTimeout: number, maxReceiveCount: number): Promise<Queues> {
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${name}-dlq.fifo`,
      Attributes: { FifoQueue: 'true', MessageRetentionPeriod: '1209600', SqsManagedSseEnabled: 'true' },
    }),
  );
  const dlqUrl = dlq.QueueUrl ?? '';
  const q = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${name}.fifo`,
      Attributes: {
        FifoQueue: 'true',
        ContentBasedDeduplication: 'false',
        DeduplicationScope: 'messageGroup',
        FifoThroughputLimit: 'perMessageGroupId',
        VisibilityTimeout: String(visibilityTimeout),
        MessageRetentionPeriod: '86400',
        SqsManagedSseEnabled: 'true',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(sqs, dlqUrl), maxReceiveCount }),
      },
    }),
  );
  const queueUrl = q.QueueUrl ?? '';
  return { queueUrl, queueArn: await arnOf(sqs, queueUrl), dlqUrl };
}

export async function queueDepth(sqs: SQSClient, url: string): Promise<{ visible: number; inFlight: number }> {
  const a = (
    await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    )
  ).Attributes;
  return { visible: Number(a?.ApproximateNumberOfMessages ?? 0), inFlight: Number(a?.ApproximateNumberOfMessagesNotVisible ?? 0) };
}
