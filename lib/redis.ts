/**
 * The one Redis connection of a process (REDIS_URL): shared counters and, later, pub/sub between
 * gateway replicas and subgraph processes. Absent → everything stays in this process's memory.
 */
import { Redis } from "ioredis";
import type { Logger } from "./logger.ts";

export type { Redis };

export async function openRedis(url: string, log: Logger): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    // A request must not hang while Redis is away: commands fail fast and callers fall back.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  redis.on("error", (error: Error) => log.warn({ err: error }, "redis error"));
  await redis.connect();
  return redis;
}
