// The parameter names in sorted order (JavaScript's default string order, as `.sort()` gives),
// kept up to date on every create and delete so that GetParametersByPath finds a path's names
// by binary search instead of sorting every name on every page.
export class SortedNames {
  private names: string[] = [];

  /** Adds a name (nothing when present). */
  add(name: string): void {
    const i = this.lowerBound(name);
    if (this.names[i] !== name) this.names.splice(i, 0, name);
  }

  delete(name: string): void {
    const i = this.lowerBound(name);
    if (this.names[i] === name) this.names.splice(i, 1);
  }

  clear(): void {
    this.names = [];
  }

  /** The names starting with `prefix` and greater than `after` (when given), in order. */
  *withPrefix(prefix: string, after?: string): Generator<string> {
    let i = this.lowerBound(prefix);
    if (after !== undefined) i = Math.max(i, this.upperBound(after));
    for (; i < this.names.length; i++) {
      const name = this.names[i] as string;
      if (!name.startsWith(prefix)) return;
      yield name;
    }
  }

  /** The first index whose name is not less than `name`. */
  private lowerBound(name: string): number {
    let lo = 0;
    let hi = this.names.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.names[mid] as string) < name) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first index whose name is greater than `name`. */
  private upperBound(name: string): number {
    let lo = 0;
    let hi = this.names.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.names[mid] as string) <= name) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
