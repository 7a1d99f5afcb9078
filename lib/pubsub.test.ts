import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { REDIS_URL, redisUnavailableFor } from "../tests/utils/redis.ts";
import { createLogger } from "./logger.ts";
import { openPubSub, type PubSub } from "./pubsub.ts";

const log = createLogger({ LOG_LEVEL: "silent", NODE_ENV: "test" } as never);
const redisUnavailable = await redisUnavailableFor("the Redis pub/sub tests");
const channel = (what: string) => `test-${what}-${crypto.randomBytes(6).toString("hex")}`;

/** The next event, or "timeout" when none comes within `ms`. */
async function next<T>(events: AsyncIterableIterator<T>, ms = 2000): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)));
  const result = await Promise.race([events.next().then((r) => r.value as T), timeout]);
  clearTimeout(timer);
  return result;
}

/** Publishes until the subscription has registered (Redis SUBSCRIBE is a round trip) and one arrives. */
async function firstOf<T>(pubsub: PubSub, events: AsyncIterableIterator<T>, name: string, payload: unknown): Promise<T | "timeout"> {
  const pending = next(events, 5000);
  const publishing = setInterval(() => void pubsub.publish(name, payload), 50);
  try {
    return await pending;
  } finally {
    clearInterval(publishing);
  }
}

function behavesAsOneChannel(open: () => Promise<[PubSub, PubSub]>) {
  it("delivers JSON payloads, in order, only to subscribers of that channel", async () => {
    const [a, b] = await open();
    try {
      const name = channel("order");
      const events = b.subscribe<{ n: number; at: string }>(name);
      const other = b.subscribe<unknown>(channel("other"));
      const first = await firstOf(a, events, name, { n: 0, at: new Date(0) });
      // Dates arrive as JSON strings in both modes: code written on one process works across processes.
      expect(first).toEqual({ n: 0, at: "1970-01-01T00:00:00.000Z" });
      // Drain what the warm-up publishing left, then a numbered burst must come in order.
      const marker = channel("marker");
      const burst = b.subscribe<{ n: number }>(marker);
      await firstOf(a, burst, marker, { n: -1 });
      await new Promise((r) => setTimeout(r, 100));
      for (let n = 1; n <= 50; n++) await a.publish(marker, { n });
      const seen: number[] = [];
      while (seen.length < 50) {
        const event = await next(burst);
        if (event === "timeout") break;
        if (event.n > 0) seen.push(event.n);
      }
      expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(await next(other, 200)).toBe("timeout");
      await Promise.all([events.return!(), other.return!(), burst.return!()]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("stops delivering once the subscriber returns its iterator", async () => {
    const [a, b] = await open();
    try {
      const name = channel("leave");
      const events = b.subscribe<{ n: number }>(name);
      expect(await firstOf(a, events, name, { n: 1 })).toEqual({ n: 1 });
      await events.return!();
      await a.publish(name, { n: 2 });
      // Redis's iterator answers done; the memory engine's never resolves a next() after return().
      expect([undefined, "timeout"]).toContain(await next(events, 300));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
}

describe("pub/sub in memory", () => {
  behavesAsOneChannel(async () => {
    const pubsub = await openPubSub(undefined, log);
    return [pubsub, pubsub];
  });
});

describe.skipIf(!!redisUnavailable)("pub/sub through Redis, between two processes' connections", () => {
  behavesAsOneChannel(async () => [await openPubSub(REDIS_URL, log), await openPubSub(REDIS_URL, log)]);
});
