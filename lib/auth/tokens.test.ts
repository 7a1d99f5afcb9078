import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createTokenService } from "./tokens.ts";

const SECRET = "unit-test-secret-that-is-long-enough-for-hs256-0123456789";
const key = new TextEncoder().encode(SECRET);
const tokens = createTokenService(SECRET, 900);

/** A token signed with the right secret, issuer and audience, with only the claims given. */
function handMade(claims: { sub?: string; sid?: string; exp?: number }) {
  const jwt = new SignJWT({ role: "ADMIN", ...(claims.sid ? { sid: claims.sid } : {}) })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer("piata-ai")
    .setAudience("piata-ai-api")
    .setIssuedAt();
  if (claims.sub) jwt.setSubject(claims.sub);
  if (claims.exp) jwt.setExpirationTime(claims.exp);
  return jwt.sign(key);
}

const code = (error: unknown) => (error as { extensions?: { code?: string } }).extensions?.code;

describe("access tokens", () => {
  it("verifies what it signs", async () => {
    const { token } = await tokens.sign({ userId: "u1", role: "USER", sessionId: "s1" });
    expect(await tokens.verify(token)).toMatchObject({ userId: "u1", role: "USER", sessionId: "s1" });
  });

  it("accepts a hand-made token with every required claim (the control for the cases below)", async () => {
    const token = await handMade({ sub: "u1", sid: "s1", exp: Math.floor(Date.now() / 1000) + 60 });
    expect((await tokens.verify(token)).role).toBe("ADMIN");
  });

  it.each([
    ["exp", { sub: "u1", sid: "s1" }],
    ["sub", { sid: "s1", exp: Math.floor(Date.now() / 1000) + 60 }],
    ["sid", { sub: "u1", exp: Math.floor(Date.now() / 1000) + 60 }],
  ])("refuses a token signed with the right secret but without %s", async (_claim, claims) => {
    const token = await handMade(claims);
    const error = await tokens.verify(token).catch((e: unknown) => e);
    expect(code(error)).toBe("UNAUTHENTICATED");
  });

  it("refuses an expired token with its own message", async () => {
    const token = await handMade({ sub: "u1", sid: "s1", exp: Math.floor(Date.now() / 1000) - 60 });
    const error = await tokens.verify(token).catch((e: unknown) => e);
    expect(code(error)).toBe("UNAUTHENTICATED");
    expect((error as Error).message).toMatch(/a expirat/);
  });
});
