// Queue attributes: what CreateQueue / SetQueueAttributes accept (checked as SQS checks them,
// InvalidAttributeName / InvalidAttributeValue) and what GetQueueAttributes answers.
import type { QueueSettings, SqsQueue } from './queue.ts';
import { sqsError } from './sqs-errors.ts';

const SETTABLE = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'Policy',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
];

const RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};

export const DEFAULT_ATTRIBUTES: Record<string, string> = {
  DelaySeconds: '0',
  MaximumMessageSize: '262144',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
};

/** Checks attributes to set; `creating` allows FifoQueue (it cannot change later). */
export function checkAttributes(attrs: Record<string, string>, fifo: boolean, creating: boolean): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (!SETTABLE.includes(name) || (name === 'FifoQueue' && !creating))
      throw sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    const range = RANGES[name];
    if (range && !(/^\d+$/.test(value) && Number(value) >= range[0] && Number(value) <= range[1]))
      throw sqsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);
    if ((name === 'FifoQueue' || name === 'ContentBasedDeduplication') && value !== 'true' && value !== 'false')
      throw sqsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);
    if (!fifo && ['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'].includes(name))
      throw sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    if (name === 'RedrivePolicy' && value !== '') parseRedrive(value);
  }
}

export function parseRedrive(value: string): { deadLetterTargetArn: string; maxReceiveCount: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw sqsError(
      'InvalidAttributeValue',
      'Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.',
    );
  }
  const p = (parsed ?? {}) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  const count = Number(p.maxReceiveCount);
  if (typeof p.deadLetterTargetArn !== 'string' || !/^arn:aws:sqs:[^:]+:\d{12}:.+$/.test(p.deadLetterTargetArn))
    throw sqsError('InvalidAttributeValue', 'Invalid value for the parameter RedrivePolicy. Reason: Invalid deadLetterTargetArn.');
  if (!Number.isInteger(count) || count < 1 || count > 1000)
    throw sqsError('InvalidAttributeValue', 'Invalid value for the parameter RedrivePolicy. Reason: Invalid value for maxReceiveCount.');
  return { deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: count };
}

/** The queue's behaviour from its (defaults-filled) attributes. */
export function settingsOf(attrs: Record<string, string>): QueueSettings {
  const settings: QueueSettings = {
    fifo: attrs.FifoQueue === 'true',
    contentBasedDeduplication: attrs.ContentBasedDeduplication === 'true',
    visibilityTimeoutSeconds: Number(attrs.VisibilityTimeout),
    retentionSeconds: Number(attrs.MessageRetentionPeriod),
    delaySeconds: Number(attrs.DelaySeconds),
  };
  if (attrs.RedrivePolicy) settings.redrive = parseRedrive(attrs.RedrivePolicy);
  return settings;
}

/** GetQueueAttributes: the names asked for ('All' for every one), computed ones included. */
export function renderAttributes(
  queue: SqsQueue,
  stored: Record<string, string>,
  times: { created: number; modified: number },
  names: string[],
): Record<string, string> {
  const c = queue.counts();
  const all: Record<string, string> = {
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(c.visible),
    ApproximateNumberOfMessagesNotVisible: String(c.inFlight),
    ApproximateNumberOfMessagesDelayed: String(c.delayed),
    CreatedTimestamp: String(Math.floor(times.created / 1000)),
    LastModifiedTimestamp: String(Math.floor(times.modified / 1000)),
    ...stored,
  };
  if (names.includes('All')) return all;
  return Object.fromEntries(names.filter((n) => all[n] !== undefined).map((n) => [n, all[n] as string]));
}
