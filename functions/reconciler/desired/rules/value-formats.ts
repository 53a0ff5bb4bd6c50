// Formats the API states in prose rather than in the model (aws-behaviour.md): PassiveIp, the
// structured-log destination ARN, the ACM certificate ARN, and SSM parameter names (for HostKey
// references).
import type { ValueFormat } from '../catalogue-types.ts';
import { showValue } from './show-value.ts';

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const PASSIVE_IP = `^(?:AUTO|${OCTET}(?:\\.${OCTET}){3})$`;
const PASSIVE_IP_RE = new RegExp(PASSIVE_IP);

/** PassiveIp: AUTO (the default), 0.0.0.0 (use the control connection's address), or one IPv4 address. */
function passiveIp(value: string): string | undefined {
  if (PASSIVE_IP_RE.test(value)) return undefined;
  return `must be AUTO, 0.0.0.0 or a single IPv4 address such as 203.0.113.10; found ${showValue(value)}.`;
}

// CloudWatch Logs group names: 1-512 of [A-Za-z0-9_./#-]; UpdateServer wants the group ARN with ":*".
const LOG_GROUP_ARN = /^arn:aws(?:-[a-z]+)*:logs:[a-z]{2}(?:-[a-z]+)+-[0-9]+:[0-9]{12}:log-group:[A-Za-z0-9_./#-]{1,512}:\*$/;

function logGroupArn(value: string): string | undefined {
  if (LOG_GROUP_ARN.test(value)) return undefined;
  const hint = /^arn:aws[a-z-]*:logs:[^:]*:[^:]*:log-group:[^:]+$/.test(value) ? ' Add ":*" at the end.' : '';
  return `must be a CloudWatch Logs log group ARN, arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*, such as arn:aws:logs:us-east-1:111122223333:log-group:transfer:*; found ${showValue(value)}.${hint}`;
}

// "" removes the certificate. AWS refuses anything else that is not an ACM certificate's ARN.
const ACM_CERTIFICATE_ARN = /^(?:|arn:aws(?:-[a-z]+)*:acm:[a-z]{2}(?:-[a-z]+)+-[0-9]+:[0-9]{12}:certificate\/[A-Za-z0-9-]{1,128})$/;

function acmCertificateArn(value: string): string | undefined {
  if (ACM_CERTIFICATE_ARN.test(value)) return undefined;
  // Only an ARN-looking value is quoted: this key is where a pasted PEM (a private key) would land.
  const found = /^arn:[\x21-\x7E]*$/.test(value) ? `found ${showValue(value)}` : 'found a value that is not an ARN';
  return `must be the ARN of an ACM certificate, arn:aws:acm:REGION:ACCOUNT:certificate/ID, such as arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789, or "" to remove it; ${found}.`;
}

const SECRETS_MANAGER_REFERENCE = '/aws/reference/secretsmanager/';
// Secret names use [A-Za-z0-9/_+=.@-]; a full secret ARN also has colons.
const SECRET_ID = /^[A-Za-z0-9/_+=.@:-]{1,2048}$/;
// Parameter Store naming rules (SSM user guide, "Parameter name requirements").
const PARAMETER_CHARS = /^[A-Za-z0-9_.\-/]+$/;
const MAX_PARAMETER_NAME = 1011;
const MAX_HIERARCHY_LEVELS = 15;

export function isSecretsManagerReference(name: string): boolean {
  return name.startsWith(SECRETS_MANAGER_REFERENCE);
}

function ssmParameterName(value: string): string | undefined {
  if (isSecretsManagerReference(value)) {
    const id = value.slice(SECRETS_MANAGER_REFERENCE.length);
    return SECRET_ID.test(id)
      ? undefined
      : `must name a secret after ${SECRETS_MANAGER_REFERENCE}: its name or ARN (letters, digits and /_+=.@:-).`;
  }
  const problems: string[] = [];
  if (value.length === 0) problems.push('it is empty');
  if (value.length > MAX_PARAMETER_NAME) problems.push(`it is longer than ${MAX_PARAMETER_NAME} characters`);
  if (!PARAMETER_CHARS.test(value)) problems.push('it may hold only letters, digits and _ . - /');
  if (value.includes('/') && !value.startsWith('/')) problems.push('a name with a "/" must start with "/"');
  if (value.includes('//') || (value.length > 1 && value.endsWith('/'))) problems.push('its path has an empty level');
  if ((value.match(/\//g) ?? []).length > MAX_HIERARCHY_LEVELS) problems.push(`it has more than ${MAX_HIERARCHY_LEVELS} levels`);
  if (/^\/?(?:aws|ssm)/i.test(value))
    problems.push('names starting with "aws" or "ssm" are reserved (except /aws/reference/secretsmanager/<secret-id>)');
  if (problems.length === 0) return undefined;
  return `is not a valid SSM parameter name: ${problems.join('; ')}. Use a name such as /transfer-reconciler/host-keys/<ServerId>.`;
}

// RFC 1123 host names: labels of letters, digits and hyphens (not at either end), 1-63 each, 253 in all.
const DNS_HOSTNAME = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
// Route 53 zone ids are upper-case letters and digits; Transfer's tag holds them as /hostedzone/<id>.
const HOSTED_ZONE_ID = /^\/hostedzone\/[A-Z0-9]{1,32}$/;

function dnsHostname(value: string): string | undefined {
  if (DNS_HOSTNAME.test(value)) return undefined;
  return `must be a DNS host name of two or more labels such as sftp.example.com (letters, digits and hyphens); found ${showValue(value)}.`;
}

function hostedZoneId(value: string): string | undefined {
  if (HOSTED_ZONE_ID.test(value)) return undefined;
  const hint = /^[A-Z0-9]{1,32}$/.test(value) ? ' Write it as /hostedzone/ followed by the id.' : '';
  return `must be a Route 53 hosted zone as /hostedzone/<ZoneId>, such as /hostedzone/Z0123456789ABCDEFGHIJ; found ${showValue(value)}.${hint}`;
}

export function checkFormat(format: ValueFormat, value: string): string | undefined {
  switch (format) {
    case 'passive-ip':
      return passiveIp(value);
    case 'log-group-arn':
      return logGroupArn(value);
    case 'acm-certificate-arn':
      return acmCertificateArn(value);
    case 'ssm-parameter-name':
      return ssmParameterName(value);
    case 'dns-hostname':
      return dnsHostname(value);
    case 'hosted-zone-id':
      return hostedZoneId(value);
  }
}

/**
 * The formats as JSON Schema patterns (for editors). The parameter-name pattern is the gist of
 * the rules (characters, leading "/", no empty level, reserved prefixes); the validator above
 * also checks the length and the number of levels.
 */
export const FORMAT_PATTERNS: Record<ValueFormat, string> = {
  'passive-ip': PASSIVE_IP,
  'log-group-arn': LOG_GROUP_ARN.source,
  'acm-certificate-arn': ACM_CERTIFICATE_ARN.source,
  'ssm-parameter-name':
    '^(?:/aws/reference/secretsmanager/[A-Za-z0-9/_+=.@:-]+|(?!/?(?:[aA][wW][sS]|[sS][sS][mM]))(?:[A-Za-z0-9_.-]+|(?:/[A-Za-z0-9_.-]+)+))$',
  'dns-hostname': DNS_HOSTNAME.source,
  'hosted-zone-id': HOSTED_ZONE_ID.source,
};
