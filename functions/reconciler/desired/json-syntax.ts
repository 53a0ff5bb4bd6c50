// A JSON syntax check that says where the text goes wrong (line and column) and finds duplicate
// keys, which JSON.parse would silently collapse to the last one. It never quotes the text:
// V8's own messages quote a stretch of it, and a document may hold a pasted private key.
import { showText } from './user-text.ts';

export interface SyntaxProblem {
  offset: number;
  message: string;
}

class Scanner {
  readonly text: string;
  pos = 0;
  constructor(text: string) {
    this.text = text;
  }

  fail(message: string, at = this.pos): never {
    throw Object.assign(new Error(message), { offset: at, syntax: true });
  }

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos] as string)) this.pos += 1;
  }

  describeHere(): string {
    if (this.pos >= this.text.length) return 'the text ends too early';
    const ch = this.text.codePointAt(this.pos) ?? 0;
    const printable = ch >= 0x21 && ch <= 0x7e;
    return printable
      ? `unexpected character ${JSON.stringify(String.fromCodePoint(ch))}`
      : `unexpected character U+${ch.toString(16).toUpperCase().padStart(4, '0')}`;
  }

  value(depth: number): void {
    if (depth > 512) this.fail('nesting is too deep');
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === '{') this.object(depth);
    else if (ch === '[') this.array(depth);
    else if (ch === '"') this.string();
    else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) this.number();
    else if (this.text.startsWith('true', this.pos)) this.pos += 4;
    else if (this.text.startsWith('false', this.pos)) this.pos += 5;
    else if (this.text.startsWith('null', this.pos)) this.pos += 4;
    else if (ch === "'") this.fail('strings must use double quotes (")');
    else this.fail(`${this.describeHere()}; expected a value (an object, list, string in double quotes, number, true, false or null)`);
  }

  object(depth: number): void {
    this.pos += 1;
    const keys = new Set<string>();
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos += 1;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') {
        this.fail(
          this.text[this.pos] === '}'
            ? 'a comma before "}" is not allowed in JSON (trailing comma)'
            : `${this.describeHere()}; expected a key in double quotes`,
        );
      }
      const keyStart = this.pos;
      const key = this.string();
      if (keys.has(key)) this.fail(`the key ${showText(key)} appears twice in the same object; keep one`, keyStart);
      keys.add(key);
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail(`${this.describeHere()}; expected ":" after the key`);
      this.pos += 1;
      this.value(depth + 1);
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos += 1;
        continue;
      }
      if (next === '}') {
        this.pos += 1;
        return;
      }
      this.fail(`${this.describeHere()}; expected "," or "}" after a value`);
    }
  }

  array(depth: number): void {
    this.pos += 1;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos += 1;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === ']') this.fail('a comma before "]" is not allowed in JSON (trailing comma)');
      this.value(depth + 1);
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos += 1;
        continue;
      }
      if (next === ']') {
        this.pos += 1;
        return;
      }
      this.fail(`${this.describeHere()}; expected "," or "]" after a list item`);
    }
  }

  string(): string {
    const start = this.pos;
    this.pos += 1;
    for (;;) {
      if (this.pos >= this.text.length) this.fail('a string is not closed (missing ")', start);
      const ch = this.text.charCodeAt(this.pos);
      if (ch === 0x22) {
        this.pos += 1;
        break;
      }
      if (ch < 0x20) this.fail('a control character (such as a line break or tab) inside a string must be escaped (\\n, \\t)');
      if (ch === 0x5c) {
        const esc = this.text[this.pos + 1];
        if (esc === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6)))
            this.fail('\\u must be followed by four hexadecimal digits');
          this.pos += 6;
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) {
          this.pos += 2;
        } else {
          this.fail('invalid escape sequence in a string (JSON allows \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
        }
        continue;
      }
      this.pos += 1;
    }
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  number(): void {
    const match = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (match === null || match[0] === '-') this.fail('invalid number');
    this.pos += match[0].length;
  }
}

/** undefined when the text is one well-formed JSON value without duplicate keys. */
export function checkJsonSyntax(text: string): SyntaxProblem | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.skipSpace();
    if (scanner.pos >= text.length) return { offset: 0, message: 'the text is empty; expected a JSON object' };
    scanner.value(0);
    scanner.skipSpace();
    if (scanner.pos < text.length) scanner.fail(`${scanner.describeHere()} after the end of the document`);
    return undefined;
  } catch (err) {
    const e = err as { offset?: number; syntax?: boolean; message?: string };
    if (e.syntax === true) return { offset: e.offset ?? 0, message: e.message ?? 'malformed' };
    return { offset: scanner.pos, message: 'the text could not be read as JSON' };
  }
}

/** 1-based line and column of an offset (columns count UTF-16 units, as editors mostly do). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
