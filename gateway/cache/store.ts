/**
 * The cached answers of one gateway: an LRU bounded in bytes (lru-cache), each entry with its own
 * time to live and the tags it was stored under, and an index from tag to entries for purges.
 *
 * A read that began before a purge may finish after it with what it read before: it must not be
 * kept. Each purge advances a generation and notes it on the tags it purged; an answer is kept only
 * if none of its tags was purged since its request began (`since`). Purge notes older than any
 * request that may still store are forgotten, so the notes stay the size of a minute of purges.
 */
import { LRUCache } from "lru-cache";

export interface CachedAnswer {
  body: Buffer;
  etag: string;
  contentType: string;
  operationName: string;
  maxAge: number;
  scope: "PUBLIC" | "PRIVATE";
  /** Epoch ms. */
  storedAt: number;
  tags: readonly string[];
}

/** Longer than any request may run (EXECUTION_DEADLINE_MS): older requests do not store. */
const PURGE_MEMORY_MS = 60_000;
/** What an entry costs besides its body: key, tags, the object and the index. */
const ENTRY_OVERHEAD_BYTES = 400;

export class AnswerStore {
  private readonly entries: LRUCache<string, CachedAnswer>;
  private readonly byTag = new Map<string, Set<string>>();
  private readonly purgedAt = new Map<string, { generation: number; at: number }>();
  private generation = 0;
  private clearedAt = 0;
  private lastSweep = Date.now();

  constructor(maxBytes: number) {
    this.entries = new LRUCache<string, CachedAnswer>({
      maxSize: maxBytes,
      sizeCalculation: (answer, key) => answer.body.length + key.length + ENTRY_OVERHEAD_BYTES + answer.tags.length * 40,
      dispose: (answer, key) => this.unindex(key, answer),
    });
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.entries.calculatedSize };
  }

  /** Where the purges are now: what a request passes to set() when it ends. */
  now(): number {
    return this.generation;
  }

  get(key: string): CachedAnswer | undefined {
    return this.entries.get(key);
  }

  /** Keeps the answer unless something it contains was purged since `since`. Returns whether it did. */
  set(key: string, answer: CachedAnswer, since: number, startedAt: number, ttlMs = answer.maxAge * 1000): boolean {
    if (!(ttlMs >= 1) || !this.mayKeep(answer.tags, since, startedAt)) return false;
    this.entries.set(key, answer, { ttl: ttlMs });
    if (!this.entries.has(key)) return false; // larger than the whole cache
    for (const tag of answer.tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    return true;
  }

  /** Whether an answer with these tags, whose request began at `since` (and `startedAt`, epoch ms), may still be kept. */
  mayKeep(tags: readonly string[], since: number, startedAt: number): boolean {
    if (this.clearedAt > since || Date.now() - startedAt > PURGE_MEMORY_MS) return false;
    return !tags.some((tag) => (this.purgedAt.get(tag)?.generation ?? 0) > since);
  }

  /** Drops every entry stored under any of these tags; returns how many. */
  purge(tags: Iterable<string>): number {
    const generation = ++this.generation;
    const at = Date.now();
    let purged = 0;
    for (const tag of tags) {
      this.purgedAt.set(tag, { generation, at });
      for (const key of [...(this.byTag.get(tag) ?? [])]) if (this.entries.delete(key)) purged++;
    }
    this.sweepPurgeNotes(at);
    return purged;
  }

  clear(): number {
    const purged = this.entries.size;
    this.clearedAt = ++this.generation;
    this.entries.clear();
    return purged;
  }

  private unindex(key: string, answer: CachedAnswer): void {
    for (const tag of answer.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(tag);
    }
  }

  private sweepPurgeNotes(now: number): void {
    if (now - this.lastSweep < PURGE_MEMORY_MS) return;
    this.lastSweep = now;
    for (const [tag, { at }] of this.purgedAt) if (now - at > PURGE_MEMORY_MS) this.purgedAt.delete(tag);
  }
}
