// The ec2 query protocol on the emulator's one port: `POST /` with a form body
// (`Action=…&Version=2016-11-15&…`) and no X-Amz-Target, told apart from awsJson by its
// Content-Type or by the SigV4 credential scope naming `ec2`. The same fault dice, call log and
// model validation as the JSON services; answers and errors in EC2's XML (xml.ts).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateShape } from '../../../functions/shared/model-validate.ts';
import type { ModelData, PathSegment, Violation } from '../../../functions/shared/model-validate.ts';
import { AwsError } from '../aws-error.ts';
import type { CallLog } from '../call-log.ts';
import type { FaultEngine, InjectedFault } from '../faults.ts';
import { readBody, sleep } from '../http-io.ts';
import type { CallLogEntry, ServiceBackend } from '../types.ts';
import { ec2Error } from './ec2-errors.ts';
import { decodeInput, parseForm } from './query.ts';
import { ec2Model } from './wire-model.ts';
import { encodeError, encodeResponse } from './xml.ts';

export interface Ec2FrontOptions {
  backend: ServiceBackend;
  faults: FaultEngine;
  calls: CallLog;
  onWrite: () => void;
  log: (line: string) => void;
  /** The account-region served (its own fault buckets); '' when there is only one. */
  partition?: string;
}

const READ_ONLY = /^(Describe|Get|List)/;
const XML = 'text/xml;charset=UTF-8';

/** A request in the query protocol (form body, or signed for the `ec2` service). */
export function isQueryRequest(req: IncomingMessage): boolean {
  if (req.headers['x-amz-target'] !== undefined) return false;
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) return true;
  return /Credential=[^/]+\/[^/]+\/[^/]+\/ec2\/aws4_request/.test(String(req.headers.authorization ?? ''));
}

interface Record_ {
  operation: string;
  input?: Record<string, unknown>;
  injected?: InjectedFault;
  unknownMembers?: string[];
}

export class Ec2Front {
  private readonly options: Ec2FrontOptions;

