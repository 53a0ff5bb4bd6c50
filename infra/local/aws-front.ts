// The AWS side of the emulator's HTTP server: awsJson 1.1 requests (`POST /`, X-Amz-Target),
// dispatched to a service back end after the fault dice and the model's input validation.
// Every answer carries x-amzn-RequestId; errors also x-amzn-ErrorType. Any signature is accepted.
// EC2's query protocol (form body, no X-Amz-Target) goes to ec2/front.ts on the same port.
// Every request runs with its caller (principals.ts) in request-context.ts; Transfer and EC2
// writes end in a CloudTrail event (cloudtrail.ts) handed to `onApiCall`.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from './aws-error.ts';
import type { CallLog } from './call-log.ts';
import type { FaultEngine, InjectedFault } from './faults.ts';
import { AWS_JSON, readBody, sendJson, sleep } from './http-io.ts';
import { validateRequest } from './request-validation.ts';
import { serviceModels } from './service-models.ts';
import type { CallLogEntry, ServiceBackend, ServiceName } from './types.ts';
import { Ec2Front, isQueryRequest } from './ec2/front.ts';
import { cloudTrailEvent, isTrailed } from './cloudtrail.ts';
import type { TrailedCall } from './cloudtrail.ts';
import { DEFAULT_ACCOUNT_ID, accessKeyOf, resolveCaller } from './principals.ts';
import type { PrincipalRule } from './principals.ts';
import { withRequestContext } from './request-context.ts';
import { trailedBackend } from './trailed-backend.ts';
import type { RequestContext } from './request-context.ts';
import { sqsWire } from './sqs/sqs-errors.ts';
import type { CloudTrailApiCallEvent } from './types.ts';

export interface AwsFrontOptions {
  backends: ServiceBackend[];
  faults: FaultEngine;
  calls: CallLog;
  /** Called after a successful call that may have changed state (anything but Get/List/Describe). */
  onWrite: () => void;
  log: (line: string) => void;
  region?: string;
  accountId?: string;
  /** Access key → principal rules, before the defaults (principals.ts). */
  principals?: readonly PrincipalRule[];
  /** Receives the CloudTrail event of every Transfer and EC2 write, failed ones included. */
  onApiCall?: (event: CloudTrailApiCallEvent) => void;
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
  private readonly ec2: Ec2Front | undefined;

  constructor(options: AwsFrontOptions) {
    this.options = options;
    // Only the JSON services are reached by X-Amz-Target.
    this.byPrefix = new Map(options.backends.filter((b) => b.name !== 'ec2').map((b) => [b.targetPrefix, b]));
    const ec2 = options.backends.find((b) => b.name === 'ec2');
    this.ec2 = ec2 === undefined ? undefined : new Ec2Front({ ...options, backend: trailedBackend(ec2, (call) => this.emit(call)) });
  }

  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const context: RequestContext = {
      caller: resolveCaller(accessKeyOf(req), this.options.accountId ?? DEFAULT_ACCOUNT_ID, this.options.principals),
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      userAgent: String(req.headers['user-agent'] ?? ''),
    };
    return withRequestContext(context, () => this.handleInContext(req, res, context));
  }

  private emit(call: Omit<TrailedCall, 'region'>): void {
    if (!this.options.onApiCall) return;
    try {
      this.options.onApiCall(cloudTrailEvent({ ...call, region: this.options.region ?? 'us-east-1' }));
    } catch (err) {
      this.options.log(`emulator: CloudTrail event failed: ${(err as Error).message}`);
    }
  }

  private async handleInContext(req: IncomingMessage, res: ServerResponse, context: RequestContext): Promise<void> {
    if (this.ec2 !== undefined && isQueryRequest(req)) return this.ec2.handle(req, res);
    const started = performance.now();
    const requestId = randomUUID();
    const record: CallRecord = { service: 'unknown', operation: '' };
    let status = 200;
    let errorCode: string | undefined;
    let result: unknown;
    let errorMessage = '';
    try {
      result = await this.dispatch(req, res, record);
      if (result === DROPPED) {
        status = 0;
        errorCode = 'ConnectionDropped';
      } else {
        sendJson(res, 200, result ?? {}, { 'x-amzn-RequestId': requestId }, contentType(record.service));
        if (!READ_ONLY.test(record.operation)) this.options.onWrite();
      }
    } catch (err) {
      let answer = err instanceof FaultAnswer ? err : this.asAnswer(err, record.service);
      errorMessage = String(answer.body.Message ?? answer.body.message ?? '');
      if (record.service === 'sqs') {
        const wire = sqsWire(answer.status, answer.code, errorMessage);
        answer = new FaultAnswer(wire.status, answer.code, wire.body, { ...answer.headers, ...wire.headers });
      }
      status = answer.status;
      errorCode = answer.code;
      sendJson(
        res,
        answer.status,
        answer.body,
        { 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': answer.code, ...answer.headers },
        contentType(record.service),
      );
    } finally {
      this.options.calls.add({ ...logEntry(record, status, errorCode, req, started), principal: context.caller.arn });
    }
    // A dropped connection was never answered; anything else (refusals, injected faults) is trailed.
    if (record.service === 'transfer' && status !== 0 && isTrailed(record.service, record.operation)) {
      const failure = errorCode === undefined ? {} : { error: { code: errorCode, message: errorMessage } };
      this.emit({
        service: 'transfer',
        operation: record.operation,
        input: record.input ?? {},
        output: result,
        ...failure,
        requestId,
        context,
      });
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
  if (service === 'sqs') {
    // SQS's own codes (the SDK retries RequestThrottled as throttling); the front words them (sqsWire).
    const [status, code] =
      fault === 'throttle' ? [403, 'RequestThrottled'] : fault === '500' ? [500, 'InternalFailure'] : [503, 'ServiceUnavailable'];
    return new FaultAnswer(status, code, { __type: code, message: `Injected ${code} (local emulator fault).` }, {});
  }
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

// SQS speaks awsJson 1.0; Transfer and SSM 1.1.
function contentType(service: ServiceName | 'unknown'): string {
  return service === 'sqs' ? 'application/x-amz-json-1.0' : AWS_JSON;
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
  for (const key of ['ServerId', 'Name', 'ResourceArn', 'Arn', 'Path', 'ResourceId', 'QueueUrl', 'QueueName']) {
    if (typeof input[key] === 'string') return input[key];
  }
  if (Array.isArray(input.Names)) return input.Names.map(String).join(',');
  return undefined;
}
