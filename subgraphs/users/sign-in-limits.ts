/**
 * Brute-force limits of the users subgraph: failed sign-ins per account and per client IP (15 minutes),
 * sign-ups per client IP (an hour). They live here, beside the rules they protect, so they hold
 * whichever gateway (ours, or an off-the-shelf one) sends the request.
 *
 * Sign-in attempts are reserved before the password is checked and given back when it was right: a
 * spent budget refuses the next attempt before any password is tested, and concurrent guesses cannot
 * slip past a "still allowed?" check together (each reservation is one atomic increment).
 */
import crypto from "node:crypto";
import net from "node:net";
import { loadConfig, type Config } from "../../lib/env.ts";
import { createLimiterFactory, type Limiter, type LimiterFactory } from "../../lib/rate-limit.ts";

export type AuthLimitSettings = Pick<
  Config,
  "RATE_LIMIT_SIGN_IN_PER_ACCOUNT" | "RATE_LIMIT_SIGN_IN_PER_IP" | "RATE_LIMIT_SIGN_UP_PER_IP"
>;

export const SIGN_IN_WINDOW_SECONDS = 15 * 60;
export const SIGN_UP_WINDOW_SECONDS = 60 * 60;

/** A reserved sign-in attempt: it stays counted as a failure unless the caller says otherwise. */
export interface SignInAttempt {
  /** The password was right: the account's failures are forgotten, the IP's point is given back. */
  succeeded(): Promise<void>;
  /** Nothing was decided (an internal error): both points are given back. */
  cancel(): Promise<void>;
}

export class AuthLimits {
  private readonly signInAccount: Limiter;
  private readonly signInIp: Limiter;
  private readonly signUpIp: Limiter;

  constructor(limiters: LimiterFactory, settings: AuthLimitSettings) {
    this.signInAccount = limiters("sign-in-account", {
      points: settings.RATE_LIMIT_SIGN_IN_PER_ACCOUNT,
      windowSeconds: SIGN_IN_WINDOW_SECONDS,
      message: "Prea multe încercări de autentificare pentru acest cont.",
    });
    this.signInIp = limiters("sign-in-ip", {
      points: settings.RATE_LIMIT_SIGN_IN_PER_IP,
      windowSeconds: SIGN_IN_WINDOW_SECONDS,
      message: "Prea multe încercări de autentificare de la această adresă.",
    });
    this.signUpIp = limiters("sign-up-ip", {
      points: settings.RATE_LIMIT_SIGN_UP_PER_IP,
      windowSeconds: SIGN_UP_WINDOW_SECONDS,
      message: "Prea multe conturi noi de la această adresă.",
    });
  }

  /** The default limits, counted in this process's memory (a service built without a deployment). */
  static inMemory(): AuthLimits {
    return new AuthLimits(createLimiterFactory(), loadConfig({}));
  }

  /**
   * Reserves one sign-in attempt for `email` (as typed: known or not, the answer is the same) and the
   * client's address; throws RATE_LIMITED, before any password is checked, when either budget is spent.
   */
  async signInAttempt(email: string, clientIp: string | undefined): Promise<SignInAttempt> {
    const account = accountKey(email);
    const ip = ipKey(clientIp);
    if (ip) await this.signInIp.consume(ip);
    try {
      await this.signInAccount.consume(account);
    } catch (error) {
      // Refused before a password was tested: that is not a failure the address should pay for.
      if (ip) await this.signInIp.refund(ip);
      throw error;
    }
    return {
      succeeded: async () => {
        await Promise.all([this.signInAccount.reset(account), ip ? this.signInIp.refund(ip) : undefined]);
      },
      cancel: async () => {
        await Promise.all([this.signInAccount.refund(account), ip ? this.signInIp.refund(ip) : undefined]);
      },
    };
  }

  /** Counts one sign-up from the client's address; throws RATE_LIMITED past the hourly budget. */
  async signUpAttempt(clientIp: string | undefined): Promise<void> {
    const ip = ipKey(clientIp);
    if (ip) await this.signUpIp.consume(ip);
  }
}

/**
 * The account's counter key: the e-mail normalised like sign-in does (trimmed, lower-case), hashed so
 * the shared store holds no addresses and a key's length is bounded whatever the client sent.
 */
export function accountKey(email: string): string {
  return crypto.createHash("sha256").update(email.trim().toLowerCase()).digest("base64url");
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
