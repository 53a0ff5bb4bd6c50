// What the Lambda handlers run with in process against the local emulator: the real middy +
// Powertools stack with its output captured line by line, a Lambda context with a real deadline,
// and a scheduled event (the enumerator's trigger). The pipeline itself is pipeline-harness.ts.
import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import { lambdaContext } from '../../infra/local/lambda/context.ts';
import { capturedObservability as captureLines } from '../../infra/local/lambda/captured-observability.ts';
import type { Captured, LogLine } from '../../infra/local/lambda/captured-observability.ts';
import { captureOutput } from '../helpers/secrets.ts';

export type { Captured, LogLine };

/** Logger and Metrics as the handlers build them, writing to a buffer instead of stdout. */
export function capturedObservability(): Captured {
  // Every line goes to the suite-wide secret scan; a line that is not JSON fails the test that wrote it.
  return captureLines((raw) => captureOutput('lambda log line', raw));
}

export { lambdaContext };

export function scheduledEvent(): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:000000000000:rule/enumerator'],
    detail: {},
  };
}
