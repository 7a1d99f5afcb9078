/**
 * Rate limits (rate-limiter-flexible): fixed windows counted in memory, or in Redis so that every
 * replica shares the counters. A Redis outage falls back to per-process counting (the insurance
 * limiter) instead of failing requests or letting them through unlimited.
 */
import net from "node:net";
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

/**
 * The address's counter key. IPv4-mapped IPv6 is the IPv4 address; other IPv6 addresses count per /64,
 * the block one subscriber gets (else each of its 2^64 addresses would have a budget of its own).
 * Without an address (a gateway that does not forward it) there is no per-IP limit: one shared
 * "unknown" budget would let anyone lock every user out; the per-account limit still holds.
 */
export function ipKey(clientIp: string | undefined): string | undefined {
  const ip = clientIp?.trim();
  if (!ip) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!net.isIPv6(ip)) return ip;
  return `${expandIpv6(ip).slice(0, 4).join(":")}::/64`;
}

/** "2001:db8::1" → ["2001", "db8", "0", "0", "0", "0", "0", "1"] (a valid address, zone id dropped). */
function expandIpv6(ip: string): string[] {
  const address = ip.split("%")[0]!.toLowerCase();
  const [head = "", tail] = address.split("::");
  const part = (s: string) => (s ? s.split(":") : []);
  // An embedded IPv4 tail (::ffff:1.2.3.4 was handled above; 64:ff9b::1.2.3.4 here) is two groups.
  const groups = (s: string) =>
    part(s).flatMap((g) => {
      if (!g.includes(".")) return [g.replace(/^0+(?=.)/, "")];
      const [a = 0, b = 0, c = 0, d = 0] = g.split(".").map(Number);
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  const left = groups(head);
  if (tail === undefined) return left;
  const right = groups(tail);
  return [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
}
