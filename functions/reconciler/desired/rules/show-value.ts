// How a value is quoted in a message: strings through showText (user-text.ts: short, escaped,
// withheld when they look like key material); other values by their kind.
import { showText } from '../user-text.ts';

export function showValue(value: unknown): string {
  if (typeof value === 'string') return showText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return kindOf(value);
}

/** `a string`, `a number`, `a list`, `an object`, `null`, … */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean (true/false)';
    case 'object':
      return 'an object';
    case 'undefined':
      return 'nothing';
    default:
      return `a ${typeof value}`;
  }
}
