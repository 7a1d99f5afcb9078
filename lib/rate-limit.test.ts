import crypto from "node:crypto";
import net from "node:net";
import { Redis } from "ioredis";
import { REDIS_URL, redisUnavailableFor } from "../tests/utils/redis.ts";
import { afterAll, describe, expect, it } from "vitest";
import { createLimiterFactory, ipKey, type Limiter } from "./rate-limit.ts";

const redisUnavailable = await redisUnavailableFor("the Redis rate-limit tests");

/** What a RATE_LIMITED refusal carries, or undefined when the call passed. */
async function refusal(promise: Promise<void>): Promise<{ code: unknown; retryAfter: unknown; status: unknown; message: string } | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    const e = error as { message: string; extensions?: Record<string, any> };
    return { code: e.extensions?.code, retryAfter: e.extensions?.retryAfter, status: e.extensions?.http?.status, message: e.message };
  }
}

async function consumeTimes(limiter: Limiter, key: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await limiter.consume(key);
}

const uniqueName = (what: string) => `test-${what}-${crypto.randomBytes(6).toString("hex")}`;

describe("rate limits in memory", () => {
  const limiters = createLimiterFactory();

  it("lets `points` requests through, then refuses with RATE_LIMITED, a retry delay and HTTP 429", async () => {
    const limiter = limiters("memory-basic", { points: 3, windowSeconds: 60, message: "Prea multe încercări." });
    await consumeTimes(limiter, "ip:1", 3);
    const refused = await refusal(limiter.consume("ip:1"));
    expect(refused).toMatchObject({ code: "RATE_LIMITED", status: 429 });
    expect(refused!.retryAfter).toBeGreaterThan(0);
    expect(refused!.retryAfter).toBeLessThanOrEqual(60);
    expect(refused!.message).toMatch(/^Prea multe încercări\. \(reîncearcă peste \d+ s\)$/);
    // Another key, and the same key under another limiter's name, have budgets of their own.
    await expect(limiter.consume("ip:2")).resolves.toBeUndefined();
    await expect(limiters("memory-other", { points: 1, windowSeconds: 60 }).consume("ip:1")).resolves.toBeUndefined();
  });

  it("forgets a key on reset and gives one point back on refund", async () => {
    const limiter = limiters("memory-reset", { points: 2, windowSeconds: 60 });
    await consumeTimes(limiter, "k", 2);
    expect(await refusal(limiter.consume("k"))).toMatchObject({ code: "RATE_LIMITED" });
    await limiter.reset("k");
    await consumeTimes(limiter, "k", 2);
    expect(await refusal(limiter.consume("k"))).toMatchObject({ code: "RATE_LIMITED" });

    const refunded = limiters("memory-refund", { points: 2, windowSeconds: 60 });
    await consumeTimes(refunded, "k", 2);
    await refunded.refund("k");
    await expect(refunded.consume("k")).resolves.toBeUndefined();
    expect(await refusal(refunded.consume("k"))).toMatchObject({ code: "RATE_LIMITED" });
  });

  it("counts concurrent requests exactly", async () => {
    const limiter = limiters("memory-burst", { points: 5, windowSeconds: 60 });
    const results = await Promise.all(Array.from({ length: 20 }, () => refusal(limiter.consume("burst"))));
    expect(results.filter((r) => r === undefined)).toHaveLength(5);
    expect(results.filter((r) => r?.code === "RATE_LIMITED")).toHaveLength(15);
  });

  it("opens a new window once the old one has passed", async () => {
    const limiter = limiters("memory-window", { points: 1, windowSeconds: 1 });
    await limiter.consume("k");
    expect(await refusal(limiter.consume("k"))).toMatchObject({ code: "RATE_LIMITED", retryAfter: 1 });
    await new Promise((r) => setTimeout(r, 1100));
    await expect(limiter.consume("k")).resolves.toBeUndefined();
  });
});

