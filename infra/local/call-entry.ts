// The call log entry of one awsJson request (aws-front.ts): what it was, how it ended, which
// attempt of the SDK's it was and what it was about.
import type { InjectedFault } from './faults.ts';
import type { IncomingMessage } from 'node:http';
import type { CallLogEntry, ServiceName } from './types.ts';

export interface CallRecord {
  service: ServiceName | 'unknown';
  operation: string;
  input?: Record<string, unknown>;
  injected?: InjectedFault;
  unknownMembers?: string[];
}

export function logEntry(
  record: CallRecord,
  status: number,
  errorCode: string | undefined,
  req: IncomingMessage,
  started: number,
): Omit<CallLogEntry, 'seq'> {
  const entry: Omit<CallLogEntry, 'seq'> = {
    time: new Date().toISOString(),
    service: record.service,
    operation: record.operation,
    status,
    throttled: errorCode === 'ThrottlingException',
    durationMs: Math.round((performance.now() - started) * 1000) / 1000,
  };
  if (errorCode !== undefined) entry.errorCode = errorCode;
  if (record.injected) entry.injected = record.injected;
  const attempt = /attempt=(\d+)/.exec(String(req.headers['amz-sdk-request'] ?? ''))?.[1];
  if (attempt !== undefined) entry.attempt = Number(attempt);
  const target = targetOf(record.input);
  if (target !== undefined) entry.target = target;
  if (record.unknownMembers) entry.unknownMembers = record.unknownMembers;
  return entry;
}

function targetOf(input: Record<string, unknown> | undefined): string | undefined {
  if (!input) return undefined;
  for (const key of ['ServerId', 'Name', 'ResourceArn', 'Arn', 'Path', 'ResourceId', 'QueueUrl', 'QueueName']) {
    if (typeof input[key] === 'string') return input[key];
  }
  if (Array.isArray(input.Names)) return input.Names.map(String).join(',');
  return undefined;
}
