// The hub's own account and region inside a Lambda handler (the router's and the enumerator's):
// the config's (HUB_ACCOUNT_ID, AWS_REGION), else the function's ARN. Undefined when neither names
// an account (never in Lambda): every event and server is then the hub's.
import type { Context } from 'aws-lambda';
import type { HandlerConfig } from './config.ts';

export interface HubPlace {
  accountId: string;
  region: string;
}

export function hubPlace(
  config: Pick<HandlerConfig, 'hubAccountId' | 'hubRegion'>,
  context: Partial<Pick<Context, 'invokedFunctionArn'>>,
): HubPlace | undefined {
  const [, , , region = '', accountId = ''] = (context.invokedFunctionArn ?? '').split(':');
  const hub = { accountId: config.hubAccountId ?? accountId, region: config.hubRegion ?? region };
  return /^\d{12}$/.test(hub.accountId) && hub.region !== '' ? hub : undefined;
}
