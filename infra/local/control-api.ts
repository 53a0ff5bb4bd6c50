// The emulator's own endpoints, outside the AWS API, under /_emulator/: health, reset, faults,
// the call log, runtime settings, Transfer state forcing, SSM secrets and the event stream, and
// (control-accounts.ts) roles and event forwarding. Per-account endpoints take `?account=&region=`
// (default: the emulator's account-region); `GET calls` lists every account-region's calls
// unless filtered. Answers are JSON; a malformed request gets 400 {"error": "..."}.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from './aws-error.ts';
import type { CallLog } from './call-log.ts';
import { accountRoutes, partitionParam } from './control-accounts.ts';
import type { AccountsControl } from './control-accounts.ts';
import { ControlError, jsonBody, object, seqParam } from './control-io.ts';
import type { EventStreams } from './event-stream.ts';
import { parseFaultConfig } from './faults.ts';
import type { FaultEngine } from './faults.ts';
import { readBody, sendJson } from './http-io.ts';
import type { HostKeyFingerprintMode, NestedUpdateMode, ServiceName } from './types.ts';

export const CONTROL_PREFIX = '/_emulator/';

export interface RuntimeConfig {
  nestedUpdate: NestedUpdateMode;
  transitionDelayMs: number;
  /** Shown once set (default 'fingerprint'; 'moto' answers the private key, types.ts). */
  hostKeyFingerprint?: HostKeyFingerprintMode;
}

export interface ControlContext extends AccountsControl {
  services: ServiceName[];
  region: string;
  accountId: string;
  faults: FaultEngine;
  calls: CallLog;
  streams: EventStreams;
  reset(): void;
  getConfig(): RuntimeConfig;
  setConfig(config: Partial<RuntimeConfig>): RuntimeConfig;
}

const SERVER_STATES = ['OFFLINE', 'ONLINE', 'STARTING', 'STOPPING', 'START_FAILED', 'STOP_FAILED'] as const;
type ServerState = (typeof SERVER_STATES)[number];

export async function handleControl(req: IncomingMessage, res: ServerResponse, ctx: ControlContext): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const route = url.pathname.slice(CONTROL_PREFIX.length);
    const method = req.method ?? 'GET';
    const answer = await dispatch(method, route, url, req, res, ctx);
    if (answer !== STREAMING) sendJson(res, 200, answer);
  } catch (err) {
    const status =
      err instanceof ControlError ? err.status : err instanceof AwsError && err.code === 'ResourceNotFoundException' ? 404 : 400;
    const body: Record<string, unknown> = { error: err instanceof Error ? err.message : String(err) };
    if (err instanceof AwsError) body.code = err.code;
    sendJson(res, status, body);
  }
}

const STREAMING = Symbol('streaming');

