// The seed's cross-field rules for UpdateServer (seed/update_server.txt; aws-behaviour.md
// "Transfer: UpdateServer — rules"), declared once. Static validation evaluates them over the
// document alone, effective validation over the document merged with the observed server; both
// read the same view and report the same message, so what a user is told does not depend on
// whether the server already had the field.
import { showText } from '../desired/user-text.ts';
import { isPlainObject } from '../../shared/model-validate.ts';
import type { EndpointDetails, IdentityProviderDetails } from '../types.ts';
import { ENDPOINT_MEMBER_TYPES, FTP_IDENTITY_PROVIDERS, IDENTITY_MEMBER_TYPES, SET_FIELDS, SET_MEMBERS } from './fields.ts';

export type SeedField =
  | 'Protocols'
  | 'Certificate'
  | 'EndpointType'
  | 'IpAddressType'
  | 'IdentityProviderType'
  | `EndpointDetails.${keyof EndpointDetails}`
  | `IdentityProviderDetails.${keyof IdentityProviderDetails}`;

/** The server's settings as the rules read them: dotted field → value; an absent field has no entry. */
export type Settings = Partial<Record<SeedField, string | readonly string[]>>;

export interface SeedRule {
  id: string;
  /** Every field the rule reads, the one to blame first: static blames the first, effective the first the document manages. */
  fields: readonly SeedField[];
  broken: (s: Settings) => boolean;
  message: (s: Settings) => string;
}

type Value = string | readonly string[] | undefined;
const list = (v: Value): readonly string[] => (Array.isArray(v) ? v : []);
const text = (v: Value): string => (typeof v === 'string' ? v : '');
/** A value echoed in a message: an enum word as it is, anything else through the one echo (cut, escaped, or withheld). */
const shown = (v: Value): string => {
  const t = text(v);
  return /^[A-Z][A-Z0-9_]{0,39}$/.test(t) ? t : showText(t);
};
/** A member that sets something: an empty list only clears (the diff reads it as absent). */
const sets = (v: Value): boolean => v !== undefined && !(Array.isArray(v) && v.length === 0);
const protocolsOf = (s: Settings, among: readonly string[]): string[] => among.filter((p) => list(s.Protocols).includes(p));
const and = (names: readonly string[]): string => names.join(' and ');
const or = (names: readonly string[]): string => names.join(' or ');
const needs = (names: readonly string[]): string => (names.length > 1 ? 'need' : 'needs');

const VPC_PROTOCOLS = ['FTP', 'FTPS', 'AS2'];
const FTP_PROTOCOLS = ['FTP', 'FTPS'];
const FTP_PROVIDERS = `${FTP_IDENTITY_PROVIDERS.slice(0, -1).join(', ')} or ${FTP_IDENTITY_PROVIDERS.at(-1) ?? ''}`;

/** "This property can only be set when EndpointType is set to …" (seed, EndpointDetails). */
const ENDPOINT_MEMBER_RULES: readonly SeedRule[] = (
  Object.entries(ENDPOINT_MEMBER_TYPES) as [keyof EndpointDetails, readonly string[]][]
).map(([member, types]) => ({
  id: `endpoint-member.${member}`,
  fields: [`EndpointDetails.${member}`, 'EndpointType'],
  broken: (s) => sets(s[`EndpointDetails.${member}`]) && !types.includes(text(s.EndpointType)),
  message: (s) =>
    `EndpointDetails.${member} can only be set when EndpointType is ${or(types)}, and the server's EndpointType would be ${shown(s.EndpointType)}. Remove EndpointDetails.${member} or set "EndpointType": "${types[0] ?? ''}".`,
}));

const IDENTITY_MEMBER_RULES: readonly SeedRule[] = (
  Object.entries(IDENTITY_MEMBER_TYPES) as [keyof IdentityProviderDetails, readonly string[]][]
).map(([member, types]) => ({
  id: `identity-member.${member}`,
  fields: [`IdentityProviderDetails.${member}`, 'IdentityProviderType'],
  broken: (s) => sets(s[`IdentityProviderDetails.${member}`]) && !types.includes(text(s.IdentityProviderType)),
  message: (s) =>
    `IdentityProviderDetails.${member} belongs to IdentityProviderType ${or(types)}, and the server's IdentityProviderType would be ${shown(s.IdentityProviderType)}. Remove IdentityProviderDetails.${member} or change IdentityProviderType.`,
}));

