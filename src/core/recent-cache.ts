/**
 * A map that keeps only the most recently added entries: once it holds
 * `capacity`, adding a new key drops the oldest one (insertion order, which
 * a Map keeps). For memoizing work whose inputs recur (the same RUN line in
 * many Dockerfiles) without letting a long scan grow it without limit.
 */
export class RecentCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    if (!this.entries.has(key) && this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
  }

  get size(): number {
    return this.entries.size;
  }
}
