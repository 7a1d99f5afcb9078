/**
 * A map of at most `capacity` tallies: when a new key arrives at a full map, the least used tally (the
 * smallest count, the oldest among equals) makes room and is counted as dropped. Keys come from
 * clients (operation names, documents) and from code (SQL texts): neither may grow memory without bound,
 * and the busy ones are those worth keeping.
 */
export interface Tally {
  count: number;
}

export class LeastUsedMap<V extends Tally> {
  private readonly entries = new Map<string, V>();
  /** Tallies evicted (and so not recorded) since the last drain. */
  dropped = 0;

  constructor(
    private readonly capacity: number,
    private readonly create: (key: string) => V,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The key's tally, made (and room made for it) when new. */
  tally(key: string): V {
    const found = this.entries.get(key);
    if (found) return found;
    if (this.entries.size >= this.capacity) this.evictLeastUsed();
    const made = this.create(key);
    this.entries.set(key, made);
    return made;
  }

  /** Every tally, and an empty map behind them (one flush window ends, the next begins). */
  drain(): { entries: [string, V][]; dropped: number } {
    const drained = { entries: [...this.entries], dropped: this.dropped };
    this.entries.clear();
    this.dropped = 0;
    return drained;
  }

  private evictLeastUsed(): void {
    let least: string | undefined;
    let min = Infinity;
    // Map order is insertion order: the first of equal counts is the oldest.
    for (const [key, value] of this.entries) {
      if (value.count < min) {
        min = value.count;
        least = key;
      }
    }
    if (least === undefined) return;
    this.entries.delete(least);
    this.dropped++;
  }
}
