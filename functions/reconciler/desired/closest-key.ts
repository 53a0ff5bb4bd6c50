// "Did you mean …?" for unknown keys: the valid key nearest by edit distance, ignoring case.
import { showText } from './user-text.ts';

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** Keys longer than this are compared by their first characters only (the distance is quadratic). */
const COMPARED_LENGTH = 64;

export function closestKey(key: string, known: readonly string[]): { key: string; distance: number } | undefined {
  const probe = key.slice(0, COMPARED_LENGTH).toLowerCase();
  let best: { key: string; distance: number; raw: number } | undefined;
  for (const candidate of known) {
    const lower = candidate.toLowerCase();
    const raw = distance(probe, lower);
    // A truncated or extended key ("Prune" for "PruneTags") is a near miss whatever its length.
    const d = probe !== '' && (lower.startsWith(probe) || probe.startsWith(lower)) ? Math.min(1, raw) : raw;
    if (best === undefined || d < best.distance || (d === best.distance && raw < best.raw)) best = { key: candidate, distance: d, raw };
  }
  return best && { key: best.key, distance: best.distance };
}

/** `"Protocol" is not a known key; did you mean "Protocols"?` (and the list when nothing is close). */
export function unknownKeyMessage(key: string, known: readonly string[], where: string): string {
  const best = closestKey(key, known);
  if (best === undefined) return `${showText(key)} is not a known key; ${where} takes no keys. Remove it.`;
  const hint = best.distance === 0 ? ' (keys are case-sensitive)' : '';
  const far = best.distance > Math.max(2, Math.floor(best.key.length / 3));
  const list = far ? ` Keys allowed ${where}: ${known.join(', ')}.` : '';
  return `${showText(key)} is not a known key; did you mean ${JSON.stringify(best.key)}?${hint}${list} Unknown keys are rejected so that a typo is never silently ignored.`;
}
