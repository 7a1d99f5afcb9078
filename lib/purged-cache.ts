/**
 * A process-wide cache of what nearly every page reads again (public profiles, counts), emptied by
 * the same purges that empty the gateways' response caches (lib/cache-purges.ts): the owner of the
 * data wires `forget`/`clear` to them, so a cached value never outlives the change that made it
 * wrong, in this process or another. `ttlMs` only bounds the age should a purge message be lost.
 *
 * A read that began before a purge may finish after it with what it read before: it must not be
 * kept. Every purge advances a generation, and a read stores its values only if none happened since
 * it began (coarse, but purges are rare next to reads, and a skipped store costs one read later).
 * lru-cache alone has no such rule, which is why this wraps it.
 *
 * Reads of one missing key at the same time share one load (a popular search right after a purge:
 * one count instead of one per request), as long as no purge came since that load began.
 */
import { LRUCache } from "lru-cache";

export interface PurgedCacheOptions {
  max: number;
  ttlMs: number;
}

export class PurgedCache<K extends string, V extends object | number> {
  private readonly entries: LRUCache<K, V>;
  private generation = 0;
  /** The load under way for a key, and the generation it began in. */
  private readonly loading = new Map<K, { generation: number; value: Promise<V> }>();

  constructor(options: PurgedCacheOptions) {
    this.entries = new LRUCache<K, V>({ max: options.max, ttl: options.ttlMs });
  }

  /**
   * One key's value: cached, or the load of it under way since the last purge, or read by `load`
   * (kept unless a purge came in between).
   */
  async get(key: K, load: () => Promise<V>): Promise<V> {
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached;
    const pending = this.loading.get(key);
    if (pending && pending.generation === this.generation) return pending.value;
    const since = this.generation;
    const entry = { generation: since, value: load() };
    this.loading.set(key, entry);
    try {
      const value = await entry.value;
      if (since === this.generation) this.entries.set(key, value);
      return value;
    } finally {
      if (this.loading.get(key) === entry) this.loading.delete(key);
    }
  }

  /**
   * Each key's value, in order: the cached ones as they are, the others read by one call of `load`
   * (which returns what it found; keys it did not find are undefined and not kept).
   */
  async getMany(keys: readonly K[], load: (missing: K[]) => Promise<Map<K, V>>): Promise<(V | undefined)[]> {
    const values = keys.map((key) => this.entries.get(key));
    const missing = [...new Set(keys.filter((_, i) => values[i] === undefined))];
    if (!missing.length) return values;
    const since = this.generation;
    const found = await load(missing);
    if (since === this.generation) for (const [key, value] of found) this.entries.set(key, value);
    return keys.map((key, i) => values[i] ?? found.get(key));
  }

  forget(keys: Iterable<K>): void {
    this.generation++;
    for (const key of keys) this.entries.delete(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
