// Assembles a DesiredServer from a document in JSON or YAML text (files in a git checkout, the
// CLI), on top of load-desired-json.ts, which holds everything that needs no YAML parser and is
// what the Lambdas import.
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { DesiredServer, DocumentSource } from '../types.ts';
import { desiredFromParsed } from './load-desired-json.ts';
import type { DesiredOptions } from './load-desired-json.ts';
import type { DocumentFormat } from './parse.ts';
import { parseDocumentText } from './parse.ts';

export { DEFAULT_POLICY, describeSource, desiredFromParameter, desiredFromRaw, loadDesiredFromSsm } from './load-desired-json.ts';
export type { DesiredOptions } from './load-desired-json.ts';

/**
 * From text (JSON unless told otherwise). A parameter's stored text already fits its tier, so
 * the tier is the one its size implies (over 4096 bytes it can only be Advanced).
 */
export async function desiredFromText(
  text: string,
  source: DocumentSource,
  serverId: string,
  ssm?: SSMClient,
  format: DocumentFormat = 'json',
  options: DesiredOptions = {},
): Promise<DesiredServer> {
  return desiredFromParsed(parseDocumentText(text, format), text, source, serverId, ssm, options);
}
