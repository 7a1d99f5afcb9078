import net from "node:net";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../lib/logger.ts";
import { openRedis } from "../../lib/redis.ts";
import { REDIS_URL, redisUnavailableFor } from "../../tests/utils/redis.ts";
import { RedisAnswerStore, digestOf, namespaceOf, type SharedStoreOptions } from "./redis-store.ts";
import type { CachedAnswer } from "./store.ts";

const log = createLogger({ LOG_LEVEL: "silent" });

function answer(tags: string[], bytes = 100, maxAge = 60): CachedAnswer {
  return { body: Buffer.alloc(bytes, "x"), etag: '"e"', contentType: "application/json", operationName: "Op", maxAge, scope: "PUBLIC", storedAt: Date.now(), tags };
}

const redisUnavailable = await redisUnavailableFor("the response cache's Redis tier");

describe.skipIf(!!redisUnavailable)("the response cache's Redis tier", () => {
  // Two connections: two gateways of one deployment.
  let one: Redis;
  let two: Redis;
  let inspect: Redis;
  const opened: RedisAnswerStore[] = [];
  const stores = (options: Partial<SharedStoreOptions> = {}) => {
    const namespace = namespaceOf(randomUUID());
    const pair = [new RedisAnswerStore(one, log, { namespace, ...options }), new RedisAnswerStore(two, log, { namespace, ...options })] as const;
    opened.push(...pair);
    return [...pair, namespace] as const;
  };

  beforeAll(async () => {
    one = await openRedis(REDIS_URL, log);
    two = await openRedis(REDIS_URL, log);
    inspect = await openRedis(REDIS_URL, log);
  });
  afterAll(async () => {
    for (const store of opened) store.close();
    for (const redis of [one, two, inspect]) await redis?.quit();
  });

  it("keeps an answer that another gateway reads back whole, for its maxAge", async () => {
    const [a, b] = stores();
    const digest = digestOf(`key ${randomUUID()}`);
    const miss = await a.get(digest);
    expect(miss?.answer).toBeUndefined();
    const kept = answer(["Listing:1", "Listing"], 1000, 30);
    expect(await a.set(digest, kept, miss!.since, 30_000)).toBe(true);
    const found = await b.get(digest);
    expect(found?.answer).toEqual(kept);
    expect(found!.ttlMs).toBeGreaterThan(29_000);
    expect(found!.ttlMs).toBeLessThanOrEqual(30_000);
  });

  it("drops every answer stored under a purged tag, whichever gateway purges, and only those", async () => {
    const [a, b] = stores();
    const since = (await a.get("x"))!.since;
    const [k1, k2, k3] = ["1", "2", "3"].map((n) => digestOf(`${n} ${randomUUID()}`));
    expect(await a.set(k1!, answer(["Listing:1", "Listing"]), since, 60_000)).toBe(true);
    expect(await a.set(k2!, answer(["Listing:2", "Listing"]), since, 60_000)).toBe(true);
    expect(await a.set(k3!, answer(["User:1"]), since, 60_000)).toBe(true);
    expect(await b.purge(["Listing:1"])).toBe(1);
    expect((await a.get(k1!))?.answer).toBeUndefined();
    expect((await a.get(k2!))?.answer).toBeDefined();
    expect(await b.purge(["Listing"])).toBe(1);
    expect((await a.get(k2!))?.answer).toBeUndefined();
    expect((await b.get(k3!))?.answer).toBeDefined();
    expect(await a.purge(["Listing:1"])).toBe(0); // heard by every gateway: idempotent
  });

  it("refuses an answer whose request looked up before another gateway purged one of its tags", async () => {
    const [a, b] = stores();
    const digest = digestOf(randomUUID());
    const before = (await a.get(digest))!.since;
    await b.purge(["Listing:1"]);
    expect(await a.set(digest, answer(["Listing:1", "Listing"]), before, 60_000)).toBe(false);
    expect((await b.get(digest))?.answer).toBeUndefined();
    // Another tag's purge does not matter; a request that looked up after the purge may store.
    expect(await a.set(digestOf(randomUUID()), answer(["Listing:2"]), before, 60_000)).toBe(true);
    const after = (await a.get(digest))!.since;
    expect(await a.set(digest, answer(["Listing:1"]), after, 60_000)).toBe(true);
    expect((await b.get(digest))?.answer).toBeDefined();
  });

  it("forgets answers when their time is up, and their tag index with them", async () => {
    const [a, , namespace] = stores();
    const digest = digestOf(randomUUID());
    expect(await a.set(digest, answer(["Listing:9"], 100, 1), (await a.get(digest))!.since, 150)).toBe(true);
    expect((await a.get(digest))?.answer).toBeDefined();
    const keys = await inspect.keys(`rc:${namespace}:*`);
    expect(keys.some((key) => key.endsWith(":t:Listing:9"))).toBe(true);
    // Nothing lives forever but the generation and the epoch (two numbers per deployment).
    for (const key of keys.filter((key) => !key.endsWith(":g") && !key.endsWith(":e"))) expect(await inspect.pttl(key)).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await a.get(digest))?.answer).toBeUndefined();
    expect((await inspect.keys(`rc:${namespace}:*`)).filter((key) => !key.endsWith(":g") && !key.endsWith(":e"))).toEqual([]);
  });

  it("never sends an answer larger than its limit", async () => {
    const [a] = stores({ maxValueBytes: 1000 });
    const digest = digestOf(randomUUID());
    const since = (await a.get(digest))!.since;
    expect(await a.set(digest, answer(["Listing:1"], 2000), since, 60_000)).toBe(false);
    expect((await a.get(digest))?.answer).toBeUndefined();
    expect(await a.set(digest, answer(["Listing:1"], 500), since, 60_000)).toBe(true);
  });

  it("clears everything with a new epoch, refusing stores of requests that looked up before it", async () => {
    const [a, b] = stores();
    const [k1, k2] = [digestOf(randomUUID()), digestOf(randomUUID())];
    const since = (await a.get(k1))!.since;
    expect(await a.set(k1, answer(["Listing:1"]), since, 60_000)).toBe(true);
    await b.clear();
    expect((await a.get(k1))?.answer).toBeUndefined();
    expect(await a.set(k2, answer(["Category:1"]), since, 60_000)).toBe(false);
    expect(await a.set(k2, answer(["Category:1"]), (await a.get(k2))!.since, 60_000)).toBe(true);
  });

  it("keeps deployments apart: another namespace never sees an answer", async () => {
    const [a] = stores();
    const [other] = stores();
    const digest = digestOf(randomUUID());
    expect(await a.set(digest, answer(["Listing:1"]), (await a.get(digest))!.since, 60_000)).toBe(true);
    expect((await other.get(digest))?.answer).toBeUndefined();
  });
});

