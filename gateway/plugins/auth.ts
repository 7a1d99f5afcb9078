/**
 * Authentication at the edge: a bearer token is verified (signature, expiry) and its session checked
 * for revocation; the result is the request's viewer. What the viewer may see is decided by the
 * subgraphs (their @authenticated / @requiresScopes rules), not here.
 */
import { bearerToken, type TokenService } from "../../lib/auth/tokens.ts";
import type { Viewer } from "../../lib/context.ts";
import { unauthenticated } from "../../lib/errors.ts";

export function createAuthenticator(tokens: TokenService, isSessionActive: (sessionId: string) => Promise<boolean>) {
  return async function authenticate(authorization: string | undefined): Promise<{ viewer: Viewer | null; token?: string }> {
    if (!authorization) return { viewer: null };
    const token = bearerToken(authorization);
    if (!token) throw unauthenticated("Antetul Authorization trebuie să fie „Bearer <token>”.");
    const viewer = await tokens.verify(token);
    if (!(await isSessionActive(viewer.sessionId))) {
      throw unauthenticated("Sesiunea a fost închisă; autentifică-te din nou.");
    }
    return { viewer, token };
  };
}
