// SSM's tagging operations (AddTagsToResource, RemoveTagsFromResource, ListTagsForResource) for
// ResourceType Parameter, on the tags a parameter already keeps (PutParameter's Tags). Tags are
// not part of a version: changing them makes no new version and no Parameter Store Change event.
// Only the Parameter resource type is emulated; the others answer InvalidResourceType.
import { AwsError } from '../aws-error.ts';
import { SECRETS_PREFIX } from './parameter-name.ts';

export interface Tag {
  Key: string;
  Value: string;
}

/** A parameter holds at most 50 tags (SSM user guide, "Tagging Systems Manager parameters"). */
export const MAX_PARAMETER_TAGS = 50;

const BAD_TYPE = 'The resource type is not valid. The local emulator tags only ResourceType Parameter.';
const BAD_ID = 'The resource ID is not valid. Verify that you entered the correct ID and try again.';

/**
 * The stored tags of the parameter the request names. `find` looks a parameter up by its name
 * (the ResourceId of a Parameter is its name); a Secrets Manager reference is no parameter.
 */
export function tagsOf(input: Record<string, unknown>, find: (name: string) => { tags: Tag[] } | undefined): { tags: Tag[] } {
  if (input.ResourceType !== 'Parameter') throw new AwsError('InvalidResourceType', BAD_TYPE);
  const id = String(input.ResourceId);
  const param = id.startsWith(SECRETS_PREFIX) ? undefined : find(id);
  if (!param) throw new AwsError('InvalidResourceId', BAD_ID);
  return param;
}

/** AddTagsToResource: a key already there gets the new value; past the limit nothing changes. */
export function addTags(param: { tags: Tag[] }, tags: Tag[]): Record<string, never> {
  const next = new Map(param.tags.map((t) => [t.Key, t.Value]));
  for (const t of tags) next.set(t.Key, t.Value);
  if (next.size > MAX_PARAMETER_TAGS)
    throw new AwsError(
      'TooManyTagsError',
      `The Targets parameter includes too many tags. Remove one or more tags and try the command again.`,
    );
  param.tags = [...next].map(([Key, Value]) => ({ Key, Value }));
  return {};
}

/** RemoveTagsFromResource: keys that are not there are ignored. */
export function removeTags(param: { tags: Tag[] }, keys: string[]): Record<string, never> {
  const drop = new Set(keys);
  param.tags = param.tags.filter((t) => !drop.has(t.Key));
  return {};
}

export function listTags(param: { tags: Tag[] }): { TagList: Tag[] } {
  return { TagList: param.tags.map((t) => ({ ...t })) };
}
