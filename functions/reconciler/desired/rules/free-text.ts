// Free-text strings of the document (banners, tags, Certificate, $schema) must not hold
// private-key material. Pasting a key into the wrong field is an easy slip, and each of these is
// published: a pre-authentication banner to every client that connects, before any login. The
// message says what was found and why it matters, never any of the text.
import type { PathSegment } from '../../../shared/model-validate.ts';
import { describeKeyMaterial, findKeyMaterial } from '../../../shared/key-material.ts';

const AFTER_REMOVING = 'Remove it; if it is part of a real private key, treat that key as exposed and generate a new one.';

/** Where each free-text field ends up, by catalogue path (list items as `[]`). */
const FREE_TEXT: Record<string, string> = {
  PreAuthenticationLoginBanner:
    'A banner is shown to every client that connects, before login, so a key here is published to anyone who can reach the server',
  PostAuthenticationLoginBanner: 'A banner is shown to every user after login, and is readable by anyone who can describe the server',
  'Tags[].Key': 'Tags are readable by anyone who can describe the server and are copied into cost reports and logs',
  'Tags[].Value': 'Tags are readable by anyone who can describe the server and are copied into cost reports and logs',
  Certificate:
    'Certificate takes the ARN of an ACM certificate, never a certificate or key; the document is stored as plain text in git and in SSM',
  $schema: 'The document is stored as plain text in git and in SSM, readable by everyone who can read either',
  'HostKeys[].Description':
    "A host key's description is readable by anyone who can list the server's host keys, and the document is stored as plain text in git and in SSM",
};

/** `Tags.0.Key` → `Tags[].Key`: list positions do not matter here. */
function cataloguePath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) out += typeof segment === 'number' ? '[]' : out === '' ? segment : `.${segment}`;
  return out;
}

/** The last names of the free-text paths: most string nodes are ruled out without building their path. */
const LAST_NAMES = new Set(Object.keys(FREE_TEXT).map((path) => path.split('.').at(-1)));

export function isFreeText(path: readonly PathSegment[]): boolean {
  const last = path.at(-1);
  return typeof last === 'string' && LAST_NAMES.has(last) && Object.hasOwn(FREE_TEXT, cataloguePath(path));
}

/** The message when a free-text string holds key material; undefined when it does not (or is not free text). */
export function keyMaterialMessage(path: readonly PathSegment[], value: string): string | undefined {
  if (!isFreeText(path)) return undefined;
  const key = cataloguePath(path);
  const kind = findKeyMaterial(value);
  if (kind === undefined) return undefined;
  return `holds what looks like private-key material: ${describeKeyMaterial(kind)}. It is not repeated here. ${FREE_TEXT[key]}. ${AFTER_REMOVING}`;
}
