// The AWS side of the emulator's HTTP server. Every request runs with its caller (principals.ts:
// the account from the access key, STS sessions included) and its signing region in
// request-context.ts, and is served by that account-region's back ends (account-region.ts).
// awsJson 1.1/1.0 requests (`POST /`, X-Amz-Target) go to a service back end after the fault dice
// (that account-region's buckets) and the model's input validation; every answer carries
// x-amzn-RequestId, errors also x-amzn-ErrorType. Any signature is accepted. Requests signed for
// `sts` go to sts/front.ts; EC2's query protocol (form body, no X-Amz-Target) to ec2/front.ts.
// Transfer and EC2 writes end in a CloudTrail event (cloudtrail.ts) handed to `onApiCall`.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccountRegions } from './account-region.ts';
import type { AccountRegion } from './account-region.ts';
import { AwsError } from './aws-error.ts';
import { FaultAnswer, contentType, faultAnswer, parseInput, splitTarget } from './aws-json-answers.ts';
import { logEntry } from './call-entry.ts';
import type { CallRecord } from './call-entry.ts';
import type { CallLog } from './call-log.ts';
import { cloudTrailEvent, isTrailed } from './cloudtrail.ts';
import type { TrailedCall } from './cloudtrail.ts';
import { Ec2Front, isQueryRequest } from './ec2/front.ts';
import type { FaultEngine } from './faults.ts';
import { readBody, sendJson, sleep } from './http-io.ts';
import { accessKeyOf, isExpired, resolveCaller, signingRegionOf, signingServiceOf } from './principals.ts';
import type { PrincipalRule } from './principals.ts';
import { currentRequest, withRequestContext } from './request-context.ts';
import type { RequestContext } from './request-context.ts';
import { validateRequest } from './request-validation.ts';
import { serviceModels } from './service-models.ts';
import { sqsWire } from './sqs/sqs-errors.ts';
import { StsFront } from './sts/front.ts';
import type { RoleRegistry } from './sts/roles.ts';
import { trailedBackend } from './trailed-backend.ts';
import type { CloudTrailApiCallEvent, ServiceBackend, ServiceName } from './types.ts';

export interface AwsFrontOptions {
  accounts: AccountRegions;
  roles: RoleRegistry;
  faults: FaultEngine;
  calls: CallLog;
  /** Called after a successful call that may have changed state (anything but Get/List/Describe). */
  onWrite: () => void;
  log: (line: string) => void;
  /** Access key → principal rules, before the defaults (principals.ts). */
  principals?: readonly PrincipalRule[];
  /** Receives the CloudTrail event of every Transfer and EC2 write, failed ones included. */
  onApiCall?: (event: CloudTrailApiCallEvent) => void;
}

const READ_ONLY = /^(Get|List|Describe)/;

export class AwsFront {
  private readonly options: AwsFrontOptions;
  private readonly ec2Fronts = new Map<string, Ec2Front>();
  private readonly sts: StsFront;

  constructor(options: AwsFrontOptions) {
    this.options = options;
    this.sts = new StsFront({ roles: options.roles, calls: options.calls, log: options.log });
  }

  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { accounts, principals, roles } = this.options;
    const home = accounts.defaultAccount;
    const signed = signingRegionOf(req);
    const context: RequestContext = {
      caller: resolveCaller(accessKeyOf(req), home.accountId, principals, (key) => roles.sessionOf(key)),
      region: signed !== undefined && AccountRegions.isRegion(signed) ? signed : home.region,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      userAgent: String(req.headers['user-agent'] ?? ''),
    };
    return withRequestContext(context, () => this.route(req, res, context));
  }

  private route(req: IncomingMessage, res: ServerResponse, context: RequestContext): Promise<void> {
    if (signingServiceOf(req) === 'sts') return this.sts.handle(req, res);
    const partition = this.options.accounts.at(context.caller.accountId, context.region);
    if (isQueryRequest(req)) return this.ec2FrontOf(partition).handle(req, res);
    return this.handleJson(req, res, context, partition);
  }

  private ec2FrontOf(partition: AccountRegion): Ec2Front {
    let front = this.ec2Fronts.get(partition.key);
    if (!front) {
      const backend = trailedBackend(partition.ec2, (call) => this.emit(call));
      front = new Ec2Front({ ...this.options, backend, partition: partition.key });
      this.ec2Fronts.set(partition.key, front);
    }
    return front;
  }

  private emit(call: Omit<TrailedCall, 'region'>): void {
    if (!this.options.onApiCall) return;
    try {
      this.options.onApiCall(cloudTrailEvent({ ...call, region: call.context.region }));
    } catch (err) {
      this.options.log(`emulator: CloudTrail event failed: ${(err as Error).message}`);
    }
  }

  private async handleJson(req: IncomingMessage, res: ServerResponse, context: RequestContext, partition: AccountRegion): Promise<void> {
    const started = performance.now();
    const requestId = randomUUID();
    const record: CallRecord = { service: 'unknown', operation: '' };
    let status = 200;
    let errorCode: string | undefined;
    let result: unknown;
    let errorMessage = '';
    try {
      result = await this.dispatch(req, res, record, partition);
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
      const headers = { 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': answer.code, ...answer.headers };
      sendJson(res, answer.status, answer.body, headers, contentType(record.service));
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

  private async dispatch(req: IncomingMessage, res: ServerResponse, record: CallRecord, partition: AccountRegion): Promise<unknown> {
    const body = await readBody(req);
    const target = req.headers['x-amz-target'];
    const [prefix, operation] = typeof target === 'string' ? splitTarget(target) : ['', ''];
    const backend: ServiceBackend | undefined = partition.backends.find((b) => b.name !== 'ec2' && b.targetPrefix === prefix);
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

    const caller = currentRequest()?.caller;
    if (caller !== undefined && isExpired(caller))
      throw new AwsError('ExpiredTokenException', 'The security token included in the request is expired', { status: 403 });
    const decision = this.options.faults.decide(backend.name, operation, partition.key);
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
