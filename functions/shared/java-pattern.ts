// Java regular expressions (java.util.regex: what AWS's validators compile the models' `pattern`
// traits with, and what Parameter Store compiles an AllowedPattern with) as JavaScript Unicode
// ('u') regular expressions. Without the `u` flag JavaScript reads `\p{L}` as the letters "p{L}",
// so every SSM tag key was refused; with it, Java's lenient escapes (`\:`, `\-` outside a class,
// `[\w-/]`) are syntax errors. This is the one place that bridges the two dialects; anything it
// cannot translate faithfully is refused with UnsupportedPatternError rather than guessed at.

export class UnsupportedPatternError extends Error {
  constructor(pattern: string, detail: string) {
    super(`cannot translate the Java pattern ${JSON.stringify(pattern)}: ${detail}`);
    this.name = 'UnsupportedPatternError';
  }
}

export interface TranslatedPattern {
  source: string;
  /** Always holds `u`; also `i`, `m` or `s` when the pattern begins with Java's `(?ims)`. */
  flags: string;
}

// Java's default (non-UNICODE_CHARACTER_CLASS) \s is ASCII; JavaScript's includes Unicode spaces.
const JAVA_SPACE = '\\t\\n\\x0B\\f\\r ';
// Its complement, for \S inside a class (a class cannot hold a negated set without the v flag).
const JAVA_NON_SPACE = '\\u{0}-\\u{8}\\u{E}-\\u{1F}\\u{21}-\\u{10FFFF}';
// Java's `.` excludes these line terminators (JavaScript's lacks U+0085).
const JAVA_DOT = '[^\\n\\r\\u0085\\u2028\\u2029]';
// Java's POSIX classes (\p{Alpha} ...) are US-ASCII only by default: the contents of a class.
const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'A-Za-z',
  Digit: '0-9',
  Alnum: 'A-Za-z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9A-Fa-f',
  Space: JAVA_SPACE,
};
const CATEGORY = /^(?:L[ultmo]?|M[nce]?|N[dlo]?|P[cdseifo]?|S[mcko]?|Z[slp]?|C[cfosn]?)$/;
// Characters JavaScript's `u` mode lets one escape (everything else escaped must be a known escape).
const SYNTAX = new Set('^$\\.*+?()[]{}|/');
const SIMPLE_ESCAPES: Record<string, string> = { t: '\\t', n: '\\n', r: '\\r', f: '\\f', a: '\\x07', e: '\\x1B' };

interface Escape {
  text: string;
  /** A set of characters (\w, \p{L}, ...) rather than one: it cannot be a range's end. */
  isClass: boolean;
  length: number;
}

export function translateJavaPattern(pattern: string): TranslatedPattern {
  const fail = (detail: string): never => {
    throw new UnsupportedPatternError(pattern, detail);
  };
  let flags = 'u';
  let i = 0;
  // A leading (?i) becomes the i flag (JavaScript folds case beyond ASCII, Java by default not:
  // no model pattern depends on that difference).
  const leading = /^\(\?([ims]+)\)/.exec(pattern);
  if (leading) {
    flags += [...new Set(leading[1])].join('');
    i = leading[0].length;
  }
  const dotAll = flags.includes('s');
  let out = '';
  let inClass = false;
  let afterClassItem = false; // inside a class, the previous item was a set such as \w
  let firstInClass = false;

  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === '\\') {
      if (pattern[i + 1] === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const quoted = pattern.slice(i + 2, end === -1 ? undefined : end);
        out += [...quoted].map((ch) => (SYNTAX.has(ch) || (inClass && ch === '-') ? `\\${ch}` : ch)).join('');
        i = end === -1 ? pattern.length : end + 2;
        afterClassItem = false;
        if (quoted !== '') firstInClass = false;
        continue;
      }
      const escape = translateEscape(pattern, i, inClass, fail);
      firstInClass = false;
      out += escape.text;
      i += escape.length;
      afterClassItem = inClass && escape.isClass;
      continue;
    }
    if (inClass) {
      // Java reads a ']' right after '[' or '[^' as the character; JavaScript as an empty class.
      if (c === ']' && firstInClass) {
        out += '\\]';
        firstInClass = false;
        i += 1;
        continue;
      }
      firstInClass = false;
      if (c === ']') inClass = false;
      else if (c === '[') fail('nested classes and unions ([a[b]]) have no JavaScript equivalent');
      else if (c === '&' && pattern[i + 1] === '&') fail('class intersections (&&) have no JavaScript equivalent');
      // Java reads a '-' after a set (`[\w-/]`) as the character itself; JavaScript's u mode refuses it.
      out += c === '-' && afterClassItem ? '\\-' : c;
      afterClassItem = false;
      i += 1;
      continue;
    }
    if (c === '[') {
      inClass = true;
      firstInClass = true;
      out += c;
      if (pattern[i + 1] === '^') {
        out += '^';
        i += 1;
      }
      i += 1;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const group = /^\(\?(?::|=|!|<=|<!|<[A-Za-z][A-Za-z0-9]*>)/.exec(pattern.slice(i));
      if (!group) fail(`the group at offset ${i} (atomic groups and inline flags other than a leading (?i), (?m), (?s))`);
      out += (group as RegExpExecArray)[0];
      i += (group as RegExpExecArray)[0].length;
      continue;
    }
    if (c === '{') {
      const quantifier = /^\{\d+(?:,\d*)?\}/.exec(pattern.slice(i));
      if (!quantifier) fail(`a "{" at offset ${i} that is not a quantifier`);
      out += (quantifier as RegExpExecArray)[0];
      i += (quantifier as RegExpExecArray)[0].length;
      if (pattern[i] === '+') fail('possessive quantifiers have no JavaScript equivalent');
      continue;
    }
    if ((c === '*' || c === '+' || c === '?') && pattern[i + 1] === '+') fail('possessive quantifiers have no JavaScript equivalent');
    // Java takes a lone ']' or '}' literally; JavaScript's u mode wants them escaped.
    if (c === ']' || c === '}') out += `\\${c}`;
    else if (c === '.' && !dotAll) out += JAVA_DOT;
    else out += c;
    i += 1;
  }
  if (inClass) fail('a class is not closed');
  return { source: out, flags };
}

