// The local AWS emulator: one HTTP server on 127.0.0.1 serving Transfer Family and SSM Parameter
// Store (told apart by X-Amz-Target), EC2's VPC endpoints and security groups (the query
// protocol), SQS (awsJson 1.0) and STS (AssumeRole, GetCallerIdentity), for several accounts and
// regions (account-region.ts: the account from the access key, the region from the signature),
// the EventBridge events — Parameter Store changes and CloudTrail API calls with the caller's
// identity — in process and as an HTTP stream (every account's, on the hub bus: event-routing.ts),
// fault injection, a call log and control endpoints under /_emulator/.
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AccountRegions } from './account-region.ts';
import type { AccountRegion } from './account-region.ts';
import { AwsFront } from './aws-front.ts';
import { CallLog } from './call-log.ts';
import type { RuntimeConfig } from './control-api.ts';
import { CONTROL_PREFIX, handleControl } from './control-api.ts';
import type { Emulator, EmulatorOptions } from './emulator-api.ts';
import { accountRegionView, hubEvents } from './emulator-views.ts';
import { EventRouter } from './event-routing.ts';
import { EventStreams } from './event-stream.ts';
import { FaultEngine } from './faults.ts';
import { sendJson } from './http-io.ts';
import { DEFAULT_ACCOUNT_ID } from './principals.ts';
import { StateWriter, loadState } from './state-file.ts';
import { RoleRegistry } from './sts/roles.ts';

export type { AccountRegionView, Emulator, EmulatorOptions } from './emulator-api.ts';

export const DEFAULT_TRANSITION_DELAY_MS = 200;

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const log = options.logger ?? (() => {});
  const runtime: RuntimeConfig = {
    nestedUpdate: options.nestedUpdate ?? 'merge',
    transitionDelayMs: options.transitionDelayMs ?? DEFAULT_TRANSITION_DELAY_MS,
    ...(options.hostKeyFingerprint ? { hostKeyFingerprint: options.hostKeyFingerprint } : {}),
  };
  const router = new EventRouter(options.accountId ?? DEFAULT_ACCOUNT_ID, (err) =>
    log(`emulator: event subscriber failed: ${(err as Error).message}`),
  );
  let baseUrl = 'http://127.0.0.1';
  const accounts = new AccountRegions(options.accountId ?? DEFAULT_ACCOUNT_ID, options.region ?? 'us-east-1', {
    runtime,
    ...(options.maxHostKeys === undefined ? {} : { maxHostKeys: options.maxHostKeys }),
    ...(options.endpointWithoutGroups ? { endpointWithoutGroups: options.endpointWithoutGroups } : {}),
    ...(options.sqsDeduplicationWindowMs === undefined ? {} : { sqsDeduplicationWindowMs: options.sqsDeduplicationWindowMs }),
    ...(options.parameterEventDelayMs === undefined ? {} : { parameterEventDelayMs: options.parameterEventDelayMs }),
    baseUrl: () => baseUrl,
    publish: (event, delayMs) => router.publishLater(event, delayMs),
  });
  const home = accounts.defaultAccount;
  const { accountId, region } = home;
  const roles = new RoleRegistry(options.sessionDurationSeconds);
  for (const role of options.roles ?? []) roles.add(role);
  for (const account of options.unforwardedAccounts ?? []) router.setForwarding(account, false);
  const faults = new FaultEngine(options.faults ?? {});
  const calls = new CallLog();
  const streams = new EventStreams(router.hub);

  const stateFile = options.stateFile;
  if (stateFile) {
    const saved = loadState(stateFile);
    if (saved) {
      home.restore(saved);
      for (const s of saved.accountRegions ?? []) accounts.at(s.accountId, s.region).restore(s);
      if (saved.sts !== undefined) roles.restore(saved.sts);
      for (const account of saved.unforwardedAccounts ?? []) router.setForwarding(account, false);
    }
  }
  const collect = () => {
    const { transfer, ssm, ec2 } = home.snapshot();
    const others = accounts.all().filter((a) => a !== home);
    return {
      transfer,
      ssm,
      ec2,
      accountRegions: others.map((a) => a.snapshot()),
      sts: roles.snapshot(),
      unforwardedAccounts: router.unforwardedAccounts(),
    };
  };
  const writer = stateFile ? new StateWriter(stateFile, collect, log) : undefined;
  const onWrite = (): void => writer?.schedule();

  const setConfig = (c: Partial<RuntimeConfig>): RuntimeConfig => {
    Object.assign(runtime, Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)));
    for (const a of accounts.all()) a.applyConfig(c);
    return { ...runtime };
  };
  const reset = (): void => {
    for (const a of accounts.all()) a.reset();
    calls.clear();
    router.clear();
    onWrite();
  };
  const at = (account: string, inRegion = region): AccountRegion => accounts.at(account, inRegion);

  const front = new AwsFront({
    accounts,
    roles,
    faults,
    calls,
    onWrite,
    log,
    ...(options.principals ? { principals: options.principals } : {}),
    onApiCall: (event) => router.publishLater(event, options.eventDelayMs ?? 0),
  });
  const control = {
    services: home.backends.map((b) => b.name),
    region,
    accountId,
    faults,
    calls,
    streams,
    at,
    accounts: () => accounts.all(),
    defaultAccount: home,
    roles,
    router,
    reset,
    getConfig: () => ({ ...runtime }),
    setConfig,
    onWrite,
  };

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const work = (req.url ?? '/').startsWith(CONTROL_PREFIX) ? handleControl(req, res, control) : front.handle(req, res);
    work.catch((err: unknown) => {
      log(`emulator: unhandled error: ${(err as Error).stack ?? String(err)}`);
      sendJson(res, 500, { error: 'internal error' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      streams.closeAll();
      router.cancelPending();
      for (const a of accounts.all()) a.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      await writer?.flush();
    })();
    return stopping;
  };

  return {
    url: baseUrl,
    port,
    region,
    accountId,
    transfer: home.transfer,
    ssm: home.ssm,
    ec2: home.ec2,
    sqs: home.sqs,
    at: (account, inRegion) => accountRegionView(at(account, inRegion), router, calls),
    accounts: () => accounts.all().map((a) => ({ accountId: a.accountId, region: a.region })),
    roles: {
      add: (role) => roles.add(role),
      remove: (arn) => roles.remove(arn),
      list: () => roles.list(),
      expire: (key) => roles.expire(key),
    },
    events: hubEvents(router, onWrite),
    faults: { get: () => faults.get(), set: (c) => faults.set(c) },
    calls: {
      list: (since, filter) => calls.list(since, filter ?? { account: accountId, region }),
      clear: () => calls.clear(),
    },
    config: { get: () => ({ ...runtime }), set: setConfig },
    reset,
    saveState: async () => writer?.flush(),
    stop,
  };
}
