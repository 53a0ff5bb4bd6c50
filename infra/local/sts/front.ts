// STS on the emulator's port: query-protocol requests (`POST /`, form body `Action=AssumeRole&
// Version=2011-06-15&…`) signed for the `sts` service. AssumeRole and GetCallerIdentity; any other
// action is InvalidAction. Every call goes to the call log with its caller, account and region.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from '../aws-error.ts';
import type { CallLog } from '../call-log.ts';
import { readBody } from '../http-io.ts';
import { isExpired, roleIdOf } from '../principals.ts';
import { currentRequest } from '../request-context.ts';
import type { RoleRegistry } from './roles.ts';
import { stsError, stsErrorResponse, stsResponse } from './sts-xml.ts';

export interface StsFrontOptions {
  roles: RoleRegistry;
  calls: CallLog;
  log: (line: string) => void;
}

export class StsFront {
  private readonly options: StsFrontOptions;

  constructor(options: StsFrontOptions) {
    this.options = options;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = randomUUID();
    const params = new URLSearchParams(await readBody(req));
    const action = params.get('Action') ?? '';
    let status = 200;
    let errorCode: string | undefined;
    let target: string | undefined;
    try {
      const caller = currentRequest()?.caller;
      if (req.method !== 'POST' || caller === undefined) throw stsError('InvalidAction', `Could not find operation ${action}`, 400);
      if (isExpired(caller)) throw stsError('ExpiredToken', 'The security token included in the request is expired', 403);
      let result: Record<string, unknown>;
      if (action === 'GetCallerIdentity') {
        result = { UserId: caller.userId, Account: caller.accountId, Arn: caller.arn };
      } else if (action === 'AssumeRole') {
        target = params.get('RoleArn') ?? undefined;
        const duration = params.get('DurationSeconds');
        const s = this.options.roles.assume(caller, {
          ...(target === undefined ? {} : { RoleArn: target }),
          ...optional('RoleSessionName', params.get('RoleSessionName')),
          ...optional('ExternalId', params.get('ExternalId')),
          ...(duration === null ? {} : { DurationSeconds: /^[0-9]+$/.test(duration) ? Number(duration) : Number.NaN }),
        });
        result = {
          Credentials: {
            AccessKeyId: s.accessKeyId,
            SecretAccessKey: s.secretAccessKey,
            SessionToken: s.sessionToken,
            Expiration: s.expiration,
          },
          AssumedRoleUser: {
            AssumedRoleId: `${roleIdOf(s.accountId, s.roleName)}:${s.sessionName}`,
            Arn: `arn:aws:sts::${s.accountId}:assumed-role/${s.roleName}/${s.sessionName}`,
          },
        };
      } else {
        throw stsError('InvalidAction', `Could not find operation ${action || '(none)'} for version 2011-06-15`, 400);
      }
      send(res, 200, stsResponse(action, result, requestId), requestId);
    } catch (err) {
      const error = err instanceof AwsError ? err : this.internal(err);
      status = error.status;
      errorCode = error.code;
      send(res, error.status, stsErrorResponse(error.code, error.message, error.status, requestId), requestId);
    } finally {
      this.options.calls.add({
        time: new Date().toISOString(),
        service: 'sts',
        operation: action,
        status,
        throttled: false,
        durationMs: Math.round((performance.now() - started) * 1000) / 1000,
        ...(errorCode === undefined ? {} : { errorCode }),
        ...(target === undefined ? {} : { target }),
      });
    }
  }

  private internal(err: unknown): AwsError {
    this.options.log(`emulator: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return stsError('InternalFailure', 'The local emulator failed to handle the request; see its log.', 500);
  }
}

function optional<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value === null ? {} : ({ [key]: value } as Record<K, string>);
}

function send(res: ServerResponse, status: number, text: string, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': requestId });
  res.end(text);
}
