// The key catalogue of the desired-state document (../shared/docs/desired-state.md "Keys").
// The UpdateServer members are read from the Transfer model data (UpdateServerRequest), so their
// lengths, patterns and enums are the model's; the document's own keys (HostKey, Tags, State,
// Reconciler, ServerId, $schema) are declared here.
import type { ModelData } from '../../shared/model-validate.ts';
import { translateJavaPattern } from '../../shared/java-pattern.ts';
import transferJson from '../../shared/aws-models/transfer.json' with { type: 'json' };
import type { CatalogueNode, ObjectNode, ValueFormat } from './catalogue-types.ts';
import { DESCRIPTIONS } from './descriptions.ts';

export const transferModel = transferJson as ModelData;

/** UpdateServer members a document does not take as they are (ServerId comes from the name, HostKey is a reference). */
const NOT_FROM_REQUEST = new Set(['ServerId', 'HostKey']);

/** Lists compared as sets (desired-state.md "Meaning"), by dotted path. */
export const SET_PATHS: readonly string[] = [
  'Protocols',
  'EndpointDetails.SubnetIds',
  'EndpointDetails.AddressAllocationIds',
  'EndpointDetails.SecurityGroupIds',
  'StructuredLogDestinations',
  'ProtocolDetails.As2Transports',
];

/** Formats the API documents in prose only; checked by rules/value-formats.ts. */
const FORMATS: Record<string, ValueFormat> = {
  Certificate: 'acm-certificate-arn',
  'ProtocolDetails.PassiveIp': 'passive-ip',
  'StructuredLogDestinations[]': 'log-group-arn',
  'HostKey.SecureStringParameter': 'ssm-parameter-name',
};

function describe(path: string): string {
  const text = DESCRIPTIONS[path];
  if (text === undefined) throw new Error(`no description for ${path}`);
  return text;
}

/** Builds the node for a model shape, recursively; `path` is the dotted document path. */
function fromShape(shapeName: string, path: string): CatalogueNode {
  const def = transferModel.shapes[shapeName];
  if (!def) throw new Error(`shape ${shapeName} missing from the Transfer model`);
  const common = { description: describe(path), shape: shapeName };
  switch (def.type) {
    case 'structure':
      return {
        ...common,
        type: 'object',
        members: Object.fromEntries(Object.entries(def.members ?? {}).map(([name, ref]) => [name, fromShape(ref, `${path}.${name}`)])),
        ...(def.required ? { required: def.required } : {}),
      };
    case 'list':
      return {
        ...common,
        type: 'list',
        item: fromShape(def.member as string, `${path}[]`),
        ...(SET_PATHS.includes(path) ? { set: true } : {}),
        ...(def.min !== undefined ? { min: def.min } : {}),
        ...(def.max !== undefined ? { max: def.max } : {}),
      };
    case 'string':
      return {
        ...common,
        type: 'string',
        ...(def.enum ? { enum: def.enum } : {}),
        ...(def.pattern !== undefined ? { pattern: def.pattern } : {}),
        ...(def.min !== undefined ? { min: def.min } : {}),
        ...(def.max !== undefined ? { max: def.max } : {}),
        ...(FORMATS[path] ? { format: FORMATS[path] } : {}),
      };
    case 'boolean':
      return { ...common, type: 'boolean' };
    default:
      throw new Error(`shape ${shapeName} has type ${def.type}, which a document cannot hold`);
  }
}

function requestMembers(): Record<string, CatalogueNode> {
  const request = transferModel.shapes.UpdateServerRequest;
  if (!request?.members) throw new Error('UpdateServerRequest missing from the Transfer model');
  const out: Record<string, CatalogueNode> = {};
  for (const [name, shapeName] of Object.entries(request.members)) {
    if (!NOT_FROM_REQUEST.has(name)) out[name] = fromShape(shapeName, name);
  }
  return out;
}

const bool = (path: string): CatalogueNode => ({ type: 'boolean', description: describe(path) });

/**
 * HostKeys: the whole set of keys (desired-state.md "Extensions"). The count limit and the rules
 * between entries are in rules/host-keys.ts (their messages name the limit's source); Description
 * is the model's HostKeyDescription (ImportHostKey, UpdateHostKey).
 */
