// SSH wire encoding (RFC 4251 §5): uint32, string, mpint. Shared by the public-key blob
// (fingerprints) and the openssh-key-v1 container.

/** Thrown on malformed input; callers turn it into InvalidKeyError without its message. */
export class WireError extends Error {
  override name = 'WireError';
}

export class WireReader {
  readonly #buf: Buffer;
  #pos = 0;

  constructor(buf: Buffer) {
    this.#buf = buf;
  }

  get remaining(): number {
    return this.#buf.length - this.#pos;
  }

  uint32(): number {
    if (this.remaining < 4) throw new WireError('truncated uint32');
    const value = this.#buf.readUInt32BE(this.#pos);
    this.#pos += 4;
    return value;
  }

  bytes(length: number): Buffer {
    if (length > this.remaining) throw new WireError('truncated data');
    const value = this.#buf.subarray(this.#pos, this.#pos + length);
    this.#pos += length;
    return value;
  }

  string(): Buffer {
    return this.bytes(this.uint32());
  }

  text(): string {
    return this.string().toString('latin1');
  }

  /** An mpint's magnitude, big-endian, without sign padding. Negative values are rejected. */
  mpint(): Buffer {
    const raw = this.string();
    if (raw.length > 0 && (raw[0]! & 0x80) !== 0) throw new WireError('negative mpint');
    let start = 0;
    while (start < raw.length && raw[start] === 0) start++;
    return raw.subarray(start);
  }

  rest(): Buffer {
    return this.bytes(this.remaining);
  }
}

export function wireUint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

export function wireString(value: Buffer | string): Buffer {
  const data = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  return Buffer.concat([wireUint32(data.length), data]);
}

/** Unsigned big-endian magnitude → mpint (minimal, 0x00 prefix when the top bit is set). */
export function wireMpint(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const needsPad = trimmed.length > 0 && (trimmed[0]! & 0x80) !== 0;
  return wireString(needsPad ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export function bitLength(magnitude: Buffer): number {
  let start = 0;
  while (start < magnitude.length && magnitude[start] === 0) start++;
  if (start === magnitude.length) return 0;
  return (magnitude.length - start - 1) * 8 + (32 - Math.clz32(magnitude[start]!));
}

export function bufferToBigInt(magnitude: Buffer): bigint {
  return magnitude.length === 0 ? 0n : BigInt(`0x${magnitude.toString('hex')}`);
}

export function bigIntToBuffer(value: bigint): Buffer {
  if (value === 0n) return Buffer.alloc(0);
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
}
