import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { variantGeometry, sniff, processImage } from "./variants.mjs";
import { createMediaProcessor, MediaQueueFull } from "./processing.ts";

describe("variantGeometry", () => {
  it("320 / 800 / 1600 wide, the original's aspect, rounded", () => {
    expect(variantGeometry(4000, 3000)).toEqual({ THUMB: { width: 320, height: 240 }, CARD: { width: 800, height: 600 }, FULL: { width: 1600, height: 1200 } });
    expect(variantGeometry(3000, 4001)).toEqual({ THUMB: { width: 320, height: 427 }, CARD: { width: 800, height: 1067 }, FULL: { width: 1600, height: 2134 } });
  });

  it("never upscales: a narrower original keeps its width", () => {
    expect(variantGeometry(1000, 500)).toEqual({ THUMB: { width: 320, height: 160 }, CARD: { width: 800, height: 400 }, FULL: { width: 1000, height: 500 } });
    expect(variantGeometry(200, 100)).toEqual({ THUMB: { width: 200, height: 100 }, CARD: { width: 200, height: 100 }, FULL: { width: 200, height: 100 } });
  });

  it("a panorama's height never rounds to 0", () => {
    expect(variantGeometry(20_000, 10).THUMB).toEqual({ width: 320, height: 1 });
  });
});

describe("sniff: the type from the bytes", () => {
  const image = (format: "png" | "webp" | "gif" | "avif" | "jpeg") =>
    sharp({ create: { width: 8, height: 8, channels: 3, background: "#369" } }).toFormat(format).toBuffer();

  it("accepts JPEG, PNG, WebP, AVIF (heif) and GIF", async () => {
    for (const format of ["jpeg", "png", "webp", "gif"] as const) expect((await sniff(await image(format), 1e6)).format).toBe(format);
    expect((await sniff(await image("avif"), 1e6)).format).toBe("heif");
  });

  it("refuses text, HTML, SVG, TIFF and too many pixels, with a reason", async () => {
    const reason = (input: Uint8Array, max = 1e6) => sniff(input, max).then(() => "accepted", (e: { reason: string }) => e.reason);
    expect(await reason(Buffer.from("just text, named photo.jpg"))).toBe("NOT_AN_IMAGE");
    expect(await reason(Buffer.from("<!doctype html><p>hello</p>"))).toBe("NOT_AN_IMAGE");
    expect(await reason(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`))).toBe("SVG");
    expect(await reason(await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } }).tiff().toBuffer())).toBe("UNSUPPORTED_FORMAT");
    expect(await reason(await image("png"), 63)).toBe("TOO_MANY_PIXELS");
    expect(await reason(await image("png"), 64)).toBe("accepted");
  });
});

describe("processImage", () => {
  it("nine variants, sRGB, nothing kept of a P3 profile, EXIF or XMP; a PNG's transparency is white in JPEG", async () => {
    const input = await sharp({ create: { width: 900, height: 600, channels: 4, background: { r: 0, g: 120, b: 200, alpha: 0 } } })
      .withIccProfile("p3")
      .withExif({ IFD0: { Artist: "Cineva" } })
      .png()
      .toBuffer();
    expect((await sharp(input).metadata()).icc).toBeDefined();
    const result = await processImage({ input, maxInputPixels: 1e7 });
    if ("refused" in result) throw new Error(result.refused);
    expect(result.variants.map((v) => v.key).sort()).toEqual(
      ["thumb", "card", "full"].flatMap((s) => ["webp", "jpg", "avif"].map((e) => `${s}.${e}`)).sort(),
    );
    for (const v of result.variants) {
      const meta = await sharp(v.data).metadata();
      expect([meta.icc, meta.exif, meta.xmp, meta.iptc]).toEqual([undefined, undefined, undefined, undefined]);
      expect(meta.space).toBe("srgb");
    }
    const jpeg = result.variants.find((v) => v.key === "thumb.jpg")!;
    const { dominant } = await sharp(jpeg.data).stats();
    expect(dominant.r + dominant.g + dominant.b).toBeGreaterThan(700);
  });

  it("from a file into a folder: the answer names the written variants and carries no bytes", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-variants-"));
    try {
      const input = path.join(dir, "original");
      fs.writeFileSync(input, await sharp({ create: { width: 1000, height: 500, channels: 3, background: "#2a6" } }).jpeg().toBuffer());
      const result = await processImage({ input, outDir: dir, maxInputPixels: 1e7 });
      if ("refused" in result) throw new Error(result.refused);
      expect(result.variants).toHaveLength(9);
      for (const v of result.variants) {
        expect(v.data).toBeUndefined();
        expect(v.file).toBe(path.join(dir, v.key));
        expect(fs.statSync(v.file!).size).toBe(v.bytes);
        const meta = await sharp(v.file!).metadata();
        expect(meta.width).toBe({ THUMB: 320, CARD: 800, FULL: 1000 }[v.size]);
      }
      expect(result.contentHash).toBe(crypto.createHash("sha256").update(fs.readFileSync(input)).digest("hex"));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("answers a refusal as a value (it crosses the thread boundary intact)", async () => {
    expect(await processImage({ input: Buffer.from("text"), maxInputPixels: 1e6 })).toMatchObject({ refused: "NOT_AN_IMAGE" });
  });
});

describe("the photo process", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "piata-pool-"));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("makes photos off this process and refuses past workers + queue at once", async () => {
    const processor = createMediaProcessor({ MEDIA_WORKERS: 1, MEDIA_QUEUE_LIMIT: 1, MEDIA_MAX_INPUT_PIXELS: 5e7 });
    try {
      expect(processor.capacity).toBe(2);
      const input = path.join(root, "original");
      fs.writeFileSync(input, await sharp({ create: { width: 3000, height: 2000, channels: 3, background: "#a33" } }).jpeg().toBuffer());
      const folder = (name: string) => {
        const dir = path.join(root, name);
        fs.mkdirSync(dir);
        return dir;
      };
      const [a, b, c] = [folder("a"), folder("b"), folder("c")];
      const running = [processor.process(input, a), processor.process(input, b)];
      expect(processor.pending).toBe(2);
      await expect(processor.process(input, c)).rejects.toBeInstanceOf(MediaQueueFull);
      const done = await Promise.all(running);
      expect(done).toHaveLength(2);
      expect(done.every((r) => !("refused" in r) && r.width === 3000)).toBe(true);
      expect(processor.pending).toBe(0);
      // Each task wrote its nine files into its own folder; the refused one wrote nothing.
      expect([a, b, c].map((dir) => fs.readdirSync(dir).length)).toEqual([9, 9, 0]);
    } finally {
      await processor.close();
    }
  });
});