function hostKeysNode(): CatalogueNode {
  const description = fromShape('HostKeyDescription', 'HostKeys[].Description');
  const javaPattern = transferModel.shapes.HostKeyDescription?.pattern;
  return {
    type: 'list',
    description: describe('HostKeys'),
    // An empty list would mean a server without keys: refused in rules/host-keys.ts.
    min: 1,
    item: {
      type: 'object',
      description: describe('HostKeys[]'),
      members: {
        SecureStringParameter: {
          type: 'string',
          min: 1,
          max: 2048,
          format: 'ssm-parameter-name',
          description: describe('HostKeys[].SecureStringParameter'),
        },
        // The model's pattern is Java's `[\p{Print}]*`, which a JSON Schema (ECMAScript) cannot
        // compile: the schema gets its translation; validation itself uses the model's shape.
        Description:
          description.type === 'string' && javaPattern !== undefined
            ? { ...description, pattern: translateJavaPattern(javaPattern).source }
            : description,
      },
      required: ['SecureStringParameter'],
    },
  };
}

/** The document's own keys, beyond UpdateServer's. */
function ownMembers(): Record<string, CatalogueNode> {
  return {
    $schema: { type: 'string', description: describe('$schema') },
    ServerId: { ...fromShape('ServerId', 'ServerId') },
    HostKey: {
      type: 'object',
      description: describe('HostKey'),
      members: {
        SecureStringParameter: {
          type: 'string',
          min: 1,
          max: 2048,
          format: 'ssm-parameter-name',
          description: describe('HostKey.SecureStringParameter'),
        },
      },
      required: ['SecureStringParameter'],
    },
    HostKeys: hostKeysNode(),
    Tags: {
      type: 'list',
      description: describe('Tags'),
      // The model's Tags list has min 1 (TagResource); a document may list none (with PruneTags: remove all).
      min: 0,
      max: transferModel.shapes.Tags?.max ?? 50,
      item: fromShape('Tag', 'Tags[]'),
    },
    CustomHostname: {
      type: 'object',
      description: describe('CustomHostname'),
      orEmptyString: true,
      members: {
        Hostname: { type: 'string', min: 1, max: 253, format: 'dns-hostname', description: describe('CustomHostname.Hostname') },
        Route53HostedZoneId: {
          type: 'string',
          min: 1,
          max: 256,
          format: 'hosted-zone-id',
          description: describe('CustomHostname.Route53HostedZoneId'),
        },
      },
      required: ['Hostname'],
    },
    State: { type: 'string', enum: ['ONLINE', 'OFFLINE'], description: describe('State') },
    Reconciler: {
      type: 'object',
      description: describe('Reconciler'),
      members: {
        Mode: { type: 'string', enum: ['enforce', 'detect'], description: describe('Reconciler.Mode') },
        AllowOfflineChanges: bool('Reconciler.AllowOfflineChanges'),
        AllowHostKeyRotation: bool('Reconciler.AllowHostKeyRotation'),
        PruneTags: bool('Reconciler.PruneTags'),
      },
    },
  };
}

/** The whole document: the catalogue's root. */
export const DOCUMENT: ObjectNode = {
  type: 'object',
  description: describe('$'),
  members: { ...ownMembersFirst(), ...requestMembers(), ...ownMembersLast() },
};

function ownMembersFirst(): Record<string, CatalogueNode> {
  const own = ownMembers();
  return { $schema: own.$schema as CatalogueNode, ServerId: own.ServerId as CatalogueNode };
}

function ownMembersLast(): Record<string, CatalogueNode> {
  const { $schema: _schema, ServerId: _id, ...rest } = ownMembers();
  return rest;
}

/** Every top-level key a document may hold. */
export const DOCUMENT_KEYS: readonly string[] = Object.keys(DOCUMENT.members);

/** The catalogue node at a dotted path (`EndpointDetails.SubnetIds`, `Tags[]`), or undefined. */
export function nodeAt(path: string): CatalogueNode | undefined {
  let node: CatalogueNode | undefined = DOCUMENT;
  for (const part of path.split('.')) {
    const name = part.endsWith('[]') ? part.slice(0, -2) : part;
    node = node?.type === 'object' ? node.members[name] : undefined;
    if (part.endsWith('[]')) node = node?.type === 'list' ? node.item : undefined;
  }
  return node;
}
