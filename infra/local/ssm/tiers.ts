// Parameter tiers (SSM user guide, "Managing parameter tiers"): Standard holds values up to 4 KB,
// Advanced up to 8 KB; Intelligent-Tiering picks Standard when the value fits, else Advanced;
// an Advanced parameter can never become Standard again. Sizes are counted in UTF-8 bytes.
import { AwsError } from '../aws-error.ts';

export type Tier = 'Standard' | 'Advanced';
export const STANDARD_MAX_BYTES = 4096;
export const ADVANCED_MAX_BYTES = 8192;

export function chooseTier(requested: string | undefined, existing: Tier | undefined, value: string, hasPolicies: boolean): Tier {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (requested === 'Standard' && existing === 'Advanced') {
    throw new AwsError(
      'ValidationException',
      "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.",
    );
  }
  let tier: Tier;
  if (requested === 'Advanced' || existing === 'Advanced') tier = 'Advanced';
  else if (requested === 'Intelligent-Tiering') tier = bytes > STANDARD_MAX_BYTES || hasPolicies ? 'Advanced' : 'Standard';
  else tier = 'Standard';
  if (tier === 'Standard' && hasPolicies)
    throw new AwsError('ValidationException', 'Parameter policies are supported only for the advanced-parameter tier.');
  if (tier === 'Standard' && bytes > STANDARD_MAX_BYTES) {
    throw new AwsError(
      'ValidationException',
      `Standard tier parameters support a maximum parameter value of ${STANDARD_MAX_BYTES} characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.`,
    );
  }
  if (bytes > ADVANCED_MAX_BYTES) {
    throw new AwsError(
      'ValidationException',
      `Advanced tier parameters support a maximum parameter value of ${ADVANCED_MAX_BYTES} characters.`,
    );
  }
  return tier;
}
