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
 * one count instead of one per request), as long as no purge came since that load began — batches
 * too: a batch loads only the keys no load under way covers. Without that, an entry expiring under
 * 200 concurrent listing pages was read by every one of them (their DataLoaders batch per request):
 * ~400 statements queued on the pool at once, and every page in flight waited ~3 s for them.
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
  /** The same for keys of batches (getMany): undefined is a key its load did not find. */
  private readonly loadingMany = new Map<K, { generation: number; value: Promise<V | undefined> }>();

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
    const unclaimed = missing.filter((key) => this.loadingMany.get(key)?.generation !== since);
    if (unclaimed.length) this.loadBatch(unclaimed, load, since);
    const found = await Promise.all(missing.map((key) => this.loadingMany.get(key)!.value));
    const byKey = new Map(missing.map((key, i) => [key, found[i]]));
    return keys.map((key, i) => values[i] ?? byKey.get(key));
  }

  /** One load of `keys`, each key's share of it claimed until it settles; kept unless a purge came in between. */
  private loadBatch(keys: K[], load: (missing: K[]) => Promise<Map<K, V>>, since: number): void {
    const batch = load(keys);
    for (const key of keys) {
      const entry = { generation: since, value: batch.then((found) => found.get(key)) };
      this.loadingMany.set(key, entry);
      const settle = () => {
        if (this.loadingMany.get(key) === entry) this.loadingMany.delete(key);
      };
      entry.value.then((value) => {
        if (value !== undefined && since === this.generation) this.entries.set(key, value);
        settle();
      }, settle);
    }
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
