/**
 * The photo threads' CPU priority, seen from the kernel: every thread doing libvips' work runs at nice
 * 19. Its own file, and sharp never loaded on this (main) thread: libvips' thread pool takes the
 * scheduler settings of the thread that loads sharp first, and here that must be the pool's worker.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { createMediaProcessor } from "./processing.ts";

/** A width × height RGB PNG of noise, made without sharp (see above). */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter method, not interlaced
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let i = 0; i < rows.length; i++) rows[i] = i % (width * 3 + 1) === 0 ? 0 : (i * 2654435761) >>> 24;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", zlib.deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

/** Threads of this process named `name`, with their nice value (field 19 of /proc/…/stat). */
function threads(name: string): { tid: string; nice: number }[] {
  return fs.readdirSync("/proc/self/task").flatMap((tid) => {
    try {
      if (fs.readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim() !== name) return [];
      const fields = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return [{ tid, nice: Number(fields[16]) }];
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}

describe.skipIf(process.platform !== "linux")("photo threads' priority", () => {
  it("libvips' own threads, which do the pixel work, run at nice 19 like the pool's thread", async () => {
    const processor = createMediaProcessor({ MEDIA_WORKERS: 1, MEDIA_QUEUE_LIMIT: 0, MEDIA_MAX_INPUT_PIXELS: 5e7 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-priority-"));
    try {
      fs.writeFileSync(path.join(dir, "original"), png(1200, 900));
      const result = await processor.process(path.join(dir, "original"), dir);
      expect("refused" in result).toBe(false);
      const workers = threads("libvips worker");
      expect(workers.length).toBeGreaterThan(0);
      expect(workers.map((t) => t.nice)).toEqual(workers.map(() => 19));
    } finally {
      await processor.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
