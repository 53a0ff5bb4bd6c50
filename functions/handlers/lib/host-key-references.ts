// Which documents reference a host-key parameter. Read from the raw parsed document, so a
// document that is invalid for another reason still gets reconciled (and reported invalid).
import { parseJsonText } from '../../reconciler/desired/parse-json.ts';
import type { ListedDocument } from '../../reconciler/desired/load-ssm.ts';

export function hostKeyReference(text: string): string | undefined {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return undefined;
  const hostKey = (parsed.value as { HostKey?: unknown } | null)?.HostKey;
  const name = (hostKey as { SecureStringParameter?: unknown } | null | undefined)?.SecureStringParameter;
  return typeof name === 'string' ? name : undefined;
}

export function documentsReferencing(documents: readonly ListedDocument[], parameterName: string): ListedDocument[] {
  return documents.filter((d) => hostKeyReference(d.text) === parameterName);
}
