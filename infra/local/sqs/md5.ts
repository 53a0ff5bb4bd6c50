// The MD5 digests SQS answers and @aws-sdk/client-sqs checks (its md5 middleware): of the body,
// and of the message attributes in SQS's documented encoding — per attribute, sorted by name:
// 4-byte big-endian length + UTF-8 name, length + data type, one transport byte (1 string,
// 2 binary), length + value.
import { createHash, hash as oneShotHash } from 'node:crypto';

export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

/** One-shot `hash` (the same digest of the UTF-8 text as createHash, without the Hash object). */
export function md5Hex(text: string): string {
  return oneShotHash('md5', text, 'hex');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

export function md5OfAttributes(attributes: Record<string, MessageAttributeValue>): string {
  const hash = createHash('md5');
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name] as MessageAttributeValue;
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(value.DataType, 'utf8')));
    if (value.BinaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      // Binary values travel base64-encoded in the JSON protocol.
      hash.update(lengthPrefixed(Buffer.from(value.BinaryValue, 'base64')));
    } else {
      hash.update(Buffer.from([1]));
      hash.update(lengthPrefixed(Buffer.from(value.StringValue ?? '', 'utf8')));
    }
  }
  return hash.digest('hex');
}
