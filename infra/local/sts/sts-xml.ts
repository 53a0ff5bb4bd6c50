// STS's query-protocol answers: `<ActionResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
// <ActionResult>…</ActionResult><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata>`, and
// errors as `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error>
// <RequestId>…</RequestId></ErrorResponse>` — what @aws-sdk/client-sts and botocore parse.
import { AwsError } from '../aws-error.ts';
import { escapeXml } from '../ec2/xml.ts';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function stsError(code: string, message: string, status: number): AwsError {
  return new AwsError(code, message, { status });
}

/** A result's members, in order; nested objects become nested elements, Dates ISO 8601. */
function members(value: Record<string, unknown>): string {
  let out = '';
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const inner =
      v instanceof Date
        ? v.toISOString()
        : typeof v === 'object' && v !== null
          ? members(v as Record<string, unknown>)
          : escapeXml(String(v));
    out += `<${key}>${inner}</${key}>`;
  }
  return out;
}

export function stsResponse(action: string, result: Record<string, unknown>, requestId: string): string {
  return (
    `<${action}Response xmlns="${STS_NAMESPACE}"><${action}Result>${members(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${action}Response>\n`
  );
}

export function stsErrorResponse(code: string, message: string, status: number, requestId: string): string {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<ErrorResponse xmlns="${STS_NAMESPACE}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>\n`
  );
}
