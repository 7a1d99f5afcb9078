import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAtomically, DataDirLockedError, lockDataDir } from "./data-dir.ts";

/** Temporary directories of this file's tests, removed after each test whatever its outcome. */
const made: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-datadir-"));
  made.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("data directory lock", () => {
  it("refuses a directory held by a live process and takes over one left by a dead process", () => {
    const dir = tempDir();
    // A live process that is not us: the parent of this test process.
    fs.writeFileSync(path.join(dir, "piata.lock"), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);

    const dead = spawnSync(process.execPath, ["-e", "console.log(process.pid)"]).stdout.toString().trim();
    fs.writeFileSync(path.join(dir, "piata.lock"), dead);
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, "piata.lock"), "utf8")).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, "piata.lock"))).toBe(false);
  });
});

describe("atomic creation", () => {
  it("leaves nothing behind when initialisation fails, and cleans up after a crash", async () => {
    const dir = tempDir();
    const target = path.join(dir, "pgdata");
    await expect(createAtomically(target, async (tmp) => {
      fs.writeFileSync(path.join(tmp, "half"), "x");
      throw new Error("killed");
    })).rejects.toThrow("killed");
    expect(fs.readdirSync(dir)).toEqual([]);

    fs.mkdirSync(path.join(dir, "pgdata.init-99999")); // what a SIGKILL mid-init leaves
    expect(await createAtomically(target, async (tmp) => fs.writeFileSync(path.join(tmp, "done"), "y"))).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(["pgdata"]);
    expect(await createAtomically(target, async () => {
      throw new Error("must not run again");
    })).toBe(false);
  });
});