function translateEscape(pattern: string, at: number, inClass: boolean, fail: (detail: string) => never): Escape {
  const c = pattern[at + 1];
  if (c === undefined) return fail('it ends with a lone backslash');
  const one = (text: string, isClass = false): Escape => ({ text, isClass, length: 2 });
  if ('dDwW'.includes(c)) return one(`\\${c}`, true);
  if (c === 's') return one(inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`, true);
  if (c === 'S') return one(inClass ? JAVA_NON_SPACE : `[^${JAVA_SPACE}]`, true);
  if (c === 'p' || c === 'P') return propertyEscape(pattern, at, inClass, fail);
  if (c === 'b' || c === 'B') return inClass ? fail(`\\${c} inside a class`) : one(`\\${c}`);
  if (c === 'A') return inClass ? fail('\\A inside a class') : one('^');
  if (c === 'z') return inClass ? fail('\\z inside a class') : one('$');
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return one(simple);
  const rest = pattern.slice(at);
  const hex = /^\\x\{([0-9A-Fa-f]{1,6})\}/.exec(rest) ?? /^\\x([0-9A-Fa-f]{2})/.exec(rest) ?? /^\\u([0-9A-Fa-f]{4})/.exec(rest);
  if (hex) return { text: `\\u{${hex[1]}}`, isClass: false, length: hex[0].length };
  const octal = /^\\0([0-3]?[0-7]{1,2})/.exec(rest);
  if (octal) return { text: `\\u{${parseInt(octal[1] as string, 8).toString(16)}}`, isClass: false, length: octal[0].length };
  const control = /^\\c([A-Za-z])/.exec(rest);
  if (control) return { text: control[0], isClass: false, length: 3 };
  const reference = /^\\(?:[1-9][0-9]*|k<[A-Za-z][A-Za-z0-9]*>)/.exec(rest);
  if (reference)
    return inClass ? fail('a back-reference inside a class') : { text: reference[0], isClass: false, length: reference[0].length };
  if (/[A-Za-z0-9]/.test(c)) return fail(`the escape \\${c}`);
  // Any other character escaped stands for itself in Java; JavaScript's u mode accepts only these escaped.
  if (SYNTAX.has(c) || (inClass && c === '-')) return one(`\\${c}`);
  return one(c);
}

function propertyEscape(pattern: string, at: number, inClass: boolean, fail: (detail: string) => never): Escape {
  const negated = pattern[at + 1] === 'P';
  const braced = /^\\[pP]\{([A-Za-z_]+)\}/.exec(pattern.slice(at));
  const short = /^\\[pP]([A-Za-z])/.exec(pattern.slice(at));
  const match = braced ?? short;
  if (!match) return fail(`the property escape at offset ${at}`);
  const name = match[1] as string;
  const length = match[0].length;
  const posix = POSIX[name];
  if (posix !== undefined) {
    if (!inClass) return { text: `[${negated ? '^' : ''}${posix}]`, isClass: true, length };
    if (negated) return fail(`\\P{${name}} inside a class`);
    return { text: posix, isClass: true, length };
  }
  const category = name.startsWith('Is') && CATEGORY.test(name.slice(2)) ? name.slice(2) : name;
  if (!CATEGORY.test(category)) return fail(`the property \\p{${name}} (only general categories and POSIX classes are translated)`);
  return { text: `\\${negated ? 'P' : 'p'}{${category}}`, isClass: true, length };
}
