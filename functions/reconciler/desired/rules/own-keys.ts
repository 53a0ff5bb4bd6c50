// Rules of the document's own keys that a catalogue node cannot state: the HostKey must be a
// reference (never the key), tag keys are unique and not reserved, ServerId matches the name.
import { isPlainObject } from '../../../shared/model-validate.ts';
import { OWN_TAG_PREFIX } from '../../plan/restart-marker.ts';
import type { Finding } from '../issue-path.ts';
import { isServerId } from '../server-id.ts';
import { showValue } from './show-value.ts';

/**
 * A string HostKey is most likely the private key pasted inline. The message must not quote it,
 * not even in part: it says how to store the key and reference it instead.
 */
export function inlineHostKeyMessage(serverId: string | undefined): string {
  const id = serverId !== undefined && isServerId(serverId) ? serverId : '<ServerId>';
  const name = `/transfer-reconciler/host-keys/${id}`;
  return (
    'must be a reference {"SecureStringParameter": "<parameter name>"}, never the private key itself: a key in the document ' +
    'would be readable by everyone who can read the document and would end up in git and in logs. Store the key as a ' +
    `SecureString: \`aws ssm put-parameter --type SecureString --name ${name} --value file://key\`, ` +
    `then write "HostKey": {"SecureStringParameter": "${name}"}. If this key was committed anywhere, generate a new one.`
  );
}

export function hostKeyFindings(document: Record<string, unknown>, serverId: string | undefined): Finding[] {
  if (typeof document.HostKey !== 'string') return [];
  return [{ path: ['HostKey'], message: inlineHostKeyMessage(serverId) }];
}

export function tagFindings(tags: unknown): Finding[] {
  if (!Array.isArray(tags)) return [];
  const out: Finding[] = [];
  const seen = new Map<string, number>();
  tags.forEach((tag, i) => {
    if (!isPlainObject(tag) || typeof tag.Key !== 'string') return;
    const key = tag.Key;
    if (key.toLowerCase().startsWith('aws:')) {
      out.push({
        path: ['Tags', i, 'Key'],
        message: `${showValue(key)} starts with "aws:", a prefix AWS reserves for its own tags; choose another key.`,
      });
    }
    if (key.toLowerCase().startsWith(OWN_TAG_PREFIX)) {
      out.push({
        path: ['Tags', i, 'Key'],
        message: `${showValue(key)} starts with "${OWN_TAG_PREFIX}", a prefix the reconciler reserves for its own tags (the restart marker); choose another key.`,
      });
    }
    if (key.toLowerCase().startsWith('transfer:')) {
      out.push({
        path: ['Tags', i, 'Key'],
        message: `${showValue(key)} starts with "transfer:", the custom hostname's tags; set "CustomHostname": {"Hostname": …, "Route53HostedZoneId": …} instead (Tags and PruneTags never touch them).`,
      });
    }
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else
      out.push({
        path: ['Tags', i, 'Key'],
        message: `the tag key ${showValue(key)} is already listed at $.Tags[${first}]; a key can have only one value, so list it once.`,
      });
  });
  return out;
}

export function serverIdFindings(document: Record<string, unknown>, expectedServerId: string | undefined): Finding[] {
  const id = document.ServerId;
  if (typeof id !== 'string' || expectedServerId === undefined || id === expectedServerId) return [];
  return [
    {
      path: ['ServerId'],
      message: `is ${showValue(id)} but the document is stored for ${expectedServerId}; make them equal or remove ServerId from the document (the file or parameter name decides).`,
    },
  ];
}
