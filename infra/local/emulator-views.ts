// What startEmulator hands out over the account-regions: one account-region's view (`emu.at`)
// and the hub bus's events API (`emu.events`).
import type { AccountRegion } from './account-region.ts';
import type { CallLog } from './call-log.ts';
import type { AccountRegionView, Emulator } from './emulator-api.ts';
import type { EventRouter } from './event-routing.ts';

export function accountRegionView(a: AccountRegion, router: EventRouter, calls: CallLog): AccountRegionView {
  const bus = router.busOf(a.accountId, a.region);
  return {
    accountId: a.accountId,
    region: a.region,
    transfer: a.transfer,
    ssm: a.ssm,
    ec2: a.ec2,
    sqs: a.sqs,
    events: { subscribe: (fn) => bus.subscribe(fn), list: (since) => bus.since(since) },
    calls: { list: (since) => calls.list(since, { account: a.accountId, region: a.region }) },
  };
}

export function hubEvents(router: EventRouter, onWrite: () => void): Emulator['events'] {
  return {
    subscribe: (fn) =>
      router.hub.subscribe((event, seq) => {
        if (event.source === 'aws.ssm') fn(event, seq);
      }),
    subscribeAll: (fn) => router.hub.subscribe(fn),
    list: (since, filter = {}) =>
      router.hub
        .since(since)
        .filter(
          ({ event }) =>
            (filter.account === undefined || event.account === filter.account) &&
            (filter.region === undefined || event.region === filter.region),
        ),
    setForwarding: (account, forward) => {
      router.setForwarding(account, forward);
      onWrite();
    },
  };
}
