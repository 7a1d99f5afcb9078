/**
 * Revoked sessions, shared by every process of the deployment, so the gateway never reads the users'
 * tables. The users subgraph revokes (sign-out, password or role change, revokeSession) and publishes;
 * every gateway keeps the revoked ids in memory for as long as an access token of theirs can live
 * (ACCESS_TOKEN_TTL_SECONDS) and refuses those tokens at once, on HTTP and on open sockets.
 *
 * Across processes (REDIS_URL): the ids are also kept in a Redis sorted set scored by when they may
 * be forgotten, which a gateway that starts later (or reconnects) reads; the pub/sub message makes a
 * running gateway know within milliseconds. In one process, the memory set is the whole store; the
 * users subgraph re-announces the recent revocations from its own table when it starts (a restart
 * forgets the memory set, not the sessions table).
 */
import type { Logger } from "../logger.ts";
import type { PubSub } from "../pubsub.ts";
import type { Redis } from "../redis.ts";

const CHANNEL = "sessions:revoked";
const REDIS_KEY = "piata:revoked-sessions";

interface Revocation {
  sessionIds: string[];
  /** Epoch ms after which no access token of these sessions can still be valid. */
  forgetAt: number;
}

export interface SessionRevocations {
  /** Revokes these sessions on every process (the caller has already revoked them in its table). */
  revoke(sessionIds: readonly string[], tokenLifetimeSeconds: number): Promise<void>;
  isRevoked(sessionId: string): boolean;
  /** Called with the ids each time sessions are revoked (open sockets close themselves). */
  onRevoked(listener: (sessionIds: readonly string[]) => void): () => void;
  close(): Promise<void>;
}

export async function openRevocations(pubsub: PubSub, redis: Redis | undefined, log: Logger): Promise<SessionRevocations> {
  const revoked = new Map<string, number>();
  const listeners = new Set<(ids: readonly string[]) => void>();
  const remember = ({ sessionIds, forgetAt }: Revocation) => {
    for (const id of sessionIds) revoked.set(id, Math.max(forgetAt, revoked.get(id) ?? 0));
    for (const listener of listeners) listener(sessionIds);
  };
  const load = async () => {
    if (!redis) return;
    const now = Date.now();
    await redis.zremrangebyscore(REDIS_KEY, "-inf", now);
    const entries = await redis.zrangebyscore(REDIS_KEY, now, "+inf", "WITHSCORES");
    for (let i = 0; i < entries.length; i += 2) remember({ sessionIds: [entries[i]!], forgetAt: Number(entries[i + 1]) });
  };
  await load();
  // A reconnected Redis may have carried revocations this process missed while away.
  const reload = () => void load().catch((error: unknown) => log.warn({ err: error }, "revoked sessions: reload failed"));
  redis?.on("ready", reload);

  const events = pubsub.subscribe<Revocation>(CHANNEL);
  void (async () => {
    for await (const revocation of events) remember(revocation);
  })();
  // Forget what no token can use any more, so the set stays the size of 15 minutes of sign-outs.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [id, forgetAt] of revoked) if (forgetAt <= now) revoked.delete(id);
  }, 60_000);
  sweep.unref();

  return {
    async revoke(sessionIds, tokenLifetimeSeconds) {
      if (!sessionIds.length) return;
      const revocation = { sessionIds: [...sessionIds], forgetAt: Date.now() + tokenLifetimeSeconds * 1000 };
      // This process knows at once; the others within a message.
      remember(revocation);
      if (redis) await redis.zadd(REDIS_KEY, ...revocation.sessionIds.flatMap((id) => [revocation.forgetAt, id]));
      await pubsub.publish(CHANNEL, revocation);
    },
    isRevoked(sessionId) {
      const forgetAt = revoked.get(sessionId);
      return forgetAt !== undefined && forgetAt > Date.now();
    },
    onRevoked(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      clearInterval(sweep);
      redis?.off("ready", reload);
      await events.return?.();
    },
  };
}
