/**
 * Rate limits (rate-limiter-flexible): fixed windows counted in memory, or in Redis so that every
 * replica shares the counters. A Redis outage falls back to per-process counting (the insurance
 * limiter) instead of failing requests or letting them through unlimited.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { rateLimited } from "./errors.ts";
import type { Redis } from "./redis.ts";

export interface RateLimit {
  /** Requests allowed per window. */
  points: number;
  windowSeconds: number;
  /** Shown to the user with the retry delay. */
  message?: string;
}

export interface Limiter {
  /** Counts one request for `key`; throws RATE_LIMITED (with retryAfter seconds) past the limit. */
  consume(key: string): Promise<void>;
  /** Forgets `key`'s count (e.g. a successful sign-in clears its failures). */
  reset(key: string): Promise<void>;
  /**
   * Gives back one point `consume` took, for a request that turned out not to count (an attempt
   * reserved up front that succeeded). Reserving first and refunding keeps the limit exact when
   * attempts run concurrently; checking first and counting afterwards would let a burst through.
   */
  refund(key: string): Promise<void>;
}

/** Makes limiters on one store; `name` keeps their counters apart. */
export type LimiterFactory = (name: string, limit: RateLimit) => Limiter;

export function createLimiterFactory(redis?: Redis): LimiterFactory {
  return (name, limit) => {
    const options = { keyPrefix: `rl:${name}`, points: limit.points, duration: limit.windowSeconds };
    const memory = new RateLimiterMemory(options);
    const store: RateLimiterAbstract = redis
      ? new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: memory })
      : memory;
    return {
      async consume(key) {
        try {
          await store.consume(key);
        } catch (result) {
          if (!(result instanceof RateLimiterRes)) throw result;
          throw rateLimited(Math.max(1, Math.ceil(result.msBeforeNext / 1000)), limit.message);
        }
      },
      async reset(key) {
        await store.delete(key);
      },
      async refund(key) {
        await store.reward(key, 1);
      },
    };
  };
}
