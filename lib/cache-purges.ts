/**
 * What the services tell every gateway's response cache (gateway/cache/) when data changes: the
 * entities that changed (`Listing:42`, `User:7`) and the collections whose membership may have
 * changed (`Listing`: a listing created, published, edited, sold, deleted or expired moves in or out of
 * browse and search pages and counts). The owner of each rule publishes after its change commits.
 *
 * This process's listeners hear a purge at once, inside publish() (a mutation's own response can
 * never be followed by a stale read here); other processes through the deployment's pub/sub, within
 * one Redis message. Purging is idempotent, so hearing our own message back from Redis is harmless.
 * A gateway that lost its Redis connection may have missed purges: when the connection comes back it
 * hears `everything` (lib/shared-state.ts).
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "./logger.ts";
import type { PubSub } from "./pubsub.ts";
import type { Redis } from "./redis.ts";

const CHANNEL = "cache:purge";

export interface CachePurge {
  /** Changed entities, as `Type:id`. */
  entities?: string[];
  /** Types whose collections (lists, counts, facets) may have changed. */
  collections?: string[];
  /** Forget every cached response (a reconnect after missed messages). */
  everything?: boolean;
}

export const entityTag = (type: string, id: string | number): string => `${type}:${id}`;

/** The ids of `type` a purge names; "all" when it forgets everything. */
export function purgedIds(purge: CachePurge, type: string): string[] | "all" {
  if (purge.everything) return "all";
  const prefix = entityTag(type, "");
  return purge.entities?.filter((tag) => tag.startsWith(prefix)).map((tag) => tag.slice(prefix.length)) ?? [];
}

/** Whether a purge may have changed which `type`s are in lists and counts (or forgets everything). */
export function purgesCollection(purge: CachePurge, type: string): boolean {
  return purge.everything === true || purge.collections?.includes(type) === true;
}

export interface CachePurges {
  /** After the change commits. A lost purge must not fail the write that caused it: it is logged. */
  publish(purge: CachePurge): Promise<void>;
  /** Every purge from now on, from this process and the others. Returns the unsubscribe. */
  listen(listener: (purge: CachePurge) => void): () => void;
  close(): Promise<void>;
}

type Message = CachePurge & { origin: string };

export function openCachePurges(pubsub: PubSub, log: Logger, redis?: Redis): CachePurges {
  const origin = randomUUID();
  const listeners = new Set<(purge: CachePurge) => void>();
  const hear = (purge: CachePurge) => {
    for (const listener of listeners) listener(purge);
  };
  const events = pubsub.subscribe<Message>(CHANNEL);
  void (async () => {
    for await (const message of events) if (message.origin !== origin) hear(message);
  })().catch((error: unknown) => log.error({ err: error }, "cache purges: subscription ended"));
  // Connected once already (lib/redis.ts waits for it): a later "ready" is a reconnect.
  const reconnected = () => hear({ everything: true });
  redis?.on("ready", reconnected);
  return {
    async publish(purge) {
      if (!purge.everything && !purge.entities?.length && !purge.collections?.length) return;
      hear(purge);
      await pubsub.publish(CHANNEL, { ...purge, origin } satisfies Message).catch((error: unknown) => {
        log.error({ err: error, purge }, "cache purge not published");
      });
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      redis?.off("ready", reconnected);
      await events.return?.();
    },
  };
}
