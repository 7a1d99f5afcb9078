/**
 * Where variants' files live: one small interface, files under DATA_DIR/media by default. Keys are
 * content-addressed — `<first 2 of hash>/<sha256 of the original>/<size>.<ext>` — so the same photo
 * uploaded twice shares its files, and a key's bytes never change (hence stable ETags, immutable caching).
 *
 * An S3-compatible store for distributed mode implements the same four operations (a gateway replica
 * then serves what another one stored); the local one needs a DATA_DIR every replica shares.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";

export interface StoredFile {
  size: number;
  modifiedAt: Date;
}

export interface MediaStore {
  /** Writes the whole file or nothing (a reader never sees half of it); overwrites, which refreshes modifiedAt. */
  put(key: string, data: Uint8Array): Promise<void>;
  /**
   * The same with the bytes of the local file `file`, which stays where it is: what the photo threads
   * made (lib/media/processing.ts) is stored so without its bytes passing through this thread's heap.
   */
  putFile(key: string, file: string): Promise<void>;
  /** The file's bytes as a stream with their length (one read: a GET needs no stat first), or undefined when there is none. */
  get(key: string): Promise<{ body: Readable; size: number } | undefined>;
  stat(key: string): Promise<StoredFile | undefined>;
  /** Deletes it; no error when it is already gone. */
  delete(key: string): Promise<void>;
}

/** The key of one variant of the original whose SHA-256 is `contentHash`; `variant` is "card.webp" etc. */
export function mediaKey(contentHash: string, variant: string): string {
  if (!/^[0-9a-f]{64}$/.test(contentHash) || !/^[a-z]+\.[a-z]+$/.test(variant)) throw new Error(`bad media key ${contentHash}/${variant}`);
  return `${contentHash.slice(0, 2)}/${contentHash}/${variant}`;
}

export function createFileStore(root: string): MediaStore {
  const file = (key: string) => path.join(root, ...key.split("/"));
  const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";
  /** Temp file (made by `write`) + rename: atomic on one filesystem, so a concurrent GET reads the old file or the new one. */
  const replace = async (key: string, write: (temp: string) => Promise<void>) => {
    const target = file(key);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${crypto.randomBytes(6).toString("hex")}.tmp`;
    try {
      await write(temp);
      await fs.promises.rename(temp, target);
    } catch (error) {
      await fs.promises.rm(temp, { force: true });
      throw error;
    }
  };
  return {
    put: (key, data) => replace(key, (temp) => fs.promises.writeFile(temp, data)),
    // A hard link: no bytes copied (the file is under `root`, see gateway/media/index.ts); a copy
    // when it is on another filesystem.
    putFile: (key, source) =>
      replace(key, (temp) =>
        fs.promises.link(source, temp).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== "EXDEV") throw error;
          return fs.promises.copyFile(source, temp);
        }),
      ),
    async get(key) {
      // Opened before answering, so a missing file is a 404 and not a broken stream.
      const handle = await fs.promises.open(file(key), "r").catch((error: unknown) => {
        if (missing(error)) return undefined;
        throw error;
      });
      if (!handle) return undefined;
      const { size } = await handle.stat();
      return { body: handle.createReadStream(), size };
    },
    async stat(key) {
      try {
        const s = await fs.promises.stat(file(key));
        return { size: s.size, modifiedAt: s.mtime };
      } catch (error) {
        if (missing(error)) return undefined;
        throw error;
      }
    },
    async delete(key) {
      const target = file(key);
      await fs.promises.rm(target, { force: true });
      // The hash's folder goes with its last file (rmdir refuses a folder that is not empty).
      await fs.promises.rmdir(path.dirname(target)).catch(() => {});
    },
  };
}
