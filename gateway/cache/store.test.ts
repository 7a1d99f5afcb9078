import { describe, expect, it } from "vitest";
import { AnswerStore, type CachedAnswer } from "./store.ts";

function answer(tags: string[], bytes = 100, maxAge = 60): CachedAnswer {
  return { body: Buffer.alloc(bytes, "x"), etag: '"e"', contentType: "application/json", operationName: "Op", maxAge, scope: "PUBLIC", storedAt: Date.now(), tags };
}

describe("the answer store", () => {
  it("drops every answer stored under a purged tag, and only those", () => {
    const store = new AnswerStore(1_000_000);
    const since = store.now();
    expect(store.set("a", answer(["Listing:1", "Listing"]), since, Date.now())).toBe(true);
    expect(store.set("b", answer(["Listing:2"]), since, Date.now())).toBe(true);
    expect(store.set("c", answer(["User:1"]), since, Date.now())).toBe(true);
    expect(store.purge(["Listing:1"])).toBe(1);
    expect(store.get("a")).toBeUndefined();
    expect(store.get("b")).toBeDefined();
    expect(store.purge(["Listing"])).toBe(0);
    expect(store.size.entries).toBe(2);
  });

  it("refuses an answer whose request began before a purge of one of its tags", () => {
    const store = new AnswerStore(1_000_000);
    const since = store.now();
    store.purge(["Listing:1"]);
    expect(store.set("a", answer(["Listing:1"]), since, Date.now())).toBe(false);
    expect(store.get("a")).toBeUndefined();
    // Another entity's purge does not matter; a request that began after the purge may store.
    expect(store.set("b", answer(["Listing:2"]), since, Date.now())).toBe(true);
    expect(store.set("a", answer(["Listing:1"]), store.now(), Date.now())).toBe(true);
  });

  it("refuses everything begun before a clear, and requests older than a purge note lives", () => {
    const store = new AnswerStore(1_000_000);
    const since = store.now();
    store.clear();
    expect(store.set("a", answer(["User:1"]), since, Date.now())).toBe(false);
    expect(store.set("b", answer(["User:1"]), store.now(), Date.now() - 61_000)).toBe(false);
  });

  it("stays within its bytes, evicting the least recently used", () => {
    const store = new AnswerStore(10_000);
    for (let i = 0; i < 20; i++) store.set(`k${i}`, answer([`Listing:${i}`], 1_000), store.now(), Date.now());
    expect(store.size.bytes).toBeLessThanOrEqual(10_000);
    expect(store.size.entries).toBeGreaterThan(0);
    expect(store.get("k19")).toBeDefined();
    expect(store.get("k0")).toBeUndefined();
    // An evicted entry left the tag index too: purging its tag finds nothing.
    expect(store.purge(["Listing:0"])).toBe(0);
  });

  it("expires an answer after its maxAge", async () => {
    const store = new AnswerStore(1_000_000);
    store.set("a", answer(["Listing:1"], 10, 1), store.now(), Date.now());
    expect(store.get("a")).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(store.get("a")).toBeUndefined();
  });
});