async function dispatch(
  method: string,
  route: string,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ControlContext,
): Promise<unknown> {
  const key = `${method} ${route}`;
  switch (key) {
    case 'GET health':
      return { status: 'ok', services: ctx.services, region: ctx.region, accountId: ctx.accountId };
    case 'GET accounts':
      return accountList(ctx);
    case 'POST reset':
      ctx.reset();
      return { status: 'ok' };
    case 'GET faults':
      return ctx.faults.get();
    case 'PUT faults':
      ctx.faults.set(parseFaultConfig(await jsonBody(req)));
      return ctx.faults.get();
    case 'GET calls':
      return ctx.calls.list(seqParam(url, 'since') ?? 0, {
        ...optional('account', url.searchParams.get('account')),
        ...optional('region', url.searchParams.get('region')),
      });
    case 'DELETE calls':
      ctx.calls.clear();
      return { status: 'ok' };
    case 'GET config':
      return ctx.getConfig();
    case 'PUT config':
      return ctx.setConfig(parseConfig(await jsonBody(req)));
    case 'GET sqs/queues': {
      // What CloudWatch would show per queue, ApproximateAgeOfOldestMessage included (no SQS attribute has it).
      const sqs = partitionParam(url, ctx).sqs;
      return [...sqs.queues.values()].map((r) => {
        const c = r.queue.counts();
        return {
          name: r.queue.name,
          url: sqs.urlOf(r.queue.name),
          arn: r.queue.arn,
          fifo: r.queue.settings.fifo,
          visible: c.visible,
          inFlight: c.inFlight,
          delayed: c.delayed,
          approximateAgeOfOldestMessage: c.oldestAgeSeconds,
        };
      });
    }
    case 'GET events':
      ctx.streams.serve(res, seqParam(url, 'since'));
      return STREAMING;
  }
  const accounts = await accountRoutes(key, req, ctx);
  if (accounts !== undefined) return accounts;
  const server = /^transfer\/servers\/([^/]+)\/(inject-failure|state)$/.exec(route);
  if (server && method === 'POST') {
    const id = decodeURIComponent(server[1] as string);
    const body = object(await jsonBody(req));
    if (server[2] === 'inject-failure') {
      if (body.next !== 'START_FAILED' && body.next !== 'STOP_FAILED')
        throw new ControlError(400, 'body must be {"next": "START_FAILED" | "STOP_FAILED"}');
      partitionParam(url, ctx).transfer.injectFailure(id, body.next);
    } else {
      if (!SERVER_STATES.includes(body.State as ServerState))
        throw new ControlError(400, `State must be one of ${SERVER_STATES.join(', ')}`);
      if (body.holdMs !== undefined && !(typeof body.holdMs === 'number' && body.holdMs >= 0))
        throw new ControlError(400, 'holdMs must be a number ≥ 0');
      partitionParam(url, ctx).transfer.forceState(id, body.State as ServerState, body.holdMs as number | undefined);
      ctx.onWrite();
    }
    return { status: 'ok' };
  }
  const secret = /^ssm\/secrets\/(.+)$/.exec(route);
  if (secret && (method === 'PUT' || method === 'DELETE')) {
    const id = decodeURIComponent(secret[1] as string);
    if (method === 'DELETE') {
      if (!partitionParam(url, ctx).ssm.deleteSecret(id)) throw new ControlError(404, `no secret ${id}`);
    } else {
      partitionParam(url, ctx).ssm.putSecret(id, await readBody(req));
    }
    ctx.onWrite();
    return { status: 'ok' };
  }
  throw new ControlError(404, `no control endpoint ${method} ${CONTROL_PREFIX}${route}`);
}

function optional<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value === null ? {} : ({ [key]: value } as Record<K, string>);
}

function accountList(ctx: ControlContext): Array<{ accountId: string; region: string }> {
  return ctx.accounts().map((a) => ({ accountId: a.accountId, region: a.region }));
}

export function parseConfig(value: unknown): Partial<RuntimeConfig> {
  const body = object(value);
  const out: Partial<RuntimeConfig> = {};
  for (const key of Object.keys(body)) {
    if (key !== 'nestedUpdate' && key !== 'transitionDelayMs' && key !== 'hostKeyFingerprint')
      throw new ControlError(400, `unknown config key ${key} (allowed: nestedUpdate, transitionDelayMs, hostKeyFingerprint)`);
  }
  if (body.hostKeyFingerprint !== undefined) {
    if (body.hostKeyFingerprint !== 'fingerprint' && body.hostKeyFingerprint !== 'moto')
      throw new ControlError(400, 'hostKeyFingerprint must be "fingerprint" or "moto"');
    out.hostKeyFingerprint = body.hostKeyFingerprint;
  }
  if (body.nestedUpdate !== undefined) {
    if (body.nestedUpdate !== 'merge' && body.nestedUpdate !== 'replace')
      throw new ControlError(400, 'nestedUpdate must be "merge" or "replace"');
    out.nestedUpdate = body.nestedUpdate;
  }
  if (body.transitionDelayMs !== undefined) {
    if (typeof body.transitionDelayMs !== 'number' || !Number.isFinite(body.transitionDelayMs) || body.transitionDelayMs < 0)
      throw new ControlError(400, 'transitionDelayMs must be a number ≥ 0');
    out.transitionDelayMs = body.transitionDelayMs;
  }
  return out;
}
