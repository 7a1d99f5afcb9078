import type { PrismaClient } from "../db/database.ts";

/**
 * Is the session named by an access token still open? Checked by the gateway on every authenticated
 * request so that sign-out, "sign out everywhere", password change and role change revoke tokens at
 * once rather than when they expire. One primary-key lookup; deliberately not cached (a cache would
 * let a revoked token through until it expires from the cache).
 */
export function createSessionCheck(prisma: PrismaClient) {
  return async function isSessionActive(sessionId: string): Promise<boolean> {
    const session = await prisma.session.findUnique({
      where: { id: sessionId },
      select: { revokedAt: true, expiresAt: true },
    });
    return !!session && !session.revokedAt && session.expiresAt > new Date();
  };
}
