// Server tags: TagResource merges by key (at most 50 per resource), UntagResource removes keys,
// and `aws:` keys are reserved for AWS.
import { AwsError } from '../aws-error.ts';
import type { Tag } from './server-types.ts';

export const MAX_TAGS = 50;

function invalid(message: string): AwsError {
  return new AwsError('InvalidRequestException', message, { status: 400 });
}

function rejectReserved(keys: readonly string[]): void {
  const reserved = keys.find((key) => key.toLowerCase().startsWith('aws:'));
  if (reserved !== undefined) throw invalid(`Tag key ${reserved} is reserved: keys starting with aws: cannot be set or removed`);
}

/** The tags after merging `added` into `current`; throws InvalidRequestException. */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  rejectReserved(added.map((tag) => tag.Key));
  const merged = new Map(current.map((tag) => [tag.Key, tag.Value]));
  for (const tag of added) merged.set(tag.Key, tag.Value);
  if (merged.size > MAX_TAGS) throw invalid(`A resource can have at most ${MAX_TAGS} tags; this request would leave ${merged.size}`);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

export function removeTags(current: readonly Tag[], keys: readonly string[]): Tag[] {
  rejectReserved(keys);
  return current.filter((tag) => !keys.includes(tag.Key)).map((tag) => ({ ...tag }));
}

/** Tags AWS itself sets (`aws:` keys allowed), merged by key: for seeding only, never a caller's request. */
export function seedTags(current: readonly Tag[], seeded: readonly Tag[]): Tag[] {
  const merged = new Map(current.map((tag) => [tag.Key, tag.Value]));
  for (const tag of seeded) merged.set(tag.Key, tag.Value);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}
