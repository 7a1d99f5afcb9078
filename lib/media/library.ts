/**
 * The gateway's side of the uploads' rows and files: record a processed upload, look one up to serve
 * it, and sweep what is no longer served (lib/media/uploads.ts is the subgraphs' side: attach/detach).
 */
import type { PrismaClient } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import { FORMAT_EXTENSIONS, IMAGE_FORMATS, IMAGE_SIZES, UNATTACHED_TTL_MS, type MediaPurpose } from "./media.ts";
import type { Processed } from "./processing.ts";
import { mediaKey, type MediaStore } from "./store.ts";

/** What serving an upload needs to know. */
export interface MediaRow {
  id: string;
  contentHash: string;
  purpose: MediaPurpose | null;
  detachedAt: Date | null;
}

/** Every variant's name in the store: "thumb.webp" … "full.avif". */
export const VARIANT_NAMES = IMAGE_SIZES.flatMap((size) => IMAGE_FORMATS.map((format) => `${size.toLowerCase()}.${FORMAT_EXTENSIONS[format]}`));

/**
 * Files of an unused hash younger than this are left for the next sweep: an upload of the same bytes
 * may have just (re)written them and not yet inserted its row.
 */
const FILE_GRACE_MS = 60 * 60 * 1000;
const SWEEP_BATCH = 500;

export interface SweepResult {
  rows: number;
  files: number;
}

export interface MediaLibrary {
  /** Stores the variants (from their `file`, else their `data`), then the row (the row never names files that do not exist). */
  record(ownerId: string, processed: Processed, bytes: number): Promise<{ id: string; width: number; height: number }>;
  find(id: string): Promise<MediaRow | null>;
  /**
   * Deletes uploads never attached within 24 h and detached ones, and the files no remaining upload
   * uses. Idempotent: two processes sweeping at once delete the same things once.
   */
  sweep(now?: Date): Promise<SweepResult>;
}

export function createMediaLibrary(deps: { prisma: PrismaClient; store: MediaStore; log: Logger }): MediaLibrary {
  const { prisma, store, log } = deps;

  const putAll = (processed: Processed) =>
    Promise.all(
      processed.variants.map((v) => {
        const key = mediaKey(processed.contentHash, v.key);
        if (v.file) return store.putFile(key, v.file);
        if (v.data) return store.put(key, v.data);
        throw new Error(`variant ${v.key} has neither a file nor data`);
      }),
    );

  return {
    async record(ownerId, processed, bytes) {
      await putAll(processed);
      let row;
      try {
        row = await prisma.mediaUpload.create({
          data: { ownerId, contentHash: processed.contentHash, width: processed.width, height: processed.height, dominantColor: processed.dominantColor, bytes },
          select: { id: true, width: true, height: true },
        });
      } catch (error) {
        // Nothing stored on failure, unless another upload uses the same files.
        if ((await prisma.mediaUpload.count({ where: { contentHash: processed.contentHash } }).catch(() => 1)) === 0) {
          await Promise.all(VARIANT_NAMES.map((name) => store.delete(mediaKey(processed.contentHash, name)))).catch(() => {});
        }
        throw error;
      }
      // A sweeper that judged these files unused just before our put may have deleted them after it.
      const missing = await Promise.all(processed.variants.map(async (v) => ((await store.stat(mediaKey(processed.contentHash, v.key))) ? 0 : 1)));
      if (missing.some(Boolean)) await putAll(processed);
      return row;
    },

    find(id) {
      return prisma.mediaUpload.findUnique({ where: { id }, select: { id: true, contentHash: true, purpose: true, detachedAt: true } });
    },

    async sweep(now = new Date()) {
      const cutoff = new Date(now.getTime() - UNATTACHED_TTL_MS);
      const dead = { OR: [{ purpose: null, createdAt: { lt: cutoff } }, { detachedAt: { not: null } }] };
      const result: SweepResult = { rows: 0, files: 0 };
      const kept = new Set<string>();
      for (;;) {
        const rows = await prisma.mediaUpload.findMany({
          where: { ...dead, ...(kept.size ? { contentHash: { notIn: [...kept] } } : {}) },
          select: { id: true, contentHash: true },
          take: SWEEP_BATCH,
        });
        if (rows.length === 0) break;
        const hashes = [...new Set(rows.map((r) => r.contentHash))];
        const used = new Set(
          (await prisma.mediaUpload.findMany({ where: { contentHash: { in: hashes }, NOT: dead }, select: { contentHash: true }, distinct: ["contentHash"] })).map((r) => r.contentHash),
        );
        for (const hash of hashes) {
          if (used.has(hash)) continue;
          const keys = VARIANT_NAMES.map((name) => mediaKey(hash, name));
          const stats = await Promise.all(keys.map((key) => store.stat(key)));
          if (stats.some((s) => s && now.getTime() - s.modifiedAt.getTime() < FILE_GRACE_MS)) {
            // Its rows stay too, so a later sweep comes back to these files.
            kept.add(hash);
            continue;
          }
          // One at a time: a background job with no one waiting, and s3rver (the S3 server the tests
          // use) fails concurrent deletes in one folder.
          for (const key of keys) await store.delete(key);
          result.files += stats.filter(Boolean).length;
        }
        const done = rows.filter((r) => !kept.has(r.contentHash)).map((r) => r.id);
        if (done.length) result.rows += (await prisma.mediaUpload.deleteMany({ where: { id: { in: done }, ...dead } })).count;
        if (rows.length < SWEEP_BATCH) break;
      }
      if (result.rows || result.files) log.info(result, "media sweep");
      return result;
    },
  };
}
