// The reference a user would otherwise script: one plain sequential loop with the SDK's default
// settings (3 attempts, standard retry, no pacing). Read every document, describe its server,
// update the fields that differ, fix the tags, describe again to check. It knows only the keys
// the benchmark's documents use, validates nothing and never stops a server: it is the same
// work as the sweep with the same calls, without the pacing and the concurrency.
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DescribeServerCommand, TagResourceCommand, TransferClient, UpdateServerCommand } from '@aws-sdk/client-transfer';
import type { DescribedServer, UpdateServerCommandInput } from '@aws-sdk/client-transfer';

export interface NaiveResult {
  servers: number;
  updated: number;
  failed: number;
  /** The first few error messages (code: message). */
  errors: string[];
}

type Doc = Record<string, unknown> & { Tags?: Array<{ Key: string; Value: string }> };

const SCALARS = ['SecurityPolicyName', 'LoggingRole', 'PreAuthenticationLoginBanner', 'PostAuthenticationLoginBanner'] as const;
const OBJECTS = ['ProtocolDetails', 'S3StorageOptions'] as const;

function sameSet(a: unknown, b: unknown): boolean {
  return (
    JSON.stringify([...((a as string[] | undefined) ?? [])].sort()) === JSON.stringify([...((b as string[] | undefined) ?? [])].sort())
  );
}

function differences(doc: Doc, server: DescribedServer): Partial<UpdateServerCommandInput> {
  const s = server as unknown as Record<string, unknown>;
  const update: Record<string, unknown> = {};
  for (const key of SCALARS) if (key in doc && (s[key] ?? '') !== doc[key]) update[key] = doc[key];
  for (const key of OBJECTS) {
    if (!(key in doc)) continue;
    const want = doc[key] as Record<string, unknown>;
    const have = (s[key] ?? {}) as Record<string, unknown>;
    if (Object.keys(want).some((k) => have[k] !== want[k])) update[key] = want;
  }
  if ('StructuredLogDestinations' in doc && !sameSet(doc.StructuredLogDestinations, s.StructuredLogDestinations))
    update.StructuredLogDestinations = doc.StructuredLogDestinations;
  return update as Partial<UpdateServerCommandInput>;
}

export async function naiveSweep(options: { endpoint: string; prefix: string; region?: string }): Promise<NaiveResult> {
  const config = {
    endpoint: options.endpoint,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const ssm = new SSMClient(config);
  const transfer = new TransferClient(config);
  const result: NaiveResult = { servers: 0, updated: 0, failed: 0, errors: [] };
  let NextToken: string | undefined;
  do {
    const page = await ssm.send(new GetParametersByPathCommand({ Path: options.prefix, WithDecryption: true, MaxResults: 10, NextToken }));
    for (const p of page.Parameters ?? []) {
      result.servers++;
      const ServerId = (p.Name ?? '').slice(options.prefix.length);
      try {
        const doc = JSON.parse(p.Value ?? '{}') as Doc;
        const { Server } = await transfer.send(new DescribeServerCommand({ ServerId }));
        if (!Server) throw new Error(`no server ${ServerId}`);
        const update = differences(doc, Server);
        const tags = (doc.Tags ?? []).filter((t) => !Server.Tags?.some((h) => h.Key === t.Key && h.Value === t.Value));
        if (Object.keys(update).length === 0 && tags.length === 0) continue;
        if (Object.keys(update).length > 0) await transfer.send(new UpdateServerCommand({ ServerId, ...update }));
        if (tags.length > 0) await transfer.send(new TagResourceCommand({ Arn: Server.Arn, Tags: tags }));
        await transfer.send(new DescribeServerCommand({ ServerId }));
        result.updated++;
      } catch (err) {
        result.failed++;
        if (result.errors.length < 5) result.errors.push(`${(err as Error).name}: ${(err as Error).message}`);
      }
    }
    NextToken = page.NextToken;
  } while (NextToken);
  ssm.destroy();
  transfer.destroy();
  return result;
}
