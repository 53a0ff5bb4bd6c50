// Static validation: the document alone (desired-state.md "Validation, before any write", step 1).
// Collects the problems (the size verdict first, then the rest in document order, at most
// MAX_ISSUES of them, issue-path.ts) and never throws: whatever the input, the answer is
// {ok: true, document} or {ok: false, issues}. The cost is linear in the document's size.
import { isPlainObject } from '../../shared/model-validate.ts';
import type { DesiredDocument, Issue } from '../types.ts';
import { canonicalSize } from './canonical-json.ts';
import type { Finding } from './issue-path.ts';
import { toIssues } from './issue-path.ts';
import { DOCUMENT } from './keys.ts';
import { hostKeysFindings } from './rules/host-keys.ts';
import { hostKeyFindings, serverIdFindings, tagFindings } from './rules/own-keys.ts';
import { seedFindings } from './rules/seed-rules.ts';
import type { ParameterTier } from './rules/size-limit.ts';
import { sizeFindings } from './rules/size-limit.ts';
import { walkNode } from './rules/walk.ts';
import { documentWarnings } from './rules/warnings.ts';

export interface StaticContext {
  /** The ServerId the file or parameter name gives. */
  expectedServerId?: string;
  /** File path or parameter name, for messages. */
  source: string;
  /** Size to check against the tier; default: the canonical JSON's size. */
  sizeBytes?: number;
  /** The parameter's tier; when unknown the document must fit Advanced. */
  tier?: ParameterTier;
}

export type StaticResult = { ok: true; document: DesiredDocument; warnings: string[] } | { ok: false; issues: Issue[]; warnings: string[] };

interface Found {
  /** The size verdict: known first (one pass over the document), reported first. */
  size: Finding[];
  findings: Finding[];
  warnings: string[];
}

function findings(raw: Record<string, unknown>, context: StaticContext): Found {
  const size = sizeFindings(context.sizeBytes ?? canonicalSize(raw), context.tier);
  const out: Finding[] = [];
  const inline = hostKeyFindings(raw, context.expectedServerId);
  out.push(...inline);
  // A string HostKey has its own message; the walk would only add "must be an object".
  const walked = inline.length > 0 ? Object.fromEntries(Object.entries(raw).filter(([k]) => k !== 'HostKey')) : raw;
  walkNode(DOCUMENT, walked, [], out);
  out.push(...serverIdFindings(raw, context.expectedServerId));
  out.push(...tagFindings(raw.Tags));
  out.push(...hostKeysFindings(raw));
  out.push(...seedFindings(raw));
  return { size: size.findings, findings: out, warnings: [...documentWarnings(raw), ...size.warnings] };
}

export function validateStatic(raw: unknown, context: StaticContext): StaticResult {
  try {
    if (!isPlainObject(raw)) {
      const what = raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw;
      return {
        ok: false,
        issues: [{ path: '$', message: `the document must be a JSON object ({…}) of settings, not ${what}.` }],
        warnings: [],
      };
    }
    const result = findings(raw, context);
    if (result.size.length > 0 || result.findings.length > 0)
      return { ok: false, issues: toIssues(raw, result.findings, result.size), warnings: result.warnings };
    return { ok: true, document: structuredClone(raw) as DesiredDocument, warnings: result.warnings };
  } catch (err) {
    // Not expected (the fuzz tests look for this message); kept so that a bug cannot crash a sweep.
    return {
      ok: false,
      issues: [
        {
          path: '$',
          message: `the validator failed on this document (${err instanceof Error ? err.name : 'unknown error'}); please report it.`,
        },
      ],
      warnings: [],
    };
  }
}
