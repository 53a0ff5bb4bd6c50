// Starts a local emulator for one test file and builds SDK clients pointed at it.
import { after } from 'node:test';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { SSMClientConfig } from '@aws-sdk/client-ssm';
import { TransferClient } from '@aws-sdk/client-transfer';
import type { TransferClientConfig } from '@aws-sdk/client-transfer';
import { startEmulator } from '../../infra/local/emulator.ts';
import type { Emulator, EmulatorOptions } from '../../infra/local/emulator.ts';

export const testCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** An emulator that is stopped when the test file ends (call it at the file's top level). */
export async function emulatorForTests(options: EmulatorOptions = {}): Promise<Emulator> {
  const emu = await startEmulator(options);
  after(() => emu.stop());
  return emu;
}

export function ssmClient(emu: Emulator, config: SSMClientConfig = {}): SSMClient {
  const client = new SSMClient({ endpoint: emu.url, region: emu.region, credentials: testCredentials, ...config });
  after(() => client.destroy());
  return client;
}

export function transferClient(emu: Emulator, config: TransferClientConfig = {}): TransferClient {
  const client = new TransferClient({ endpoint: emu.url, region: emu.region, credentials: testCredentials, ...config });
  after(() => client.destroy());
  return client;
}

/** POSTs a raw awsJson 1.1 request, for what the SDK cannot send (bad targets, bodies, types). */
export async function rawCall(
  emu: Emulator,
  target: string | undefined,
  body: string,
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
  if (target !== undefined) headers['x-amz-target'] = target;
  const res = await fetch(emu.url, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