describe.skipIf(!!redisUnavailable)("rate limits in Redis", () => {
  const clients: Redis[] = [];
  const names: string[] = [];
  const connect = async () => {
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    await redis.connect();
    clients.push(redis);
    return redis;
  };
  const name = (what: string) => {
    const n = uniqueName(what);
    names.push(n);
    return n;
  };

  afterAll(async () => {
    // Counters live for their window: remove this run's, so nothing is left for the next one.
    const redis = clients[0];
    if (redis) for (const n of names) {
      const keys = await redis.keys(`rl:${n}:*`);
      if (keys.length) await redis.del(...keys);
    }
    await Promise.all(clients.map((c) => c.quit()));
  });

  it("shares one budget between processes (two connections, two factories)", async () => {
    const a = createLimiterFactory(await connect());
    const b = createLimiterFactory(await connect());
    const limit = { points: 4, windowSeconds: 60 };
    const n = name("shared");
    const [onA, onB] = [a(n, limit), b(n, limit)];
    await consumeTimes(onA, "ip:1", 2);
    await consumeTimes(onB, "ip:1", 2);
    const refusedOnA = await refusal(onA.consume("ip:1"));
    const refusedOnB = await refusal(onB.consume("ip:1"));
    expect(refusedOnA).toMatchObject({ code: "RATE_LIMITED", status: 429 });
    expect(refusedOnB).toMatchObject({ code: "RATE_LIMITED", status: 429 });
    expect(refusedOnB!.retryAfter).toBeGreaterThan(0);
    expect(await clients[0]!.get(`rl:${n}:ip:1`)).toBe("6");
  });

  it("resets and refunds in the shared store", async () => {
    const [a, b] = [createLimiterFactory(await connect()), createLimiterFactory(await connect())];
    const n = name("reset");
    const limit = { points: 2, windowSeconds: 60 };
    await consumeTimes(a(n, limit), "k", 2);
    await b(n, limit).reset("k");
    await consumeTimes(a(n, limit), "k", 2);
    await b(n, limit).refund("k");
    await expect(a(n, limit).consume("k")).resolves.toBeUndefined();
    expect(await refusal(b(n, limit).consume("k"))).toMatchObject({ code: "RATE_LIMITED" });
  });

  it("counts concurrent requests from two processes exactly", async () => {
    const [a, b] = [createLimiterFactory(await connect()), createLimiterFactory(await connect())];
    const n = name("burst");
    const limit = { points: 6, windowSeconds: 60 };
    const [onA, onB] = [a(n, limit), b(n, limit)];
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => refusal((i % 2 ? onA : onB).consume("burst"))));
    expect(results.filter((r) => r === undefined)).toHaveLength(6);
  });
});

describe("rate limits while Redis is unreachable", () => {
  it("keep counting in this process's memory (the insurance limiter) instead of failing or letting all through", async () => {
    const port = await closedPort();
    const redis = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    const errors: Error[] = [];
    redis.on("error", (error: Error) => errors.push(error));
    // A connection that fails and keeps retrying, as when Redis goes away under a running process.
    await redis.connect().catch(() => {});
    try {
      expect(redis.status).not.toBe("ready");
      const limiter = createLimiterFactory(redis)(uniqueName("outage"), { points: 3, windowSeconds: 60 });
      await consumeTimes(limiter, "ip:1", 3);
      await limiter.refund("ip:1");
      await expect(limiter.consume("ip:1")).resolves.toBeUndefined();
      const refused = await refusal(limiter.consume("ip:1"));
      expect(refused).toMatchObject({ code: "RATE_LIMITED", status: 429 });
      expect(refused!.retryAfter).toBeGreaterThan(0);
      await limiter.reset("ip:1");
      await expect(limiter.consume("ip:1")).resolves.toBeUndefined();
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });
});

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("client address keys", () => {
  it.each([
    ["198.51.100.1", "198.51.100.1"],
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["::1", "0:0:0:0::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["2001:DB8:0:0:1:2:3:4", "2001:db8:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["64:ff9b::198.51.100.1", "64:ff9b:0:0::/64"],
    ["2001:db8:aaaa:bbbb:cccc::", "2001:db8:aaaa:bbbb::/64"],
    ["", undefined],
    [undefined, undefined],
  ])("address %s → %s", (ip, key) => {
    expect(ipKey(ip)).toBe(key);
  });
});
