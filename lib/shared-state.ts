/**
 * State that every process of a deployment must share — rate-limit counters, pub/sub, revoked
 * sessions, cache purges: in Redis when REDIS_URL is set, else in this process's memory (one process: nothing to
 * share).
 */
import type { Config } from "./env.ts";
import type { Logger } from "./logger.ts";
import { openRevocations, type SessionRevocations } from "./auth/revocations.ts";
import { openCachePurges, type CachePurges } from "./cache-purges.ts";
import { openPubSub, type PubSub } from "./pubsub.ts";
import { createLimiterFactory, type LimiterFactory } from "./rate-limit.ts";
import { openRedis } from "./redis.ts";

export interface SharedState {
  limiters: LimiterFactory;
  pubsub: PubSub;
  revocations: SessionRevocations;
  /** What changed, for every gateway's response cache. */
  purges: CachePurges;
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
  const purges = openCachePurges(pubsub, log, redis);
  return {
    limiters: createLimiterFactory(redis),
    pubsub,
    revocations,
    purges,
    async close() {
      await purges.close();
      await revocations.close();
      await pubsub.close();
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}
