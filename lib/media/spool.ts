/**
 * Where an upload waits as files while it is made into variants: one folder per upload under `root`,
 * holding the upload as received and the variants the photo thread writes; the store then takes the
 * variants from there (a hard link when `root` is on the store's filesystem) and the folder is removed.
 * So a queued upload waits on disk, not in memory, and no photo's bytes cross between threads.
 *
 * Folders left by a process that stopped mid-upload are removed by `sweep` once surely abandoned:
 * several gateways may share `root` (one media volume), so only what is older than any upload can be.
 */
import fs from "node:fs";
import path from "node:path";

/** Longer than an upload may take to arrive (MEDIA_UPLOAD_TIMEOUT_SECONDS, 300 s) plus its wait and processing. */
const ABANDONED_MS = 60 * 60 * 1000;
const PREFIX = "upload-";

export interface Spool {
  /** A new empty folder for one upload. */
  make(): Promise<string>;
  /** Removes it and everything in it; nothing when it is gone already. */
  remove(dir: string): Promise<void>;
  /** Removes upload folders older than an hour; answers how many. */
  sweep(now?: number): Promise<number>;
}

export function createSpool(root: string): Spool {
  return {
    async make() {
      await fs.promises.mkdir(root, { recursive: true });
      return fs.promises.mkdtemp(path.join(root, PREFIX));
    },
    remove: (dir) => fs.promises.rm(dir, { recursive: true, force: true }),
    async sweep(now = Date.now()) {
      const entries = await fs.promises.readdir(root).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return [];
        throw error;
      });
      let removed = 0;
      for (const name of entries.filter((e) => e.startsWith(PREFIX))) {
        const dir = path.join(root, name);
        const stat = await fs.promises.stat(dir).catch(() => undefined);
        if (!stat || now - stat.mtimeMs < ABANDONED_MS) continue;
        await fs.promises.rm(dir, { recursive: true, force: true });
        removed++;
      }
      return removed;
    },
  };
}