  constructor(options: Ec2FrontOptions) {
    this.options = options;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = randomUUID();
    const record: Record_ = { operation: '' };
    let status = 200;
    let errorCode: string | undefined;
    try {
      const answer = await this.dispatch(req, res, record, requestId);
      if (answer === DROPPED) {
        status = 0;
        errorCode = 'ConnectionDropped';
      } else {
        send(res, 200, answer, requestId);
        if (!READ_ONLY.test(record.operation)) this.options.onWrite();
      }
    } catch (err) {
      const error = this.asError(err);
      status = error.status;
      errorCode = error.code;
      send(res, error.status, encodeError(error.code, error.message, requestId), requestId);
    } finally {
      this.options.calls.add(entry(record, status, errorCode, req, started));
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, record: Record_, requestId: string): Promise<string | typeof DROPPED> {
    const body = await readBody(req);
    const request = parseForm(body);
    record.operation = request.action;
    const op = Object.hasOwn(ec2Model.operations, request.action) ? ec2Model.operations[request.action] : undefined;
    if (req.method !== 'POST' || op === undefined) {
      throw ec2Error('InvalidAction', `The action ${request.action || '(none)'} is not valid for this web service.`);
    }
    const decoded = decodeInput(op.input, request.params);
    record.input = decoded.input;
    if (decoded.unknownParams.length > 0) record.unknownMembers = decoded.unknownParams;

    const decision = this.options.faults.decide('ec2', request.action, this.options.partition);
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (decision.fault) {
      record.injected = decision.fault;
      if (decision.fault === 'drop') {
        res.socket?.destroy();
        return DROPPED;
      }
      throw faultError(decision.fault, decision.error);
    }
    if (op.input !== undefined) checkInput(op.input, decoded.input);
    const output = await this.options.backend.handle(request.action, decoded.input);
    return encodeResponse(request.action, op.output, output, requestId);
  }

  private asError(err: unknown): AwsError {
    if (err instanceof AwsError) return err;
    this.options.log(`emulator: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return ec2Error('InternalError', 'The local emulator failed to handle the request; see its log.', 500);
  }
}

const DROPPED = Symbol('dropped');

function send(res: ServerResponse, status: number, text: string, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': XML, 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': requestId });
  res.end(text);
}

/** EC2's own answers to the injected faults: RequestLimitExceeded (503), InternalError, Unavailable. */
function faultError(fault: Exclude<InjectedFault, 'drop'>, injected: AwsError | undefined): AwsError {
  switch (fault) {
    case 'throttle':
      return ec2Error('RequestLimitExceeded', 'Request limit exceeded.', 503);
    case '500':
      return ec2Error('InternalError', 'An internal error has occurred (local emulator fault).', 500);
    case '503':
      return ec2Error('Unavailable', 'The server is overloaded and can not handle the request (local emulator fault).', 503);
    case 'error':
      return injected ?? ec2Error('InternalError', 'Injected error without an answer (local emulator fault).', 500);
  }
}

function paramPath(path: PathSegment[], member?: string): string {
  return [...path, ...(member === undefined ? [] : [member])].map((seg) => (typeof seg === 'number' ? String(seg + 1) : seg)).join('.');
}

function describeViolation(v: Violation): string {
  switch (v.kind) {
    case 'range':
      return `Value (${v.value}) for parameter ${paramPath(v.path)} is invalid: must be between ${v.min ?? '-∞'} and ${v.max ?? '∞'}`;
    case 'length':
      return `Value for parameter ${paramPath(v.path)} is invalid: length must be between ${v.min ?? 0} and ${v.max ?? '∞'}`;
    case 'enum':
      return `Value (${v.value}) for parameter ${paramPath(v.path)} is invalid: must be one of ${v.allowed.join(', ')}`;
    case 'pattern':
      return `Value (${v.value}) for parameter ${paramPath(v.path)} is invalid`;
    default:
      return `Value for parameter ${paramPath(v.path)} is invalid`;
  }
}

/** The model's constraints, in EC2's words: MissingParameter for a required member, else InvalidParameterValue. */
function checkInput(shape: string, input: Record<string, unknown>): void {
  const violations = validateShape(ec2Model as unknown as ModelData, shape, input).filter((v) => v.kind !== 'unknown-member');
  const missing = violations.find((v) => v.kind === 'required');
  if (missing !== undefined && missing.kind === 'required')
    throw ec2Error('MissingParameter', `The request must contain the parameter ${paramPath(missing.path, missing.member)}`);
  const first = violations[0];
  if (first !== undefined) throw ec2Error('InvalidParameterValue', describeViolation(first));
}

function entry(
  record: Record_,
  status: number,
  errorCode: string | undefined,
  req: IncomingMessage,
  started: number,
): Omit<CallLogEntry, 'seq'> {
  const out: Omit<CallLogEntry, 'seq'> = {
    time: new Date().toISOString(),
    service: 'ec2',
    operation: record.operation,
    status,
    throttled: errorCode === 'RequestLimitExceeded',
    durationMs: Math.round((performance.now() - started) * 1000) / 1000,
  };
  if (errorCode !== undefined) out.errorCode = errorCode;
  if (record.injected) out.injected = record.injected;
  const attempt = /attempt=(\d+)/.exec(String(req.headers['amz-sdk-request'] ?? ''))?.[1];
  if (attempt !== undefined) out.attempt = Number(attempt);
  const input = record.input ?? {};
  const target = typeof input.VpcEndpointId === 'string' ? input.VpcEndpointId : undefined;
  const ids = (input.VpcEndpointIds ?? input.GroupIds) as unknown;
  if (target !== undefined) out.target = target;
  else if (Array.isArray(ids) && ids.length > 0) out.target = ids.map(String).join(',');
  if (record.unknownMembers) out.unknownMembers = record.unknownMembers;
  return out;
}
