import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { REDIS_URL, redisUnavailableFor } from "../../tests/utils/redis.ts";
import { createLogger } from "../logger.ts";
import { openPubSub } from "../pubsub.ts";
import { openRedis } from "../redis.ts";
import { openRevocations, type SessionRevocations } from "./revocations.ts";

const log = createLogger({ LOG_LEVEL: "silent" });
const redisUnavailable = await redisUnavailableFor("the Redis revocation tests");
const sessionId = () => crypto.randomUUID();

async function until(check: () => boolean, ms = 2000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return check();
}

describe("revoked sessions in one process", () => {
  it("refuses a revoked session at once, tells listeners, and forgets it once no token can use it", async () => {
    const revocations = await openRevocations(await openPubSub(undefined, log), undefined, log);
    try {
      const [a, b] = [sessionId(), sessionId()];
      const heard: string[] = [];
      revocations.onRevoked((ids) => heard.push(...ids));
      await revocations.revoke([a], 900);
      expect(revocations.isRevoked(a)).toBe(true);
      expect(revocations.isRevoked(b)).toBe(false);
      expect(heard).toContain(a);
      await revocations.revoke([b], 0);
      expect(revocations.isRevoked(b)).toBe(false);
    } finally {
      await revocations.close();
    }
  });
});

describe.skipIf(!!redisUnavailable)("revoked sessions across processes (Redis)", () => {
  async function process(): Promise<SessionRevocations & { end(): Promise<void> }> {
    const redis = await openRedis(REDIS_URL, log);
    const pubsub = await openPubSub(REDIS_URL, log);
    const revocations = await openRevocations(pubsub, redis, log);
    return {
      ...revocations,
      async end() {
        await revocations.close();
        await pubsub.close();
        redis.disconnect();
      },
    };
  }

  it("reaches a running process within a second, and a process that starts later", async () => {
    const [users, gateway] = await Promise.all([process(), process()]);
    const later: { end(): Promise<void>; isRevoked(id: string): boolean }[] = [];
    try {
      const id = sessionId();
      await new Promise((r) => setTimeout(r, 100)); // the gateway's SUBSCRIBE round trip
      const started = Date.now();
      await users.revoke([id], 900);
      expect(await until(() => gateway.isRevoked(id), 1000)).toBe(true);
      expect(Date.now() - started).toBeLessThan(1000);
      later.push(await process());
      expect(later[0]!.isRevoked(id)).toBe(true);
    } finally {
      await Promise.all([users.end(), gateway.end(), ...later.map((p) => p.end())]);
    }
  });
});