const PROTOCOL_RULES: readonly SeedRule[] = [
  {
    id: 'ftps-certificate',
    fields: ['Certificate', 'Protocols'],
    broken: (s) => list(s.Protocols).includes('FTPS') && text(s.Certificate) === '',
    message: () =>
      'Protocols includes FTPS, which needs a Certificate (an ACM certificate ARN). Set Certificate or remove FTPS from Protocols.',
  },
  {
    id: 'protocols-vpc',
    fields: ['EndpointType', 'Protocols'],
    broken: (s) => protocolsOf(s, VPC_PROTOCOLS).length > 0 && s.EndpointType !== 'VPC',
    message: (s) => {
      const p = protocolsOf(s, VPC_PROTOCOLS);
      return `Protocols includes ${and(p)}, which ${needs(p)} EndpointType VPC, and the server's EndpointType would be ${shown(s.EndpointType)}. Set "EndpointType": "VPC" with its EndpointDetails, or remove ${and(p)} from Protocols.`;
    },
  },
  {
    id: 'ftp-identity-provider',
    fields: ['IdentityProviderType', 'Protocols'],
    broken: (s) =>
      protocolsOf(s, FTP_PROTOCOLS).length > 0 && !(FTP_IDENTITY_PROVIDERS as readonly string[]).includes(text(s.IdentityProviderType)),
    message: (s) => {
      const p = protocolsOf(s, FTP_PROTOCOLS);
      return `Protocols includes ${and(p)}, which ${needs(p)} a custom or directory identity provider (IdentityProviderType ${FTP_PROVIDERS}), and the server's IdentityProviderType would be ${shown(s.IdentityProviderType)}. Change IdentityProviderType or remove ${and(p)} from Protocols.`;
    },
  },
  {
    id: 'ftp-elastic-ips',
    fields: ['EndpointDetails.AddressAllocationIds', 'Protocols'],
    broken: (s) => list(s.Protocols).includes('FTP') && sets(s['EndpointDetails.AddressAllocationIds']),
    message: () =>
      'Protocols includes FTP, which cannot be used with Elastic IPs (EndpointDetails.AddressAllocationIds). Remove the AddressAllocationIds (set them to []) or remove FTP from Protocols.',
  },
];

const ELASTIC_IP_RULES: readonly SeedRule[] = [
  {
    id: 'dualstack-elastic-ips',
    fields: ['EndpointDetails.AddressAllocationIds', 'IpAddressType'],
    broken: (s) => s.IpAddressType === 'DUALSTACK' && sets(s['EndpointDetails.AddressAllocationIds']),
    message: () =>
      'EndpointDetails.AddressAllocationIds (Elastic IPs) cannot be used with IpAddressType DUALSTACK. Use IpAddressType IPV4 or remove the AddressAllocationIds (set them to []).',
  },
  {
    // "only once SubnetIds are already set" (aws-behaviour.md); the order of the calls is the plan's.
    id: 'elastic-ips-subnets',
    fields: ['EndpointDetails.AddressAllocationIds', 'EndpointDetails.SubnetIds'],
    broken: (s) => sets(s['EndpointDetails.AddressAllocationIds']) && !sets(s['EndpointDetails.SubnetIds']),
    message: () =>
      'EndpointDetails.AddressAllocationIds (Elastic IPs) need EndpointDetails.SubnetIds on the server. Add the SubnetIds, or remove the AddressAllocationIds (set them to []).',
  },
];

/** In the order effective validation reports them: a member of the wrong type before rules about its value. */
export const SEED_RULES: readonly SeedRule[] = [...ENDPOINT_MEMBER_RULES, ...IDENTITY_MEMBER_RULES, ...PROTOCOL_RULES, ...ELASTIC_IP_RULES];

const SEED_FIELDS: readonly SeedField[] = [...new Set(SEED_RULES.flatMap((r) => r.fields))];

function isListField(field: string): boolean {
  return (SET_FIELDS as readonly string[]).includes(field) || SET_MEMBERS.has(field);
}

/**
 * The settings of a document-shaped record. A value of the wrong type is left out (static
 * validation reports its type; a rule that read it would only add noise).
 */
export function settingsOf(record: Record<string, unknown>): Settings {
  const settings: Settings = {};
  for (const field of SEED_FIELDS) {
    const [key, member] = field.split('.') as [string, string | undefined];
    const outer = Object.hasOwn(record, key) ? record[key] : undefined;
    const value = member === undefined ? outer : isPlainObject(outer) && Object.hasOwn(outer, member) ? outer[member] : undefined;
    if (isListField(field) && Array.isArray(value)) settings[field] = value.filter((v): v is string => typeof v === 'string');
    else if (!isListField(field) && typeof value === 'string') settings[field] = value;
  }
  return settings;
}
