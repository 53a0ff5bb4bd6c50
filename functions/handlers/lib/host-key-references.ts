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

/** The HostKey reference and every HostKeys entry's (a rotation's keys each trigger a reconcile). */
export function hostKeyReferences(text: string): string[] {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return [];
  const entries = (parsed.value as { HostKeys?: unknown } | null)?.HostKeys;
  const listed = Array.isArray(entries)
    ? entries.map((e) => (e as { SecureStringParameter?: unknown } | null)?.SecureStringParameter).filter((n) => typeof n === 'string')
    : [];
  const single = hostKeyReference(text);
  return single === undefined ? listed : [single, ...listed];
}

export function documentsReferencing(documents: readonly ListedDocument[], parameterName: string): ListedDocument[] {
  return documents.filter((d) => hostKeyReferences(d.text).includes(parameterName));
}
