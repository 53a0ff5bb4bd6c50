// Walks a value along its catalogue node: null, types, unknown keys, required members, the
// model's lengths, patterns and enums (through validateShape), sets without duplicates, and the
// prose formats. Every problem becomes a Finding; nothing stops the walk but a wrong type.
import { isPlainObject, validateShape } from '../../../shared/model-validate.ts';
import type { PathSegment, Violation } from '../../../shared/model-validate.ts';
import type { CatalogueNode, ListNode, ObjectNode } from '../catalogue-types.ts';
import { unknownKeyMessage } from '../closest-key.ts';
import type { Finding } from '../issue-path.ts';
import { jsonPath } from '../issue-path.ts';
import { transferModel } from '../keys.ts';
import { canonicalJson } from '../canonical-json.ts';
import { enumMessage, violationMessage } from './model-messages.ts';
import { kindOf, showValue } from './show-value.ts';
import { checkFormat } from './value-formats.ts';

export const NULL_MESSAGE =
  'null is not allowed; remove the key to leave it unmanaged, or use the documented empty value to clear it ("" for LoggingRole, Certificate and the banners, [] for StructuredLogDestinations, {"OnUpload": [], "OnPartialUpload": []} for WorkflowDetails).';

const samePath = (a: readonly PathSegment[], b: readonly PathSegment[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);

/** The model's verdict on this node alone (its members and items are walked on their own). */
function modelFindings(
  node: CatalogueNode & { shape: string },
  value: unknown,
  path: PathSegment[],
): { findings: Finding[]; typeOk: boolean } {
  const here = validateShape(transferModel, node.shape, value, path).filter((v) => samePath(v.path, path));
  const findings: Finding[] = [];
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
  return { findings, typeOk };
}

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

/** Checks for nodes of the document's own keys (no model shape). */
function ownFindings(node: CatalogueNode, value: unknown, path: PathSegment[]): { findings: Finding[]; typeOk: boolean } {
  if (!EXPECTED_TYPE[node.type](value))
    return { findings: [{ path, message: `must be ${TYPE_WORDS[node.type]}, not ${kindOf(value)}.` }], typeOk: false };
  const findings: Finding[] = [];
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
    const length = [...s].length;
    if (node.max !== undefined && length > node.max)
      findings.push({ path, message: `may be at most ${node.max} characters long; it has ${length}. Shorten it.` });
  }
  return { findings, typeOk: true };
}

function walkObject(node: ObjectNode, value: Record<string, unknown>, path: PathSegment[], out: Finding[]): void {
  const known = Object.keys(node.members);
  for (const [key, member] of Object.entries(value)) {
    const child = node.members[key];
    const where = path.length === 0 ? 'at the top level' : `in ${jsonPath(path)}`;
    if (child === undefined || !Object.hasOwn(node.members, key))
      out.push({ path: [...path, key], message: unknownKeyMessage(key, known, where) });
    else walkNode(child, member, [...path, key], out);
  }
}

function walkList(node: ListNode, value: unknown[], path: PathSegment[], out: Finding[]): void {
  value.forEach((item, i) => walkNode(node.item, item, [...path, i], out));
  if (!node.set) return;
  const seen = new Map<string, number>();
  value.forEach((item, i) => {
    if (item === null || typeof item === 'object') return;
    const key = canonicalJson(item);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else
      out.push({
        path: [...path, i],
        message: `${showValue(item)} is already listed at [${first}]; this list is a set, so list each value once.`,
      });
  });
}

export function walkNode(node: CatalogueNode, value: unknown, path: PathSegment[], out: Finding[]): void {
  if (value === null) {
    out.push({ path, message: NULL_MESSAGE });
    return;
  }
  // A prose format's message says more than the model's length or loose pattern would.
  if (node.type === 'string' && node.format !== undefined && typeof value === 'string') {
    const problem = checkFormat(node.format, value);
    if (problem !== undefined) {
      out.push({ path, message: problem });
      return;
    }
  }
  const { findings, typeOk } =
    node.shape !== undefined ? modelFindings({ ...node, shape: node.shape }, value, path) : ownFindings(node, value, path);
  out.push(...findings);
  if (!typeOk) return;
  if (node.type === 'object') walkObject(node, value as Record<string, unknown>, path, out);
  else if (node.type === 'list') walkList(node, value as unknown[], path, out);
}
