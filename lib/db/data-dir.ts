/**
 * The embedded database directory: one process at a time, created atomically.
 *
 * PGlite corrupts a directory that two processes open, so a pid lock file guards it. We hand-write the
 * lock instead of using proper-lockfile: that library decides staleness by mtime (≥ seconds), which would
 * refuse a restart right after a crash; a dead pid is a precise signal on one machine.
 */
import fs from "node:fs";
import path from "node:path";

export class DataDirLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The data directory ${dir} is already in use by process ${pid}. ` +
        "Stop that process, or start this one with another DATA_DIR (or a DATABASE_URL).",
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the lock or throws DataDirLockedError; returns the release function. */
export function lockDataDir(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const lockFile = path.join(dir, "piata.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        fs.rmSync(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(fs.readFileSync(lockFile, "utf8").trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new DataDirLockedError(dir, owner);
      }
      fs.rmSync(lockFile, { force: true }); // left by a process that died: stale
    }
  }
  throw new Error(`Could not lock ${dir}`);
}

/**
 * Makes `target` exist fully initialised or not at all: `init` fills a temporary sibling directory
 * which is renamed into place only when init resolved. A kill mid-way leaves only a temp dir, removed
 * on the next start.
 */
export async function createAtomically(target: string, init: (tempDir: string) => Promise<void>): Promise<boolean> {
  const parent = path.dirname(target);
  const prefix = `${path.basename(target)}.init-`;
  for (const entry of fs.readdirSync(parent)) {
    if (entry.startsWith(prefix)) fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
  }
  if (fs.existsSync(target)) return false;
  const temp = path.join(parent, `${prefix}${process.pid}`);
  fs.mkdirSync(temp, { recursive: true });
  try {
    await init(temp);
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  fs.renameSync(temp, target);
  return true;
}
