// Parameter names as Parameter Store accepts them (SSM user guide, "Requirements and constraints
// for parameter names"): letters, digits and `.-_`, sub-paths separated by `/` with a leading `/`,
// at most 15 levels, at most 1011 characters counting the ARN in front of the name, and no `aws`
// or `ssm` prefix for names one creates. A name may carry a `:version` (or `:label`) selector.
import { AwsError } from '../aws-error.ts';

export const MAX_HIERARCHY_LEVELS = 15;
export const MAX_NAME_WITH_ARN = 1011;
export const SECRETS_PREFIX = '/aws/reference/secretsmanager/';

const NAME_FORMAT_MESSAGE =
  'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';
const SEGMENT = /^[a-zA-Z0-9_.-]+$/;

export function parameterArn(region: string, accountId: string, name: string): string {
  return `arn:aws:ssm:${region}:${accountId}:parameter/${name.startsWith('/') ? name.slice(1) : name}`;
}

/** Checks a name's format; `creating` adds the rules that apply only to names being written. */
export function checkParameterName(name: string, region: string, accountId: string, creating: boolean): void {
  const hierarchical = name.includes('/');
  if (hierarchical && !name.startsWith('/')) throw new AwsError('ValidationException', 'Parameter name must be a fully qualified name.');
  const segments = hierarchical ? name.slice(1).split('/') : [name];
  if (segments.some((s) => !SEGMENT.test(s))) throw new AwsError('ValidationException', NAME_FORMAT_MESSAGE);
  if (creating && /^(aws|ssm)/i.test(segments[0] ?? '')) throw new AwsError('ValidationException', NAME_FORMAT_MESSAGE);
  // Only PutParameter lists HierarchyLevelLimitExceededException; a read of a name that deep finds
  // nothing (ParameterNotFound, or an empty page), since no such parameter can exist.
  if (creating && segments.length > MAX_HIERARCHY_LEVELS) {
    throw new AwsError(
      'HierarchyLevelLimitExceededException',
      `Parameter name hierarchy has ${segments.length} levels; the maximum is ${MAX_HIERARCHY_LEVELS}.`,
      { messageKey: 'message' },
    );
  }
  if (parameterArn(region, accountId, name).length > MAX_NAME_WITH_ARN) {
    throw new AwsError(
      'ValidationException',
      `Parameter name is too long: with its ARN it must not exceed ${MAX_NAME_WITH_ARN} characters.`,
    );
  }
}

export interface NameWithSelector {
  name: string;
  /** The selector as written, with its colon (`:3`), as GetParameter echoes it. */
  selector?: string;
  version?: number;
  label?: string;
}

export function splitSelector(raw: string): NameWithSelector {
  const colon = raw.indexOf(':');
  if (colon === -1) return { name: raw };
  const name = raw.slice(0, colon);
  const sel = raw.slice(colon + 1);
  if (/^[0-9]+$/.test(sel)) return { name, selector: `:${sel}`, version: Number(sel) };
  return { name, selector: `:${sel}`, label: sel };
}
