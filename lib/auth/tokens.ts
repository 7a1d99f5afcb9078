/**
 * Access tokens: short-lived HS256 JWTs (jose) naming the user, role and session. The users subgraph
 * signs them; the gateway verifies them (and checks the session is not revoked); subgraphs served over
 * HTTP verify the forwarded token again so a caller cannot forge a user by header.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import type { Config } from "../env.ts";
import { scopesFor, type Role, type Viewer } from "../context.ts";
import { unauthenticated } from "../errors.ts";

const ISSUER = "piata-ai";
const AUDIENCE = "piata-ai-api";

export interface TokenService {
  sign(claims: { userId: string; role: Role; sessionId: string }): Promise<{ token: string; expiresAt: Date }>;
  /** Throws UNAUTHENTICATED for a malformed, forged or expired token, or one without exp, sub or sid. */
  verify(token: string): Promise<Viewer>;
  /** How long an access token is valid: a revoked session is remembered that long (revocations.ts). */
  readonly lifetimeSeconds: number;
}

export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  const key = new TextEncoder().encode(secret);
  return {
    lifetimeSeconds: ttlSeconds,
    async sign({ userId, role, sessionId }) {
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
      const token = await new SignJWT({ role, sid: sessionId })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(key);
      return { token, expiresAt };
    },
    async verify(token) {
      try {
        // jose accepts a token without `exp` (it would never expire): every token we sign has one, so
        // its absence means a token we did not make the usual way — refuse it, and the same for sub/sid.
        const { payload } = await jwtVerify(token, key, {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: ["HS256"],
          requiredClaims: ["exp", "sub", "sid"],
        });
        const role = payload.role === "ADMIN" ? "ADMIN" : "USER";
        if (typeof payload.sub !== "string" || typeof payload.sid !== "string") throw unauthenticated("Token invalid.");
        return { userId: payload.sub, role, sessionId: payload.sid, scopes: scopesFor(role) };
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) throw unauthenticated("Tokenul de acces a expirat; reîmprospătează sesiunea.");
        if (error instanceof joseErrors.JOSEError) throw unauthenticated("Token invalid.");
        throw error;
      }
    },
  };
}

/** JWT_SECRET when given; otherwise a random secret generated once and kept (mode 600) in DATA_DIR. */
export function resolveJwtSecret(config: Pick<Config, "JWT_SECRET" | "DATA_DIR">): string {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  const file = path.join(config.DATA_DIR, "jwt-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(config.DATA_DIR, { recursive: true });
  const secret = crypto.randomBytes(48).toString("base64url");
  try {
    fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    // Another process created it first: use theirs so that all processes agree.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw error;
  }
}

export function bearerToken(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}
