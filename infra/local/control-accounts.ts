// The control endpoints of accounts and roles: `GET|POST /_emulator/roles` (a spoke stack's role
// deployed in its account), `GET|PUT /_emulator/events/forwarding` (a spoke's forwarding rule),
// and which account-region a per-account endpoint is about (`?account=…&region=…`, default the
// emulator's own).
import type { IncomingMessage } from 'node:http';
import type { AccountRegion } from './account-region.ts';
import { ControlError, jsonBody, object } from './control-io.ts';
import type { EventRouter } from './event-routing.ts';
import { parseRole } from './sts/roles.ts';
import type { RoleDefinition, RoleRegistry } from './sts/roles.ts';

export interface AccountsControl {
  at(accountId: string, region: string): AccountRegion;
  /** Every account-region served so far, the default one first. */
  accounts(): AccountRegion[];
  defaultAccount: AccountRegion;
  roles: RoleRegistry;
  router: EventRouter;
  onWrite(): void;
}

/** The account-region named by `?account=&region=` (each defaulting to the emulator's). */
export function partitionParam(url: URL, ctx: AccountsControl): AccountRegion {
  const account = url.searchParams.get('account') ?? ctx.defaultAccount.accountId;
  const region = url.searchParams.get('region') ?? ctx.defaultAccount.region;
  try {
    return ctx.at(account, region);
  } catch (err) {
    throw new ControlError(400, (err as Error).message);
  }
}

/** Answers the accounts' routes; undefined when `key` (`METHOD route`) is not one of them. */
export async function accountRoutes(key: string, req: IncomingMessage, ctx: AccountsControl): Promise<unknown> {
  switch (key) {
    case 'GET roles':
      return ctx.roles.list();
    case 'POST roles': {
      const body = await jsonBody(req);
      const list = Array.isArray(body) ? body : [body];
      let roles: RoleDefinition[];
      try {
        roles = list.map(parseRole);
      } catch (err) {
        throw new ControlError(400, (err as Error).message);
      }
      const added = roles.map((r) => ctx.roles.add(r));
      ctx.onWrite();
      return Array.isArray(body) ? added : added[0];
    }
    case 'GET events/forwarding':
      return { unforwardedAccounts: ctx.router.unforwardedAccounts() };
    case 'PUT events/forwarding': {
      const body = object(await jsonBody(req));
      if (typeof body.account !== 'string' || typeof body.forward !== 'boolean')
        throw new ControlError(400, 'body must be {"account": "<12 digits>", "forward": true | false}');
      try {
        ctx.router.setForwarding(body.account, body.forward);
      } catch (err) {
        throw new ControlError(400, (err as Error).message);
      }
      ctx.onWrite();
      return { unforwardedAccounts: ctx.router.unforwardedAccounts() };
    }
  }
  return undefined;
}
