// Reading desired-state documents from Parameter Store: one GetParameter for one server, or every
// document under the prefix with GetParametersByPath (recursive, 10 per page, all pages). Hub
// documents (<prefix><ServerId>) come back in `documents`, as before accounts existed; documents of
// other accounts (<prefix><AccountId>/<Region>/<ServerId>) only in `addressed`, so that no caller
// that reaches only the hub's own account can reconcile them there by mistake. The SSMClient is
// a parameter so tests and the CLI choose the endpoint; SDK errors other than "not found" pass
// through unchanged for the caller to classify.
import { GetParameterCommand, GetParametersByPathCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { ParameterTier } from './rules/size-limit.ts';
import { TIER_LIMITS } from './rules/size-limit.ts';
import type { ServerAddress } from './server-address.ts';
import { isHubAddress, parameterName, parseParameterName } from './server-address.ts';

export type ReadDocumentResult =
  | { status: 'found'; name: string; text: string; version?: number; type: string; tier?: ParameterTier }
  | { status: 'not-found'; name: string };

export interface ListedDocument {
  serverId: string;
  /** Set only on another account's document (ListResult.addressed); absent on the hub's own. */
  address?: ServerAddress;
  name: string;
  version?: number;
  type: string;
  text: string;
}

export interface ListResult {
  documents: ListedDocument[];
  /** Documents of other accounts and regions (<prefix><AccountId>/<Region>/<ServerId>), each with its address. */
  addressed?: ListedDocument[];
  /** Parameters under the prefix that are not a server's document (their name is not an address). */
  problems: { name: string; message: string }[];
}

/**
 * GetParameter returns no tier. A value over the Standard limit can only be stored in the
 * Advanced tier, so that much is known; otherwise the tier stays unknown.
 */
function knownTier(text: string): ParameterTier | undefined {
  return Buffer.byteLength(text, 'utf8') > TIER_LIMITS.Standard ? 'Advanced' : undefined;
}

export async function readDocument(ssm: SSMClient, prefix: string, server: string | ServerAddress): Promise<ReadDocumentResult> {
  const name = parameterName(prefix, typeof server === 'string' ? { serverId: server } : server);
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
  const out: ListedPage = { documents: [], addressed: [], problems: [] };
  const page = await ssm.send(
    new GetParametersByPathCommand({ Path: prefix, Recursive: true, WithDecryption: true, MaxResults: 10, NextToken: nextToken }),
  );
  for (const p of page.Parameters ?? []) {
    const name = p.Name ?? '';
    const parsed = parseParameterName(prefix, name);
    if (parsed === undefined) continue;
    if (!parsed.ok) {
      out.problems.push({ name, message: `${parsed.message}; rename or move it` });
      continue;
    }
    const { address } = parsed;
    const doc = { serverId: address.serverId, name, version: p.Version, type: p.Type ?? 'String', text: p.Value ?? '' };
    if (isHubAddress(address)) out.documents.push(doc);
    else (out.addressed ??= []).push({ ...doc, address });
  }
  if (page.NextToken) out.nextToken = page.NextToken;
  return out;
}

export async function listDocuments(ssm: SSMClient, prefix: string): Promise<ListResult> {
  const out: ListResult = { documents: [], addressed: [], problems: [] };
  let nextToken: string | undefined;
  do {
    const page = await listDocumentPage(ssm, prefix, nextToken);
    out.documents.push(...page.documents);
    out.addressed?.push(...(page.addressed ?? []));
    out.problems.push(...page.problems);
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}
