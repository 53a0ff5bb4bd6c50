// The SDK clients a Lambda uses: the engine's clients (retry and timeout settings explained in
// reconciler/aws/clients.ts), with call counting for the outcome record and pacing per service.
import type { AwsClients } from '../../reconciler/aws/clients.ts';
import { createClients } from '../../reconciler/aws/clients.ts';
import { countCalls } from '../../reconciler/aws/call-count.ts';
import type { HandlerConfig } from './config.ts';
import { TokenBucket, paceClient } from './rate-limit.ts';
import type { Clock } from '../../reconciler/apply/clock.ts';

export function instrumentClients(clients: AwsClients, config: HandlerConfig, clock?: Clock): AwsClients {
  countCalls(clients.transfer);
  countCalls(clients.ssm);
  countCalls(clients.ec2);
  const opts = clock ? { clock } : {};
  paceClient(clients.transfer, new TokenBucket(config.transferCallsPerSecond, opts));
  paceClient(clients.ssm, new TokenBucket(config.ssmCallsPerSecond, opts));
  paceClient(clients.ec2, new TokenBucket(config.transferCallsPerSecond, opts));
  return clients;
}

/** In Lambda the region and credentials come from the runtime's environment. */
export function lambdaClients(config: HandlerConfig): AwsClients {
  return instrumentClients(createClients(config.endpointUrl ? { endpointUrl: config.endpointUrl } : {}), config);
}
