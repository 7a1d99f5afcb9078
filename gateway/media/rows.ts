/**
 * The uploads' rows as the media endpoint reads them: cached in memory (LRU, short TTL), so serving a
 * popular photo is not one SQL statement per request. Only final answers are cached — an attached or
 * a detached upload, or an id that names none — never an upload waiting to be attached (its answer
 * changes when its owner attaches it). A detach is announced on the pub/sub (lib/media/uploads.ts):
 * every gateway forgets the id and does not cache it again for a while, since the announcement comes
 * just before the detaching transaction commits.
 */
import { LRUCache } from "lru-cache";
import type { Logger } from "../../lib/logger.ts";
import type { MediaLibrary, MediaRow } from "../../lib/media/library.ts";
import { MEDIA_DETACHED_CHANNEL, type MediaDetachedEvent } from "../../lib/media/media.ts";
import type { PubSub } from "../../lib/pubsub.ts";

const TTL_MS = 60_000;
const MAX_ROWS = 20_000;
/** After a detach is announced, reads of its id go to the database for this long (its transaction commits meanwhile). */
const UNCACHED_AFTER_DETACH_MS = 30_000;

export interface MediaRows {
  get(id: string): Promise<MediaRow | null>;
  /** The cached answer for `id` (null: no such upload), or undefined when `get` would read the database. */
  cached(id: string): MediaRow | null | undefined;
  close(): Promise<void>;
}

export function createMediaRows(library: Pick<MediaLibrary, "find">, pubsub: PubSub, log: Logger): MediaRows {
  // `false`: no such upload (lru-cache keeps no undefined or null values).
  const cache = new LRUCache<string, MediaRow | false>({ max: MAX_ROWS, ttl: TTL_MS });
  const uncached = new LRUCache<string, true>({ max: MAX_ROWS, ttl: UNCACHED_AFTER_DETACH_MS });
  const events = pubsub.subscribe<MediaDetachedEvent>(MEDIA_DETACHED_CHANNEL);
  const listening = (async () => {
    for await (const event of events) {
      for (const id of event.ids ?? []) {
        cache.delete(id);
        uncached.set(id, true);
      }
    }
  })().catch((error: unknown) => log.error({ err: error }, "media detach events"));

  return {
    async get(id) {
      const hit = cache.get(id);
      if (hit !== undefined) return hit || null;
      const row = await library.find(id);
      const final = !row || row.purpose !== null || row.detachedAt !== null;
      if (final && !uncached.has(id)) cache.set(id, row ?? false);
      return row;
    },
    cached(id) {
      const hit = cache.get(id);
      return hit === undefined ? undefined : hit || null;
    },
    async close() {
      await events.return?.();
      await listening;
    },
  };
}
