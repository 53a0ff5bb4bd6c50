// AWS account ids, region names and their partitions, as the multi-account contract uses them
// (docs/accounts.md). The region pattern is stricter than the SDK's partition regexes
// (`^(us|eu|…)\-\w+\-\d+$`, which accept "eu-wst-1") so that a misspelt region folder is caught.

const ACCOUNT_ID = /^\d{12}$/;
export const REGION_PATTERN =
  '^[a-z]{2,4}(?:-(?:gov|iso[a-z]?|de))?-(?:central|north|south|east|west|northeast|northwest|southeast|southwest)-[1-9]\\d?$';
const REGION = new RegExp(REGION_PATTERN);

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

export function isRegion(value: string): boolean {
  return REGION.test(value);
}

/** The partition a region belongs to (what the `arn:<partition>:` of its roles must say). */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'] as const;

/** Why a folder or name that should be a region is not one (for messages). */
export function regionProblem(value: string): string {
  return `${JSON.stringify(value.slice(0, 40))} is not an AWS region (like eu-west-1, us-gov-west-1, ap-southeast-4 or cn-north-1)`;
}

/** Why a folder or value that should be an account id is not one. */
export function accountIdProblem(value: string): string {
  const digits = /^\d+$/.test(value) ? ` (it has ${value.length} digits)` : '';
  return `${JSON.stringify(value.slice(0, 40))} is not an AWS account id: 12 digits${digits}`;
}
