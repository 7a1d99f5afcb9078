/**
 * The photo process's CPU priority, seen from the kernel: sharp runs in a child process (lib/media/processing.ts),
 * and every thread of it — its main thread, libuv's pool, V8's helpers, libvips' workers — runs at nice 19;
 * the gateway's own threads keep theirs. The child is replaced when it dies and never outlives the
 * processor or the gateway's process. sharp is never loaded in this process: the photos are made without it.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { noisePng } from "../../tests/utils/noise-png.ts";
import { createMediaProcessor, MediaProcessorCrashed, type MediaProcessor } from "./processing.ts";

/** Every thread of process `pid`: its name and nice value (field 19 of /proc/<pid>/task/<tid>/stat). */
function threads(pid: number | "self"): { tid: string; name: string; nice: number }[] {
  return fs.readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
    try {
      const name = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      const fields = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return [{ tid, name, nice: Number(fields[16]) }];
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}

/** Field 19 of /proc/<pid>/stat: the process's (its main thread's) nice value. */
function processNice(pid: number): number {
  return Number(fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[16]);
}

/** Whether `pid` is a process that has not ended (a zombie has ended: it only waits to be reaped). */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  return condition();
}

// Photos at nice 19 wait behind everything else on a busy machine (CI's 2 cores, other test files): each test may take a while.
describe.skipIf(process.platform !== "linux")("the photo process", { timeout: 90_000 }, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "piata-priority-"));
  const input = path.join(root, "original");
  fs.writeFileSync(input, noisePng(800, 600));
  let folders = 0;
  const folder = () => {
    const dir = path.join(root, String(folders++));
    fs.mkdirSync(dir);
    return dir;
  };
  const processors: MediaProcessor[] = [];
  const processor = () => {
    const made = createMediaProcessor({ MEDIA_WORKERS: 1, MEDIA_QUEUE_LIMIT: 1, MEDIA_MAX_INPUT_PIXELS: 5e7 });
    processors.push(made);
    return made;
  };
  afterAll(async () => {
    await Promise.all(processors.map((p) => p.close()));
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("runs at nice 19, every thread of it (libvips' workers, libuv's pool, V8's helpers), while this process keeps its own", async () => {
    const ownAtNice19 = new Set(threads("self").filter((t) => t.nice === 19).map((t) => t.tid));
    const photos = processor();
    expect(photos.pid).toBeUndefined(); // started by the first upload
    const result = await photos.process(input, folder());
    expect("refused" in result).toBe(false);
    const pid = photos.pid!;
    expect(pid).toBeGreaterThan(0);
    expect(processNice(pid)).toBe(19);
    const all = threads(pid);
    expect(all.filter((t) => t.name === "libvips worker").length).toBeGreaterThan(0);
    expect(all.length).toBeGreaterThan(4);
    expect(all.filter((t) => t.nice !== 19)).toEqual([]);
    // sharp was never loaded here, and nothing of this process was lowered.
    expect(threads("self").some((t) => t.name === "libvips worker")).toBe(false);
    expect(threads("self").filter((t) => t.nice === 19 && !ownAtNice19.has(t.tid))).toEqual([]);
  });

  it("is replaced when it dies: the upload it held fails with MediaProcessorCrashed, the next one is made", async () => {
    const photos = processor();
    await photos.process(input, folder());
    const first = photos.pid!;
    const held = photos.process(input, folder());
    process.kill(first, "SIGKILL");
    await expect(held).rejects.toBeInstanceOf(MediaProcessorCrashed);
    expect(photos.pending).toBe(0);
    const dir = folder();
    const next = await photos.process(input, dir);
    expect("refused" in next).toBe(false);
    expect(fs.readdirSync(dir)).toHaveLength(9);
    expect(photos.pid).not.toBe(first);
    expect(processNice(photos.pid!)).toBe(19);
  });

  it("ends with close(): no child is left", async () => {
    const photos = processor();
    await photos.process(input, folder());
    const pid = photos.pid!;
    expect(alive(pid)).toBe(true);
    await photos.close();
    expect(alive(pid)).toBe(false);
    expect(photos.pid).toBeUndefined();
  });

  it("ends by itself when the process that forked it is killed (SIGKILL: no close)", async () => {
    // A parent that makes one photo, prints its child's pid, then waits to be killed.
    const script = `
      import { createMediaProcessor } from ${JSON.stringify(path.resolve(import.meta.dirname, "processing.ts"))};
      const photos = createMediaProcessor({ MEDIA_WORKERS: 1, MEDIA_QUEUE_LIMIT: 0, MEDIA_MAX_INPUT_PIXELS: 5e7 });
      await photos.process(${JSON.stringify(input)}, ${JSON.stringify(folder())});
      console.log(photos.pid);
      setInterval(() => {}, 1000);
    `;
    const parent = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise((resolve) => parent.once("exit", resolve));
    const pid = await new Promise<number>((resolve, reject) => {
      let out = "";
      parent.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) resolve(Number(out.trim()));
      });
      parent.once("exit", () => reject(new Error(`the parent ended first: ${out}`)));
    });
    expect(alive(pid)).toBe(true);
    parent.kill("SIGKILL");
    await exited;
    expect(await until(() => !alive(pid))).toBe(true);
  });
});
