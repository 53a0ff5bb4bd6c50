// SSM parameter value limits by tier (aws-behaviour.md): Standard 4 KB, Advanced 8 KB.
import type { Finding } from '../issue-path.ts';

export type ParameterTier = 'Standard' | 'Advanced';
export const TIER_LIMITS: Record<ParameterTier, number> = { Standard: 4096, Advanced: 8192 };

/**
 * With a known tier the document must fit it. With no tier (a file not yet pushed) it must fit
 * Advanced, and a warning says when it needs Advanced.
 */
export function sizeFindings(sizeBytes: number, tier: ParameterTier | undefined): { findings: Finding[]; warnings: string[] } {
  const limit = TIER_LIMITS[tier ?? 'Advanced'];
  if (sizeBytes > limit) {
    const advice =
      tier === 'Standard'
        ? 'store it in the Advanced tier (up to 8192 bytes) or shorten it (banners are the usual culprits)'
        : 'shorten it (banners are the usual culprits)';
    return {
      findings: [
        {
          path: [],
          message: `the document is ${sizeBytes} bytes as canonical JSON, over the ${limit}-byte limit of ${tier === 'Standard' ? 'a Standard' : 'an Advanced'}-tier SSM parameter; ${advice}.`,
        },
      ],
      warnings: [],
    };
  }
  if (tier === undefined && sizeBytes > TIER_LIMITS.Standard) {
    return {
      findings: [],
      warnings: [
        `$: the document is ${sizeBytes} bytes as canonical JSON; it needs an Advanced-tier parameter (Standard holds ${TIER_LIMITS.Standard} bytes).`,
      ],
    };
  }
  return { findings: [], warnings: [] };
}
