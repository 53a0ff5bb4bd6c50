// An EC2 SDK client pointed at a test emulator (the query protocol on the same port).
import { after } from 'node:test';
import { EC2Client } from '@aws-sdk/client-ec2';
import type { EC2ClientConfig } from '@aws-sdk/client-ec2';
import type { Emulator } from '../../infra/local/emulator.ts';
import { testCredentials } from './emulator.ts';

export function ec2Client(emu: Emulator, config: EC2ClientConfig = {}): EC2Client {
  const client = new EC2Client({ endpoint: emu.url, region: emu.region, credentials: testCredentials, ...config });
  after(() => client.destroy());
  return client;
}

/** POSTs a raw EC2 query request (form body), for what the SDK will not send. */
export async function rawQuery(emu: Emulator, params: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(emu.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, text: await res.text() };
}
