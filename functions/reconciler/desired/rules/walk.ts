// Walks a value along its catalogue node: null, types, unknown keys, required members, the
// model's lengths, patterns and enums (model-node.ts, one node at a time), sets without
// duplicates, the prose formats, and key material in free text. Every problem becomes a Finding;
// nothing stops the walk but a wrong type. Each node is visited once and does work in proportion
// to its own size, so the walk is linear in the document's size.
import { isPlainObject } from '../../../shared/model-validate.ts';
import type { PathSegment, Violation } from '../../../shared/model-validate.ts';
import type { CatalogueNode, ListNode, ObjectNode } from '../catalogue-types.ts';
import { unknownKeyMessage } from '../closest-key.ts';
import type { Finding } from '../issue-path.ts';
import { jsonPath } from '../issue-path.ts';
import { transferModel } from '../keys.ts';
import { keyMaterialMessage } from './free-text.ts';
import { enumMessage, violationMessage } from './model-messages.ts';
import { codePointLength, nodeViolations } from './model-node.ts';
import { kindOf, showValue } from './show-value.ts';
import { checkFormat } from './value-formats.ts';

export const NULL_MESSAGE =
  'null is not allowed; remove the key to leave it unmanaged, or use the documented empty value to clear it ("" for LoggingRole, Certificate and the banners, [] for StructuredLogDestinations, {"OnUpload": [], "OnPartialUpload": []} for WorkflowDetails).';

/** The model's verdict on this node alone (its members and items are walked on their own); false for a wrong type. */
function modelFindings(shape: string, value: unknown, path: PathSegment[], sensitive: boolean, findings: Finding[]): boolean {
  const here = nodeViolations(transferModel, shape, value, path, sensitive);
  if (here.length === 0) return true;
  let typeOk = true;
  const patternFailed = here.some((v) => v.kind === 'pattern');
  for (const v of here) {
    if (v.kind === 'type') typeOk = false;
    if (!keep(v, value)) continue;
    // An ID of the wrong form: the pattern's message already says what it looks like. (Banners
    // keep both: their pattern is about characters, not length.)
    if (v.kind === 'length' && patternFailed && !CHARACTER_PATTERNS.has(v.shape)) continue;
    findings.push({ path: v.kind === 'required' ? [...path, v.member] : path, message: violationMessage(v) });
  }
  return typeOk;
}

/** Model shapes whose values are never quoted, and everything below them. */
const SENSITIVE_SHAPES = new Set(Object.keys(transferModel.shapes).filter((name) => transferModel.shapes[name]?.sensitive === true));

const CHARACTER_PATTERNS = new Set(['PostAuthenticationLoginBanner', 'PreAuthenticationLoginBanner']);

/** Unknown keys and null members are reported by the walk itself (with better messages). */
function keep(v: Violation, value: unknown): boolean {
  if (v.kind === 'unknown-member') return false;
  if (v.kind === 'required' && isPlainObject(value) && Object.hasOwn(value, v.member)) return false;
  return true;
}

const EXPECTED_TYPE: Record<CatalogueNode['type'], (v: unknown) => boolean> = {
  object: isPlainObject,
  list: Array.isArray,
  string: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
};
const TYPE_WORDS: Record<CatalogueNode['type'], string> = {
  object: 'an object ({…})',
  list: 'a list ([…])',
  string: 'a string (in quotes)',
  boolean: 'true or false',
};

/** Checks for nodes of the document's own keys (no model shape); false for a wrong type. */
function ownFindings(node: CatalogueNode, value: unknown, path: PathSegment[], findings: Finding[]): boolean {
  if (!EXPECTED_TYPE[node.type](value)) {
    findings.push({ path, message: `must be ${TYPE_WORDS[node.type]}, not ${kindOf(value)}.` });
    return false;
  }
  if (node.type === 'object') {
    for (const member of node.required ?? []) {
      if (!Object.hasOwn(value as object, member))
        findings.push({ path: [...path, member], message: `${JSON.stringify(member)} is required here; add it.` });
    }
  } else if (node.type === 'list') {
    const n = (value as unknown[]).length;
    if (node.max !== undefined && n > node.max)
      findings.push({ path, message: `may list at most ${node.max} items; it has ${n}. Remove some.` });
  } else if (node.type === 'string') {
    const s = value as string;
    if (node.enum && !node.enum.includes(s)) findings.push({ path, message: enumMessage(s, node.enum) });
    const length = codePointLength(s);
    if (node.max !== undefined && length > node.max)
      findings.push({ path, message: `may be at most ${node.max} characters long; it has ${length}. Shorten it.` });
  }
  return true;
}

function walkObject(node: ObjectNode, value: Record<string, unknown>, path: PathSegment[], out: Finding[], sensitive: boolean): void {
  const known = Object.keys(node.members);
  const where = path.length === 0 ? 'at the top level' : `in ${jsonPath(path)}`;
  // Object.keys and a look-up: about twice as fast as Object.entries on an object of 100,000 keys.
  for (const key of Object.keys(value)) {
    const child = Object.hasOwn(node.members, key) ? node.members[key] : undefined;
    // Built only if reported: the closest key costs an edit distance per known key.
    if (child === undefined) out.push({ path: [...path, key], message: () => unknownKeyMessage(key, known, where) });
    else walkNode(child, value[key], [...path, key], out, sensitive);
  }
}

function walkList(node: ListNode, value: unknown[], path: PathSegment[], out: Finding[], sensitive: boolean): void {
  value.forEach((item, i) => walkNode(node.item, item, [...path, i], out, sensitive));
  if (!node.set) return;
  // Keyed by the value itself: a Map tells "1" from 1, as canonical JSON would, without serialising.
  const seen = new Map<unknown, number>();
  value.forEach((item, i) => {
    if (item === null || typeof item === 'object') return;
    const first = seen.get(item);
    if (first === undefined) seen.set(item, i);
    else
      out.push({
        path: [...path, i],
        message: () => `${showValue(item)} is already listed at [${first}]; this list is a set, so list each value once.`,
      });
  });
}

/** `sensitive`: an ancestor's model shape is sensitive (its values are never quoted). */
export function walkNode(node: CatalogueNode, value: unknown, path: PathSegment[], out: Finding[], sensitive = false): void {
  if (value === null) {
    out.push({ path, message: NULL_MESSAGE });
    return;
  }
  // An object key that also takes "" (which removes what the object sets).
  if (node.type === 'object' && node.orEmptyString && value === '') return;
  if (node.type === 'string' && typeof value === 'string') {
    // Key material in free text is the one problem that matters here; its message never quotes it.
    const leak = keyMaterialMessage(path, value);
    if (leak !== undefined) {
      out.push({ path, message: leak });
      return;
    }
    // A prose format's message says more than the model's length or loose pattern would.
    const problem = node.format !== undefined ? checkFormat(node.format, value) : undefined;
    if (problem !== undefined) {
      out.push({ path, message: problem });
      return;
    }
  }
  const here = sensitive || (node.shape !== undefined && SENSITIVE_SHAPES.has(node.shape));
  const typeOk = node.shape !== undefined ? modelFindings(node.shape, value, path, here, out) : ownFindings(node, value, path, out);
  if (!typeOk) return;
  if (node.type === 'object') walkObject(node, value as Record<string, unknown>, path, out, here);
  else if (node.type === 'list') walkList(node, value as unknown[], path, out, here);
}
