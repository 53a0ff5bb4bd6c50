// ServerIds as AWS assigns them (the Transfer model's ServerId pattern: s- and 17 hex digits).

const SERVER_ID = /^s-[0-9a-f]{17}$/;

export function isServerId(value: string): boolean {
  return SERVER_ID.test(value);
}
