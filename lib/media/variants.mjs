// Making an upload's variants with sharp (libvips). Plain JavaScript, like lib/db/pglite-worker.mjs, so
// that it runs the same way under tsx, vitest and node dist/ with no TypeScript loader: run as a script
// it is the photo process that lib/media/processing.ts forks (see `serve` at the end); imported, it
// gives processImage and its parts (tests).
import { Buffer } from "node:buffer";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import sharp from "sharp";

/** Variant widths (lib/media/media.ts VARIANT_WIDTHS), largest first: each smaller one is made from FULL. */
const SIZES = [
  ["FULL", 1600],
  ["CARD", 800],
  ["THUMB", 320],
];

/** What the bytes are (sharp's reading of them, never the name or Content-Type) → accepted or not. */
const ACCEPTED = new Set(["jpeg", "png", "webp", "heif", "gif"]);

/**
 * Encoders, at a quality where artefacts are not visible on a listing photo. Speed decides the rest
 * (measured on a 1600 × 1200 FULL variant on one core of a loaded machine): AVIF effort 0 of 0–9 ≈ 0.5 s
 * (effort 1 ≈ 2.3 s, sharp's default 4 ≈ 14 s); WEBP effort 2 ≈ 0.4 s (4: 0.7 s); libjpeg-turbo
 * progressive ≈ 0.2 s (mozjpeg ≈ 0.9 s for a few % fewer bytes). Progressive JPEG shows early on phones.
 * AVIF with chroma at half resolution (4:2:0, as in the phone's own JPEG; sharp's default is 4:4:4):
 * the FULL variant's encode ≈ 25-35 % less CPU and ≈ 9 % fewer bytes, on the largest cost of a photo.
 */
export const ENCODERS = {
  WEBP: { ext: "webp", encode: (s) => s.webp({ quality: 80, effort: 2 }) },
  JPEG: { ext: "jpg", encode: (s) => s.flatten({ background: "#ffffff" }).jpeg({ quality: 82, progressive: true }) },
  AVIF: { ext: "avif", encode: (s) => s.avif({ quality: 55, effort: 0, chromaSubsampling: "4:2:0" }) },
};

/** A refusal the uploader can act on: `reason` maps to a message and a status (gateway/media/uploads.ts). */
export class MediaRefused extends Error {
  constructor(reason, detail) {
    super(detail ?? reason);
    this.reason = reason;
  }
}

/** Each variant's width and height: the widths in SIZES, never wider than the original, same aspect. */
export function variantGeometry(width, height) {
  const out = {};
  for (const [size, target] of SIZES) {
    const w = Math.min(target, width);
    out[size] = { width: w, height: Math.max(1, Math.round((height * w) / width)) };
  }
  return out;
}

/**
 * The type, from the bytes. SVG is refused (a script served from our origin), as is anything sharp
 * cannot read (text, HTML) and any image above `maxInputPixels` — read from its header, so a 20,000 ×
 * 20,000 bomb of a few KB is refused before a pixel is decoded.
 */
export async function sniff(input, maxInputPixels) {
  let meta;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new MediaRefused("NOT_AN_IMAGE");
  }
  if (meta.format === "svg") throw new MediaRefused("SVG");
  if (!ACCEPTED.has(meta.format)) throw new MediaRefused("UNSUPPORTED_FORMAT", meta.format);
  // HEIF holds AV1 (AVIF) or HEVC (an iPhone's HEIC); sharp's prebuilt libvips decodes only AV1 (HEVC is patent-encumbered).
  if (meta.format === "heif" && meta.compression !== "av1") throw new MediaRefused("HEIC", meta.compression);
  if (!meta.width || !meta.height) throw new MediaRefused("NOT_AN_IMAGE");
  // `pageHeight`: a GIF's first frame; `autoOrient` swaps width and height for orientations 5–8.
  const pixels = meta.width * (meta.pageHeight ?? meta.height);
  if (pixels > maxInputPixels) throw new MediaRefused("TOO_MANY_PIXELS", `${meta.width}x${meta.height}`);
  return meta;
}

/**
 * One upload → its nine variants (3 sizes × WEBP/JPEG/AVIF), EXIF orientation applied, colours in sRGB
 * (an embedded ICC profile is used for the conversion, then dropped), and no metadata at all in the
 * output: sharp writes none unless asked (keepExif/withMetadata/keepIccProfile are never called here).
 *
 * `input` is the upload's bytes or the path of a file holding them. With `outDir`, the variants are
 * written there (`<outDir>/<key>`) and the answer names the files instead of carrying the bytes: in the
 * gateway only names and sizes cross between processes, never photos (a 12 MP upload and its variants
 * were ~4 MB copied through the API's thread and its garbage collector for each photo).
 *
 * Answers `{ refused, detail }` for a file it will not take (see `sniff`, and "CORRUPT").
 *
 * @param {{ input: Uint8Array | string, outDir?: string, maxInputPixels: number }} task
 */
