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
import { loadConfig, type Config } from "../../lib/env.ts";
import { createLimiterFactory, ipKey, type Limiter, type LimiterFactory } from "../../lib/rate-limit.ts";

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

