/**
 * When a session counts as active, and how sessions end: the one definition the service's reads
 * (a refresh, the list of sessions) and writes (every way of signing out) share.
 */
import type { Prisma, Session } from "../../prisma/generated/client.ts";

type SessionDb = Pick<Prisma.TransactionClient, "session">;

/** Active: not revoked and its refresh lifetime not over. The same condition in both forms. */
export const activeSession = {
  is: (session: Pick<Session, "revokedAt" | "expiresAt">, now = new Date()): boolean => !session.revokedAt && session.expiresAt > now,
  where: (now = new Date()): Prisma.SessionWhereInput => ({ revokedAt: null, expiresAt: { gt: now } }),
};

/**
 * Ends the open sessions `where` matches, returning the ones it ended: the caller announces them to
 * every gateway once its transaction has committed (UsersService.announce). Returns Prisma's lazy
 * promise, so it fits an array $transaction.
 */
export function revokeSessions(db: SessionDb, where: Prisma.SessionWhereInput) {
  return db.session.updateManyAndReturn({ where: { ...where, revokedAt: null }, data: { revokedAt: new Date() }, select: { id: true } });
}

/** Sessions revoked recently enough that an access token of theirs may still be valid: re-announced at start. */
export function recentlyRevoked(db: SessionDb, tokenLifetimeSeconds: number) {
  return db.session.findMany({ where: { revokedAt: { gt: new Date(Date.now() - tokenLifetimeSeconds * 1000) } }, select: { id: true } });
}