describe("the response cache's Redis tier when Redis fails", () => {
  it("answers a miss at once when Redis is down, and counts it", async () => {
    const down = new Redis("redis://127.0.0.1:1", { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => null });
    down.on("error", () => {});
    const store = new RedisAnswerStore(down, log, { namespace: "down" });
    const started = performance.now();
    expect(await store.get(digestOf("k"))).toBeUndefined();
    expect(await store.set(digestOf("k"), answer(["Listing:1"]), { generation: 1, epoch: "0" }, 60_000)).toBe(false);
    expect(await store.purge(["Listing:1"])).toBe(0);
    expect(performance.now() - started).toBeLessThan(50);
    expect(store.counts.errors).toBeGreaterThanOrEqual(1);
    store.close();
    down.disconnect();
  });

  it("gives up on a Redis that does not answer within the timeout, then leaves it alone for a while", async () => {
    if (redisUnavailable) return;
    const proxy = await openProxy();
    const redis = await openRedis(proxy.url, log);
    try {
      const store = new RedisAnswerStore(redis, log, { namespace: namespaceOf(randomUUID()), timeoutMs: 50, backoffMs: 300 });
      const digest = digestOf(randomUUID());
      expect(await store.set(digest, answer(["Listing:1"]), (await store.get(digest))!.since, 60_000)).toBe(true);
      proxy.stall(true);
      let started = performance.now();
      expect(await store.get(digest)).toBeUndefined();
      const waited = performance.now() - started;
      expect(waited).toBeGreaterThanOrEqual(45);
      expect(waited).toBeLessThan(200);
      expect(store.counts.errors).toBe(1);
      started = performance.now();
      expect(await store.get(digest)).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(10); // within the backoff: Redis not even asked
      expect(store.counts.errors).toBe(1);
      proxy.stall(false); // the late reply arrives: nobody waits for it now
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect((await store.get(digest))?.answer).toBeDefined(); // asked again after the backoff
      store.close();
    } finally {
      redis.disconnect();
      await proxy.close();
    }
  });

  it("retries a purge that failed while Redis was away as soon as it is back", async () => {
    if (redisUnavailable) return;
    const proxy = await openProxy();
    const direct = await openRedis(REDIS_URL, log);
    const redis = await openRedis(proxy.url, log);
    try {
      const namespace = namespaceOf(randomUUID());
      const other = new RedisAnswerStore(direct, log, { namespace });
      const store = new RedisAnswerStore(redis, log, { namespace });
      const digest = digestOf(randomUUID());
      expect(await other.set(digest, answer(["Listing:1"]), (await other.get(digest))!.since, 60_000)).toBe(true);
      proxy.cut();
      await until(() => redis.status !== "ready");
      expect(await store.purge(["Listing:1"])).toBe(0);
      expect(store.counts.errors).toBe(1);
      expect((await other.get(digest))?.answer).toBeDefined();
      await until(async () => !(await other.get(digest))?.answer);
      store.close();
      other.close();
    } finally {
      redis.disconnect();
      direct.disconnect();
      await proxy.close();
    }
  });
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The real Redis behind a TCP proxy that can hold its replies back (a stalled Redis) or cut every connection. */
async function openProxy() {
  const target = new URL(REDIS_URL);
  let stalled = false;
  const held: [net.Socket, Buffer][] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.on("data", (chunk: Buffer) => (stalled ? held.push([client, chunk]) : client.write(chunk)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `redis://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    stall(on: boolean) {
      stalled = on;
      if (!on) for (const [client, chunk] of held.splice(0)) client.write(chunk);
    },
    cut() {
      for (const socket of sockets) socket.destroy();
    },
    async close() {
      this.cut();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
