// SQS errors as its JSON protocol writes them: body {"__type": "com.amazonaws.sqs#<Shape>",
// "message": …} and, because the service is awsQueryCompatible, the header
// `x-amzn-query-error: <query code>;Sender|Receiver` that @aws-sdk/client-sqs reads first to
// pick the exception class. Query codes and statuses are the SDK's (its schemas carry them; the
// botocore model in ../shared has no awsQueryError traits).
import { AwsError } from '../aws-error.ts';

const QUERY: Record<string, [string, number]> = {
  BatchEntryIdsNotDistinct: ['AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 400],
  BatchRequestTooLong: ['AWS.SimpleQueueService.BatchRequestTooLong', 400],
  EmptyBatchRequest: ['AWS.SimpleQueueService.EmptyBatchRequest', 400],
  InvalidAddress: ['InvalidAddress', 404],
  InvalidBatchEntryId: ['AWS.SimpleQueueService.InvalidBatchEntryId', 400],
  MessageNotInflight: ['AWS.SimpleQueueService.MessageNotInflight', 400],
  OverLimit: ['OverLimit', 403],
  PurgeQueueInProgress: ['AWS.SimpleQueueService.PurgeQueueInProgress', 403],
  QueueDeletedRecently: ['AWS.SimpleQueueService.QueueDeletedRecently', 400],
  QueueDoesNotExist: ['AWS.SimpleQueueService.NonExistentQueue', 400],
  QueueNameExists: ['QueueAlreadyExists', 400],
  ReceiptHandleIsInvalid: ['ReceiptHandleIsInvalid', 404],
  RequestThrottled: ['RequestThrottled', 403],
  TooManyEntriesInBatchRequest: ['AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 400],
  UnsupportedOperation: ['AWS.SimpleQueueService.UnsupportedOperation', 400],
};

/**
 * Codes SQS answers that its model lists for no operation: AWS's common errors for a missing or
 * bad parameter (a FIFO send without MessageGroupId, a WaitTimeSeconds over 20, …).
 */
export const SQS_COMMON_ERRORS: readonly string[] = ['InvalidParameterValue', 'MissingParameter'];

/** An SQS refusal; the wire shape is made by `sqsWire` in the front. */
export function sqsError(code: string, message: string): AwsError {
  const status = QUERY[code]?.[1] ?? 400;
  return new AwsError(code, message, { status, messageKey: 'message' });
}

/** Rewrites any error answered for SQS (its own, validation, injected faults) into SQS's wire shape. */
export function sqsWire(
  status: number,
  code: string,
  message: string,
): { status: number; body: Record<string, unknown>; headers: Record<string, string> } {
  const query = QUERY[code]?.[0] ?? code;
  const fault = status >= 500 ? 'Receiver' : 'Sender';
  return {
    status,
    body: { __type: `com.amazonaws.sqs#${code}`, message },
    headers: { 'x-amzn-query-error': `${query};${fault}` },
  };
}
