// Extracts, from the botocore service models in ../shared/aws-models, the data the project validates
// against: shapes reachable from the operations we use, with type, members, required, lengths,
// ranges, patterns and enums. Documentation is dropped. Output: functions/shared/aws-models/*.json.
// `npm run gen:model` rewrites them; test/unit/model-constraints.test.ts checks they are current.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SERVICES = {
  transfer: {
    source: 'transfer-2018-11-05.service-2.json',
    operations: [
      'CreateServer',
      'DescribeServer',
      'UpdateServer',
      'StartServer',
      'StopServer',
      'ListServers',
      'DeleteServer',
      'TagResource',
      'UntagResource',
      'ListTagsForResource',
      'ListSecurityPolicies',
      'ImportHostKey',
      'ListHostKeys',
      'DescribeHostKey',
      'UpdateHostKey',
      'DeleteHostKey',
    ],
  },
  ssm: {
    source: 'ssm-2014-11-06.service-2.json',
    operations: [
      'PutParameter',
      'GetParameter',
      'GetParameters',
      'GetParametersByPath',
      'DeleteParameter',
      'DeleteParameters',
      // Host-key fingerprints are recorded as tags on the key's parameter (push writes, plan reads).
      'AddTagsToResource',
      'RemoveTagsFromResource',
      'ListTagsForResource',
    ],
  },
  // The subset model holds only what the emulator serves (the full EC2 model is 3 MB).
  ec2: {
    source: 'ec2-2016-11-15.subset.service-2.json',
    operations: ['DescribeVpcEndpoints', 'ModifyVpcEndpoint', 'DescribeSecurityGroups'],
  },
  // The work queue between the triggers and the worker (docs/pipeline.md); the emulator serves it.
  // The accounts file's external id, and the roles the workers and the CLI assume (docs/accounts.md).
  sts: {
    source: 'sts-2011-06-15.service-2.json',
    operations: ['AssumeRole', 'GetCallerIdentity'],
  },
  sqs: {
    source: 'sqs-2012-11-05.service-2.json',
    operations: [
      'CreateQueue',
      'GetQueueUrl',
      'GetQueueAttributes',
      'SetQueueAttributes',
      'SendMessage',
      'SendMessageBatch',
      'ReceiveMessage',
      'DeleteMessage',
      'DeleteMessageBatch',
      'ChangeMessageVisibility',
      'ChangeMessageVisibilityBatch',
      'PurgeQueue',
      'ListQueues',
      'DeleteQueue',
    ],
  },
} as const;

const KEPT = ['type', 'required', 'min', 'max', 'pattern', 'enum', 'sensitive', 'exception'] as const;

interface MemberRef {
  shape: string;
  locationName?: string;
  queryName?: string;
}
interface RawShape {
  [key: string]: unknown;
  members?: Record<string, MemberRef>;
  member?: MemberRef;
  key?: { shape: string };
  value?: { shape: string };
}
interface RawModel {
  metadata: Record<string, unknown>;
  operations: Record<string, { input?: { shape: string }; output?: { shape: string }; errors?: { shape: string }[] }>;
  shapes: Record<string, RawShape>;
}

export function extract(model: RawModel, operations: readonly string[]): unknown {
  const shapes: Record<string, Record<string, unknown>> = {};
  const visit = (name: string): void => {
    if (shapes[name]) return;
    const raw = model.shapes[name];
    if (!raw) throw new Error(`shape ${name} missing from model`);
    const out: Record<string, unknown> = {};
    for (const key of KEPT) if (raw[key] !== undefined) out[key] = raw[key];
    shapes[name] = out;
    if (raw.members) {
      out.members = Object.fromEntries(Object.entries(raw.members).map(([m, ref]) => [m, ref.shape]));
      // Wire names, for the query/XML protocol (EC2): only where the model has them, so the JSON
      // services' extracts carry none.
      const located = Object.entries(raw.members).filter(([, ref]) => ref.locationName !== undefined);
      if (located.length > 0) out.locationNames = Object.fromEntries(located.map(([m, ref]) => [m, ref.locationName]));
      const queried = Object.entries(raw.members).filter(([, ref]) => ref.queryName !== undefined);
      if (queried.length > 0) out.queryNames = Object.fromEntries(queried.map(([m, ref]) => [m, ref.queryName]));
      for (const ref of Object.values(raw.members)) visit(ref.shape);
    }
    if (raw.member?.locationName !== undefined) out.memberLocationName = raw.member.locationName;
    for (const k of ['member', 'key', 'value'] as const) {
      const ref = raw[k];
      if (ref) {
        out[k] = ref.shape;
        visit(ref.shape);
      }
    }
  };
  const ops: Record<string, { input?: string; output?: string; errors: string[] }> = {};
  for (const op of operations) {
    const o = model.operations[op];
    if (!o) throw new Error(`operation ${op} missing from model`);
    if (o.input) visit(o.input.shape);
    if (o.output) visit(o.output.shape);
    for (const e of o.errors ?? []) visit(e.shape);
    ops[op] = { input: o.input?.shape, output: o.output?.shape, errors: (o.errors ?? []).map((e) => e.shape) };
  }
  const sorted = Object.fromEntries(Object.entries(shapes).sort(([a], [b]) => a.localeCompare(b)));
  return {
    metadata: {
      apiVersion: model.metadata.apiVersion,
      targetPrefix: model.metadata.targetPrefix,
      protocol: model.metadata.protocol,
      xmlNamespace: model.metadata.xmlNamespace,
    },
    operations: ops,
    shapes: sorted,
  };
}

export function generate(sharedModels: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, svc] of Object.entries(SERVICES)) {
    const model = JSON.parse(readFileSync(`${sharedModels}/${svc.source}`, 'utf8')) as RawModel;
    out[name] = `${JSON.stringify(extract(model, svc.operations), null, 1)}\n`;
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const files = generate(`${root}../shared/aws-models`);
  for (const [name, text] of Object.entries(files)) writeFileSync(`${root}functions/shared/aws-models/${name}.json`, text);
  console.log(
    `wrote ${Object.keys(files)
      .map((n) => `functions/shared/aws-models/${n}.json`)
      .join(', ')}`,
  );
}
