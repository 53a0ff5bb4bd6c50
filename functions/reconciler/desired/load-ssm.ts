// Reading desired-state documents from Parameter Store: one GetParameter for one server, or every
// document under the prefix with GetParametersByPath (10 per page, all pages). The SSMClient is
// a parameter so tests and the CLI choose the endpoint; SDK errors other than "not found" pass
// through unchanged for the caller to classify.
import { GetParameterCommand, GetParametersByPathCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { ParameterTier } from './rules/size-limit.ts';
import { TIER_LIMITS } from './rules/size-limit.ts';
import { isServerId } from './server-id.ts';

export type ReadDocumentResult =
  | { status: 'found'; name: string; text: string; version?: number; type: string; tier?: ParameterTier }
  | { status: 'not-found'; name: string };

export interface ListedDocument {
  serverId: string;
  name: string;
  version?: number;
  type: string;
  text: string;
}

export interface ListResult {
  documents: ListedDocument[];
  /** Parameters under the prefix that are not a server's document (their name is not <prefix><ServerId>). */
  problems: { name: string; message: string }[];
}

/**
 * GetParameter returns no tier. A value over the Standard limit can only be stored in the
 * Advanced tier, so that much is known; otherwise the tier stays unknown.
 */
function knownTier(text: string): ParameterTier | undefined {
  return Buffer.byteLength(text, 'utf8') > TIER_LIMITS.Standard ? 'Advanced' : undefined;
}

export async function readDocument(ssm: SSMClient, prefix: string, serverId: string): Promise<ReadDocumentResult> {
  const name = `${prefix}${serverId}`;
  try {
    const { Parameter: p } = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    const text = p?.Value ?? '';
    const tier = knownTier(text);
    return { status: 'found', name: p?.Name ?? name, text, version: p?.Version, type: p?.Type ?? 'String', ...(tier ? { tier } : {}) };
  } catch (err) {
    if (err instanceof ParameterNotFound) return { status: 'not-found', name };
    throw err;
  }
}

export interface ListedPage extends ListResult {
  /** Set when more pages follow. */
  nextToken?: string;
}

/** One page (at most 10) of the documents under the prefix; pass the previous page's nextToken. */
export async function listDocumentPage(ssm: SSMClient, prefix: string, nextToken?: string): Promise<ListedPage> {
  const out: ListedPage = { documents: [], problems: [] };
  const page = await ssm.send(
    new GetParametersByPathCommand({ Path: prefix, Recursive: false, WithDecryption: true, MaxResults: 10, NextToken: nextToken }),
  );
  for (const p of page.Parameters ?? []) {
    const name = p.Name ?? '';
    const suffix = name.startsWith(prefix) ? name.slice(prefix.length) : undefined;
    if (suffix === undefined || !isServerId(suffix)) {
      out.problems.push({
        name,
        message: `not a server document: the name must be ${prefix}<ServerId> (s- and 17 lowercase hex digits); rename or move it`,
      });
      continue;
    }
    out.documents.push({ serverId: suffix, name, version: p.Version, type: p.Type ?? 'String', text: p.Value ?? '' });
  }
  if (page.NextToken) out.nextToken = page.NextToken;
  return out;
}

export async function listDocuments(ssm: SSMClient, prefix: string): Promise<ListResult> {
  const out: ListResult = { documents: [], problems: [] };
  let nextToken: string | undefined;
  do {
    const page = await listDocumentPage(ssm, prefix, nextToken);
    out.documents.push(...page.documents);
    out.problems.push(...page.problems);
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}
