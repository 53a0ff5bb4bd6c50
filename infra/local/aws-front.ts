// The AWS side of the emulator's HTTP server: awsJson 1.1 requests (`POST /`, X-Amz-Target),
// dispatched to a service back end after the fault dice and the model's input validation.
// Every answer carries x-amzn-RequestId; errors also x-amzn-ErrorType. Any signature is accepted.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from './aws-error.ts';
import type { CallLog } from './call-log.ts';
import type { FaultEngine, InjectedFault } from './faults.ts';
import { AWS_JSON, readBody, sendJson, sleep } from './http-io.ts';
import { validateRequest } from './request-validation.ts';
import { serviceModels } from './service-models.ts';
import type { CallLogEntry, ServiceBackend, ServiceName } from './types.ts';

export interface AwsFrontOptions {
  backends: ServiceBackend[];
  faults: FaultEngine;
  calls: CallLog;
  /** Called after a successful call that may have changed state (anything but Get/List/Describe). */
  onWrite: () => void;
  log: (line: string) => void;
}

interface CallRecord {
  service: ServiceName | 'unknown';
  operation: string;
  input?: Record<string, unknown>;
  injected?: InjectedFault;
  unknownMembers?: string[];
}

const READ_ONLY = /^(Get|List|Describe)/;

export class AwsFront {
  private readonly options: AwsFrontOptions;
  private readonly byPrefix: Map<string, ServiceBackend>;

  constructor(options: AwsFrontOptions) {
    this.options = options;
    this.byPrefix = new Map(options.backends.map((b) => [b.targetPrefix, b]));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = randomUUID();
    const record: CallRecord = { service: 'unknown', operation: '' };
    let status = 200;
    let errorCode: string | undefined;
    try {
      const result = await this.dispatch(req, res, record);
      if (result === DROPPED) {
        status = 0;
        errorCode = 'ConnectionDropped';
      } else {
        sendJson(res, 200, result ?? {}, { 'x-amzn-RequestId': requestId }, AWS_JSON);
        if (!READ_ONLY.test(record.operation)) this.options.onWrite();
      }
    } catch (err) {
      const answer = err instanceof FaultAnswer ? err : this.asAnswer(err, record.service);
      status = answer.status;
      errorCode = answer.code;
      sendJson(
        res,
        answer.status,
        answer.body,
        { 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': answer.code, ...answer.headers },
        AWS_JSON,
      );
    } finally {
      this.options.calls.add(logEntry(record, status, errorCode, req, started));
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, record: CallRecord): Promise<unknown> {
    const body = await readBody(req);
    const target = req.headers['x-amz-target'];
    const [prefix, operation] = typeof target === 'string' ? splitTarget(target) : ['', ''];
    const backend = this.byPrefix.get(prefix);
    record.operation = operation || String(target ?? '');
    if (req.method !== 'POST' || !backend || !serviceModels[backend.name].operations[operation]) {
      throw new AwsError(
        'UnknownOperationException',
        target === undefined ? 'Missing X-Amz-Target header' : `Unknown operation ${String(target)}`,
      );
    }
    record.service = backend.name;
    const input = parseInput(body);
    record.input = input;

    const decision = this.options.faults.decide(backend.name, operation);
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (decision.fault) {
      record.injected = decision.fault;
      if (decision.fault === 'drop') {
        res.socket?.destroy();
        return DROPPED;
      }
      if (decision.fault === 'error')
        throw (
          decision.error ?? new AwsError('InternalFailure', 'Injected error without an answer (local emulator fault).', { status: 500 })
        );
      throw faultAnswer(backend.name, decision.fault, decision.retryAfterSeconds ?? 1);
    }

    const check = validateRequest(serviceModels[backend.name], operation, input);
    if (check.unknownMembers.length > 0) record.unknownMembers = check.unknownMembers;
    return await backend.handle(operation, input);
  }

  private asAnswer(err: unknown, service: ServiceName | 'unknown'): FaultAnswer {
    if (err instanceof AwsError) return new FaultAnswer(err.status, err.code, err.body(), err.headers);
    this.options.log(`emulator: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    const code = service === 'ssm' ? 'InternalServerError' : 'InternalServiceError';
    return new FaultAnswer(500, code, { __type: code, Message: 'The local emulator failed to handle the request; see its log.' }, {});
  }
}

const DROPPED = Symbol('dropped');

/** An error answer already in wire form (status, code, body, headers). */
class FaultAnswer extends Error {
  readonly status: number;
  readonly code: string;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, body: Record<string, unknown>, headers: Record<string, string>) {
    super(code);
    this.status = status;
    this.code = code;
    this.body = body;
    this.headers = headers;
  }
}

/** Each service's own answer to the injected fault, as its model shapes it. */
function faultAnswer(service: ServiceName, fault: Exclude<InjectedFault, 'drop' | 'error'>, retryAfterSeconds: number): FaultAnswer {
  if (fault === 'throttle') {
    if (service === 'transfer') {
      // Transfer models ThrottlingException as HTTP 429 with RetryAfterSeconds (a string) bound to Retry-After.
      return new FaultAnswer(
        429,
        'ThrottlingException',
        { __type: 'ThrottlingException', RetryAfterSeconds: String(retryAfterSeconds) },
        { 'Retry-After': String(retryAfterSeconds) },
      );
    }
    // QuotaCode is the emulator's own placeholder: the real code of SSM's rate quota is not verified here.
    return new FaultAnswer(
      400,
      'ThrottlingException',
      { __type: 'ThrottlingException', Message: 'Rate exceeded', QuotaCode: 'L-LOCAL-EMULATOR', ServiceCode: 'ssm' },
      {},
    );
  }
  if (fault === '500') {
    const code = service === 'ssm' ? 'InternalServerError' : 'InternalServiceError';
    return new FaultAnswer(500, code, { __type: code, Message: 'Injected internal error (local emulator fault).' }, {});
  }
  return new FaultAnswer(
    503,
    'ServiceUnavailableException',
    { __type: 'ServiceUnavailableException', Message: 'Injected service unavailable (local emulator fault).' },
    {},
  );
}

function splitTarget(target: string): [string, string] {
  const dot = target.indexOf('.');
  return dot === -1 ? [target, ''] : [target.slice(0, dot), target.slice(dot + 1)];
}

function parseInput(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AwsError('SerializationException', 'The request body must be a JSON object.');
  return value as Record<string, unknown>;
}

function logEntry(
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
  for (const key of ['ServerId', 'Name', 'ResourceArn', 'Arn', 'Path']) {
    if (typeof input[key] === 'string') return input[key];
  }
  if (Array.isArray(input.Names)) return input.Names.map(String).join(',');
  return undefined;
}
