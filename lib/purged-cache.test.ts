import { describe, expect, it } from "vitest";
import { PurgedCache } from "./purged-cache.ts";

const box = (n: number) => ({ n });

describe("PurgedCache", () => {
  it("reads a missing key once, then answers from memory", async () => {
    const cache = new PurgedCache<string, { n: number }>({ max: 10, ttlMs: 60_000 });
    let reads = 0;
    const load = async () => (reads++, box(1));
    expect(await cache.get("a", load)).toEqual(box(1));
    expect(await cache.get("a", load)).toEqual(box(1));
    expect(reads).toBe(1);
  });

  it("reads only the missing keys of a batch, in one call, and keeps no value for keys not found", async () => {
    const cache = new PurgedCache<string, { n: number }>({ max: 10, ttlMs: 60_000 });
    const calls: string[][] = [];
    const load = async (keys: string[]) => (calls.push(keys), new Map(keys.filter((k) => k !== "x").map((k) => [k, box(k.length)])));
    expect(await cache.getMany(["a", "bb"], load)).toEqual([box(1), box(2)]);
    expect(await cache.getMany(["a", "ccc", "x", "ccc"], load)).toEqual([box(1), box(3), undefined, box(3)]);
    expect(await cache.getMany(["x"], load)).toEqual([undefined]);
    expect(calls).toEqual([["a", "bb"], ["ccc", "x"], ["x"]]);
  });

  it("forgets purged keys and everything on clear", async () => {
    const cache = new PurgedCache<string, number>({ max: 10, ttlMs: 60_000 });
    let version = 1;
    const load = async () => version;
    await cache.get("a", load);
    await cache.get("b", load);
    version = 2;
    cache.forget(["a"]);
    expect(await cache.get("a", load)).toBe(2);
    expect(await cache.get("b", load)).toBe(1);
    cache.clear();
    expect(await cache.get("b", load)).toBe(2);
  });

  it("does not keep what a read that began before a purge found", async () => {
    const cache = new PurgedCache<string, number>({ max: 10, ttlMs: 60_000 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stale = cache.get("a", async () => (await gate, 1));
    cache.forget(["a"]); // the change commits while the old value is on its way
    release();
    expect(await stale).toBe(1); // the read itself answers what it read…
    expect(await cache.get("a", async () => 2)).toBe(2); // …but did not keep it
    const staleBatch = cache.getMany(["b"], async () => (await Promise.resolve(), cache.clear(), new Map([["b", 1]])));
    expect(await staleBatch).toEqual([1]);
    expect(await cache.get("b", async () => 2)).toBe(2);
  });

  it("shares one load among reads of a key at the same time, but not across a purge", async () => {
    const cache = new PurgedCache<string, number>({ max: 10, ttlMs: 60_000 });
    let loads = 0;
    let release!: () => void;
    let gate = new Promise<void>((resolve) => (release = resolve));
    const load = async () => {
      const n = ++loads; // each load answers its own number
      await gate;
      return n;
    };
    const together = [cache.get("a", load), cache.get("a", load)];
    release();
    expect(await Promise.all(together)).toEqual([1, 1]);
    expect(loads).toBe(1);

    gate = new Promise<void>((resolve) => (release = resolve));
    const before = cache.get("b", load);
    cache.clear(); // a read that comes after the purge must not get what was read before it
    const after = cache.get("b", load);
    release();
    expect(await Promise.all([before, after])).toEqual([2, 3]);
    expect(await cache.get("b", load)).toBe(3);
    expect(loads).toBe(3);
  });

  it("shares the load of a key among batches at the same time, loads only the keys none covers, and not across a purge", async () => {
    const cache = new PurgedCache<string, number>({ max: 10, ttlMs: 60_000 });
    const calls: string[][] = [];
    let release!: () => void;
    let gate = new Promise<void>((resolve) => (release = resolve));
    const load = async (keys: string[]) => {
      const call = calls.push(keys); // each load answers its own number
      await gate;
      return new Map(keys.filter((k) => k !== "x").map((k) => [k, call * 10 + k.length]));
    };
    const together = [cache.getMany(["a", "bb"], load), cache.getMany(["bb", "ccc", "x"], load), cache.getMany(["a", "x"], load)];
    release();
    expect(await Promise.all(together)).toEqual([[11, 12], [12, 23, undefined], [11, undefined]]);
    expect(calls).toEqual([["a", "bb"], ["ccc", "x"]]);
    expect(await cache.getMany(["a", "bb", "ccc"], load)).toEqual([11, 12, 23]);
    expect(calls).toHaveLength(2);

    gate = new Promise<void>((resolve) => (release = resolve));
    const before = cache.getMany(["d"], load);
    cache.clear(); // a batch that comes after the purge must not get what was read before it
    const after = cache.getMany(["d"], load);
    release();
    expect(await Promise.all([before, after])).toEqual([[31], [41]]);
    expect(await cache.getMany(["d"], load)).toEqual([41]);
    expect(calls).toEqual([["a", "bb"], ["ccc", "x"], ["d"], ["d"]]);
  });

  it("lets the next batch load again after a batch's load failed", async () => {
    const cache = new PurgedCache<string, number>({ max: 10, ttlMs: 60_000 });
    await expect(cache.getMany(["a"], async () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.getMany(["a"], async () => new Map([["a", 1]]))).toEqual([1]);
  });

  it("lets the next read load again after a load failed", async () => {
    const cache = new PurgedCache<string, number>({ max: 10, ttlMs: 60_000 });
    await expect(cache.get("a", async () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.get("a", async () => 1)).toBe(1);
  });

  it("expires entries after ttlMs", async () => {
    const cache = new PurgedCache<string, number>({ max: 10, ttlMs: 20 });
    await cache.get("a", async () => 1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await cache.get("a", async () => 2)).toBe(2);
  });
});
