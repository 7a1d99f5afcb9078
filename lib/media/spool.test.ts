import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSpool } from "./spool.ts";

const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "piata-spool-")), "incoming");
afterAll(() => fs.rmSync(path.dirname(root), { recursive: true, force: true }));

describe("the upload spool", () => {
  const spool = createSpool(root);

  it("one new folder per upload, removed with what is in it", async () => {
    const [a, b] = [await spool.make(), await spool.make()];
    expect(a).not.toBe(b);
    expect(path.dirname(a)).toBe(root);
    fs.writeFileSync(path.join(a, "original"), "bytes");
    await spool.remove(a);
    await spool.remove(a);
    expect(fs.existsSync(a)).toBe(false);
    expect(fs.existsSync(b)).toBe(true);
    await spool.remove(b);
  });

  it("sweep removes only folders older than an hour (another gateway's upload may be in a newer one)", async () => {
    const [old, fresh] = [await spool.make(), await spool.make()];
    fs.writeFileSync(path.join(old, "original"), "left by a process that stopped");
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(old, twoHoursAgo, twoHoursAgo);
    expect(await spool.sweep()).toBe(1);
    expect([fs.existsSync(old), fs.existsSync(fresh)]).toEqual([false, true]);
    await spool.remove(fresh);
    expect(await createSpool(path.join(root, "none")).sweep()).toBe(0);
  });
});