export async function processImage({ input, outDir, maxInputPixels }) {
  try {
    const made = await make({ input: typeof input === "string" ? await fs.promises.readFile(input) : input, maxInputPixels });
    return outDir ? await written(made, outDir) : made;
  } catch (error) {
    // Errors lose their class and fields between processes: a refusal crosses as a plain value.
    if (error instanceof MediaRefused) return { refused: error.reason, detail: error.message };
    throw error;
  }
}

/** `made` with its variants written under `dir`: names and sizes instead of bytes. */
async function written(made, dir) {
  const variants = await Promise.all(
    made.variants.map(async ({ data, ...variant }) => {
      const file = path.join(dir, variant.key);
      await fs.promises.writeFile(file, data);
      return { ...variant, bytes: data.byteLength, file };
    }),
  );
  return { ...made, variants };
}

async function make({ input, maxInputPixels }) {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  await sniff(bytes, maxInputPixels);
  // failOn "error" (implies "truncated"): a truncated or corrupt file is refused, not served half grey.
  // "warning" would also refuse real phone photos whose encoders leave harmless warnings.
  const options = { failOn: "error", limitInputPixels: maxInputPixels, autoOrient: true };
  let full;
  try {
    const oriented = await sharp(bytes, options).metadata();
    const width = oriented.autoOrient?.width ?? oriented.width;
    const height = oriented.autoOrient?.height ?? (oriented.pageHeight ?? oriented.height);
    const geometry = variantGeometry(width, height);
    full = {
      original: { width, height },
      geometry,
      raw: await sharp(bytes, options)
        .resize({ ...geometry.FULL, fit: "fill", kernel: "lanczos3" })
        .toColourspace("srgb")
        .raw()
        .toBuffer({ resolveWithObject: true }),
    };
  } catch (error) {
    if (error instanceof MediaRefused) throw error;
    throw new MediaRefused("CORRUPT", error instanceof Error ? error.message : String(error));
  }
  const { data, info } = full.raw;
  const rawInput = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const variants = [];
  let dominantColor = "#808080";
  for (const [size] of SIZES) {
    const { width, height } = full.geometry[size];
    const base = size === "FULL" ? sharp(data, rawInput) : sharp(data, rawInput).resize({ width, height, fit: "fill", kernel: "lanczos3" });
    // One resize per size, then each encoder from its pixels.
    const pixels = await base.raw().toBuffer({ resolveWithObject: true });
    const source = () => sharp(pixels.data, { raw: { width: pixels.info.width, height: pixels.info.height, channels: pixels.info.channels } });
    if (size === "THUMB") dominantColor = hex((await source().stats()).dominant);
    for (const [format, { ext, encode }] of Object.entries(ENCODERS)) {
      const out = await encode(source()).toBuffer();
      variants.push({ size, format, key: `${size.toLowerCase()}.${ext}`, bytes: out.byteLength, data: out });
    }
  }
  return {
    width: full.original.width,
    height: full.original.height,
    dominantColor,
    contentHash: crypto.createHash("sha256").update(bytes).digest("hex"),
    variants,
  };
}

function hex({ r, g, b }) {
  return "#" + [r, g, b].map((v) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, "0")).join("");
}

// libvips' own threads are process-wide; one each keeps N tasks on N cores, and no operation cache (it
// would hold decoded photos between uploads).
sharp.concurrency(1);
sharp.cache(false);

/**
 * Every thread of this process to nice 19 (Linux sets the priority of one thread at a time). Run first
 * thing in the child: the threads Node has made by then (V8's helpers) are lowered here, and every later
 * thread — libuv's pool, libvips' workers — inherits it from the thread that makes it. Twice, for a
 * thread made during the first pass. Elsewhere than Linux (no /proc), or if not allowed, nothing changes.
 */
export function lowerEveryThread() {
  for (let pass = 0; pass < 2; pass++) {
    let tids;
    try {
      tids = fs.readdirSync("/proc/self/task");
    } catch {
      return;
    }
    for (const tid of tids) {
      try {
        if (os.getPriority(Number(tid)) !== 19) os.setPriority(Number(tid), 19);
      } catch {
        // the thread just ended, or not allowed
      }
    }
  }
}

/**
 * The photo process (lib/media/processing.ts forks this file): tasks arrive as `{ id, task }` messages
 * and are answered `{ id, result }` or `{ id, error }`. It ends when its channel to the gateway closes —
 * the gateway let it go, closed, or is gone — so it never outlives the gateway.
 */
function serve() {
  lowerEveryThread();
  process.on("message", async ({ id, task }) => {
    let reply;
    try {
      reply = { id, result: await processImage(task) };
    } catch (error) {
      reply = { id, error: error instanceof Error ? error.message : String(error) };
    }
    if (process.connected) process.send(reply);
  });
  process.on("disconnect", () => process.exit(0));
}

if (process.send && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) serve();

export default processImage;
