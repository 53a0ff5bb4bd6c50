// The ec2 query protocol's response side: `<ActionResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">`
// with `<requestId>` first and the output members under their locationNames, lists as `<item>`
// elements (never flattened), timestamps in ISO 8601, booleans as true/false. Errors are EC2's own
// envelope: `<Response><Errors><Error><Code>…</Code><Message>…</Message></Error></Errors><RequestID>…</RequestID></Response>`.
import { wireShape, xmlName, xmlNamespace } from './wire-model.ts';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

function scalar(type: string, value: unknown): string {
  if (type === 'timestamp') {
    const date = value instanceof Date ? value : new Date(typeof value === 'number' ? value : String(value));
    return date.toISOString();
  }
  return escapeXml(String(value));
}

function encodeValue(shapeName: string, value: unknown): string {
  const shape = wireShape(shapeName);
  if (shape.type === 'structure') {
    const record = value as Record<string, unknown>;
    let out = '';
    for (const [member, memberShape] of Object.entries(shape.members ?? {})) {
      const v = record[member];
      if (v === undefined || v === null) continue;
      const tag = xmlName(shape, member);
      out += `<${tag}>${encodeValue(memberShape, v)}</${tag}>`;
    }
    return out;
  }
  if (shape.type === 'list') {
    const tag = shape.memberLocationName ?? 'item';
    return (value as unknown[]).map((item) => `<${tag}>${encodeValue(shape.member ?? 'String', item)}</${tag}>`).join('');
  }
  return scalar(shape.type, value);
}

/** The whole success document for `action` (its output shape may be absent: just the request id). */
export function encodeResponse(action: string, outputShape: string | undefined, output: unknown, requestId: string): string {
  const body = outputShape === undefined ? '' : encodeValue(outputShape, output ?? {});
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<${action}Response xmlns="${xmlNamespace()}"><requestId>${escapeXml(requestId)}</requestId>${body}</${action}Response>`
  );
}

export function encodeError(code: string, message: string, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors>` +
    `<RequestID>${escapeXml(requestId)}</RequestID></Response>`
  );
}
