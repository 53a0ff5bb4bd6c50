// The one way text from a document (a value, a key, a path segment, a name) is echoed in a
// message or a path: cut to a short fixed length, escaped like a JSON string (and then some), and
// never echoed at all when it looks like private-key material. Messages reach CI logs, pull-request
// comments and outcome records; a document key that is a line of a pasted key must not.
import { looksLikeKeyMaterial } from '../../shared/key-material.ts';

/** Characters (code points) of user text shown before the cut. */
export const MAX_SHOWN = 60;

/** Shown instead of text that looks like key material (unquoted, so it cannot pass for the text). */
export const WITHHELD = '(text withheld: looks like key material)';

// Beyond what JSON.stringify escapes (C0 controls, quote, backslash, lone surrogates): DEL and
// the C1 controls (terminal escapes), line/paragraph separators, and bidirectional controls,
// which can make a line read differently from what it holds.
const UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeUnsafe(quoted: string): string {
  return quoted.replace(UNSAFE, (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/** The first `max` code points (never half a surrogate pair), with `…` when something was cut. */
export function cutText(text: string, max: number = MAX_SHOWN): string {
  if (text.length <= max) return text;
  let out = '';
  let n = 0;
  for (const ch of text) {
    if (n === max) return `${out}…`;
    out += ch;
    n += 1;
  }
  return out;
}

/** `"short text"`, `"the first sixty characters…"`, or WITHHELD. */
export function showText(text: string): string {
  if (looksLikeKeyMaterial(text)) return WITHHELD;
  return escapeUnsafe(JSON.stringify(cutText(text)));
}

/**
 * Unquoted, for names already checked to hold only safe characters (an SSM parameter name in a
 * copy-and-paste command, which a cut would break): the name itself, or WITHHELD.
 */
export function showName(name: string): string {
  return looksLikeKeyMaterial(name) ? WITHHELD : name;
}

/**
 * A library's message that may quote the input (the YAML parser's): cut at `max`, control
 * characters escaped, no quotes added; WITHHELD in place of the whole message if it quotes
 * anything like key material.
 */
export function showForeignMessage(message: string, max = 160): string {
  if (looksLikeKeyMaterial(message)) return `the parser's message is ${WITHHELD}`;
  return escapeUnsafe(JSON.stringify(cutText(message, max)).slice(1, -1));
}
