/**
 * The Redis server tests share counters through (TEST_REDIS_URL, default the local one). When none
 * answers, the suites that need it skip with a printed reason — except in CI, where that is a failure.
 */
import { Redis } from "ioredis";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function probe(): Promise<string | undefined> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, connectTimeout: 2000 });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    redis.disconnect();
  }
}

/** Why `what` cannot run here (undefined when it can); throws in CI instead of skipping. */
export async function redisUnavailableFor(what: string): Promise<string | undefined> {
  const unavailable = await probe();
  if (!unavailable) return undefined;
  const reason = `Redis at ${REDIS_URL} is not reachable (${unavailable})`;
  if (process.env.CI) throw new Error(`${reason}; CI must run ${what}.`);
  console.warn(`SKIPPING ${what}: ${reason}`);
  return reason;
}
