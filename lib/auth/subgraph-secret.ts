/**
 * In distributed mode a subgraph answers only the gateway: every request carries a shared secret in
 * `x-gateway-secret`, so a caller that reaches a subgraph directly cannot forge a user with a header
 * or skip the gateway's limits. SUBGRAPH_SECRET when given, else derived from JWT_SECRET, which every
 * process of a deployment already shares (an HMAC, so the JWT key itself never travels).
 */
import crypto from "node:crypto";

export const GATEWAY_SECRET_HEADER = "x-gateway-secret";

export function subgraphSecret(config: { SUBGRAPH_SECRET?: string }, jwtSecret: string): string {
  return config.SUBGRAPH_SECRET ?? crypto.createHmac("sha256", jwtSecret).update("piata-ai subgraph access").digest("base64url");
}

/** Constant-time comparison: the time taken says nothing about how much of the secret was right. */
export function isGatewaySecret(presented: string | string[] | undefined, secret: string): boolean {
  if (typeof presented !== "string") return false;
  const a = crypto.createHash("sha256").update(presented).digest();
  const b = crypto.createHash("sha256").update(secret).digest();
  return crypto.timingSafeEqual(a, b);
}
