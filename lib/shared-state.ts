/**
 * State that every process of a deployment must share — rate-limit counters, pub/sub, revoked
 * sessions: in Redis when REDIS_URL is set, else in this process's memory (one process: nothing to
 * share).
 */
import type { Config } from "./env.ts";
import type { Logger } from "./logger.ts";
import { openRevocations, type SessionRevocations } from "./auth/revocations.ts";
import { openPubSub, type PubSub } from "./pubsub.ts";
import { createLimiterFactory, type LimiterFactory } from "./rate-limit.ts";
import { openRedis } from "./redis.ts";

export interface SharedState {
  limiters: LimiterFactory;
  pubsub: PubSub;
  revocations: SessionRevocations;
  close(): Promise<void>;
}

export async function openSharedState(config: Pick<Config, "REDIS_URL">, log: Logger): Promise<SharedState> {
  const redis = config.REDIS_URL ? await openRedis(config.REDIS_URL, log) : undefined;
  const pubsub = await openPubSub(config.REDIS_URL, log).catch((error: unknown) => {
    redis?.disconnect();
    throw error;
  });
  const revocations = await openRevocations(pubsub, redis, log).catch(async (error: unknown) => {
    await pubsub.close();
    redis?.disconnect();
    throw error;
  });
  return {
    limiters: createLimiterFactory(redis),
    pubsub,
    revocations,
    async close() {
      await revocations.close();
      await pubsub.close();
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}
