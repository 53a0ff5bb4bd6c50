// Shared set-up for the Transfer back end's unit tests: a back end on a hand-driven clock.
import assert from 'node:assert/strict';
import { AwsError } from '../../infra/local/aws-error.ts';
import { TransferBackend } from '../../infra/local/transfer/backend.ts';
import type { TransferOptions } from '../../infra/local/types.ts';

export const DELAY = 1000;

export interface Harness {
  backend: TransferBackend;
  advance(ms: number): void;
  call(operation: string, input?: Record<string, unknown>): Promise<Record<string, unknown>>;
  describe(serverId: string): Promise<Record<string, unknown>>;
  /** Creates a server and lets it come ONLINE. */
  createOnline(input?: Record<string, unknown>): Promise<string>;
  /** Creates a server, lets it come ONLINE, stops it and lets it go OFFLINE. */
  createOffline(input?: Record<string, unknown>): Promise<string>;
}

export function harness(options: Partial<TransferOptions> = {}): Harness {
  let time = 1_700_000_000_000;
  const backend = new TransferBackend({
    region: 'us-east-1',
    accountId: '123456789012',
    nestedUpdate: 'merge',
    transitionDelayMs: DELAY,
    now: () => time,
    ...options,
  });
  const h: Harness = {
    backend,
    advance(ms) {
      time += ms;
    },
    async call(operation, input = {}) {
      return (await backend.handle(operation, input)) as Record<string, unknown>;
    },
    async describe(serverId) {
      const answer = await h.call('DescribeServer', { ServerId: serverId });
      return answer.Server as Record<string, unknown>;
    },
    async createOnline(input = {}) {
      const { ServerId } = (await h.call('CreateServer', input)) as { ServerId: string };
      h.advance(DELAY);
      return ServerId;
    },
    async createOffline(input = {}) {
      const serverId = await h.createOnline(input);
      await h.call('StopServer', { ServerId: serverId });
      h.advance(DELAY);
      return serverId;
    },
  };
  return h;
}

export const VPC = {
  EndpointType: 'VPC',
  EndpointDetails: { VpcId: 'vpc-0a1b2c3d', SubnetIds: ['subnet-1111'], SecurityGroupIds: ['sg-1111'] },
};

/** Asserts the promise rejects with an AwsError of `code` whose message matches `message`. */
export async function rejectsWith(promise: Promise<unknown>, code: string, message?: RegExp): Promise<AwsError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof AwsError, `expected AwsError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.status, 400);
  if (message !== undefined) assert.match(caught.message, message);
  return caught;
}
