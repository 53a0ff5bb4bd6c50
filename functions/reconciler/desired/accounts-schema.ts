// The accounts file's JSON Schema (draft 2020-12), from the same constants as its rules
// (accounts-rules.ts). The rules also check what a schema cannot state: unique ids, the role's
// account and partition, the size limit. schema/accounts.schema.json is this text (a test checks).
import { REGION_PATTERN } from './aws-region.ts';
import { ENTRY_KEYS, EXTERNAL_ID, NAME_MAX, ROLE_ARN } from './accounts-rules.ts';

export const ACCOUNTS_SCHEMA_ID = 'https://transfer-reconciler.dev/schema/accounts.json';
const rate = (what: string) => ({
  type: 'number',
  exclusiveMinimum: 0,
  description: `${what} API calls per second to this account, per region (default: the deployment's)`,
});

export function accountsSchema(): Record<string, unknown> {
  const entry = {
    type: 'object',
    description: 'A spoke account the hub manages servers in.',
    properties: {
      id: { type: 'string', pattern: '^\\d{12}$', description: 'The 12-digit account id (quote it in YAML).' },
      name: { type: 'string', minLength: 1, maxLength: NAME_MAX, description: 'A label for people; not used by the reconciler.' },
      role: {
        type: 'string',
        pattern: ROLE_ARN,
        description: 'The IAM role the hub assumes in this account (arn:<partition>:iam::<id>:role/<name>).',
      },
      readRole: {
        type: 'string',
        pattern: ROLE_ARN,
        description:
          "The read-only role the router and the CLI's plan, status and export assume (the spoke stack's <SpokeRoleName>-read); default: role.",
      },
      externalId: {
        type: 'string',
        minLength: EXTERNAL_ID.min,
        maxLength: EXTERNAL_ID.max,
        pattern: `^${EXTERNAL_ID.pattern}$`,
        description: "The ExternalId sent with sts:AssumeRole; the role's trust policy requires it.",
      },
      regions: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { type: 'string', pattern: REGION_PATTERN },
        description: 'Regions with servers.',
      },
      transferCallsPerSecond: rate('Transfer'),
      ssmCallsPerSecond: rate('SSM'),
    },
    required: ['id', 'role', 'externalId', 'regions'],
    additionalProperties: false,
  };
  if (Object.keys(entry.properties).join() !== ENTRY_KEYS.join()) throw new Error('accounts schema and rules disagree on the keys');
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: ACCOUNTS_SCHEMA_ID,
    title: 'transfer-reconciler accounts file: the spoke accounts and regions a hub manages',
    type: 'object',
    properties: { $schema: { type: 'string', description: 'Ignored (for editors).' }, accounts: { type: 'array', items: entry } },
    required: ['accounts'],
    additionalProperties: false,
  };
}

export function accountsSchemaText(): string {
  return `${JSON.stringify(accountsSchema(), null, 2)}\n`;
}
