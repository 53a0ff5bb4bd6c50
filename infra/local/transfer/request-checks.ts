// Checks of single CreateServer/UpdateServer members that the model's constraints are too loose
// for (StructuredLogDestinations items are any `arn:\S+`, Certificate any string up to 1600
// characters, Protocols a list), but whose meaning the API reference states: AWS refuses the
// call, so the emulator does too (InvalidRequestException naming the member). Values are not
// echoed: a Certificate could be anything pasted into it.
import type { Rule } from './rules.ts';

// CloudWatch Logs group names: 1-512 of [A-Za-z0-9_./#-]; UpdateServer wants the group's ARN with ":*".
const LOG_GROUP_ARN = /^arn:aws(?:-[a-z]+)*:logs:[a-z]{2}(?:-[a-z]+)+-[0-9]+:[0-9]{12}:log-group:[A-Za-z0-9_./#-]{1,512}:\*$/;
const ACM_CERTIFICATE_ARN = /^arn:aws(?:-[a-z]+)*:acm:[a-z]{2}(?:-[a-z]+)+-[0-9]+:[0-9]{12}:certificate\/[A-Za-z0-9-]{1,128}$/;

export const structuredLogDestinationsAreLogGroups: Rule = ({ request }) => {
  const index = (request.StructuredLogDestinations ?? []).findIndex((arn) => !LOG_GROUP_ARN.test(arn));
  return index === -1
    ? undefined
    : `StructuredLogDestinations.${index + 1} must be a CloudWatch Logs log group ARN (arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*)`;
};

/** "" removes the certificate. */
export const certificateIsAcmArn: Rule = ({ request }) => {
  const certificate = request.Certificate;
  return certificate === undefined || certificate === '' || ACM_CERTIFICATE_ARN.test(certificate)
    ? undefined
    : 'Certificate must be the ARN of an ACM certificate (arn:aws:acm:REGION:ACCOUNT:certificate/ID), or "" to remove it';
};

export const protocolsHaveNoDuplicates: Rule = ({ request }) => {
  const protocols = request.Protocols ?? [];
  const repeated = protocols.find((protocol, i) => protocols.indexOf(protocol) !== i);
  return repeated === undefined ? undefined : `Protocols must not list a protocol more than once (${repeated} is listed twice or more)`;
};
