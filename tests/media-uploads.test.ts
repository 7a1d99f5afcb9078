/**
 * Photos at the gateway (issue 10), over real HTTP: POST /uploads (multipart, bearer token) and
 * GET|HEAD /media/<id>/<size>.<ext>. Attaching is the subgraphs' part (tests/listing-photos.test.ts
 * goes through GraphQL); here it is lib/media's attach/detach in a transaction on the stack's database.
 * Every image is made in the test with sharp, including one with EXIF orientation 6 and GPS tags.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { build, type App } from "../gateway/gateway.ts";
import { loadConfig } from "../lib/env.ts";
import { createLogger } from "../lib/logger.ts";
import { VARIANT_NAMES } from "../lib/media/library.ts";
import type { ImageFormat, ImageSize, MediaPurpose } from "../lib/media/media.ts";
import { mediaKey } from "../lib/media/store.ts";
import { createMediaUrls, variantPath } from "../lib/media/urls.ts";
import { backend, createTestDatabase } from "./utils/databases.ts";
import { signUp, type TestUser } from "./utils/fixtures.ts";
import { describeStack, RELAXED_RATE_LIMITS, startStack, TEST_JWT_SECRET, WITHOUT_AGENT_FLOWS, type Stack } from "./utils/stack.ts";

const SIZES: Record<ImageSize, number> = { THUMB: 320, CARD: 800, FULL: 1600 };
const FORMATS: Record<ImageFormat, { sharp: string; type: string }> = {
  WEBP: { sharp: "webp", type: "image/webp" },
  JPEG: { sharp: "jpeg", type: "image/jpeg" },
  AVIF: { sharp: "heif", type: "image/avif" },
};
const MEDIA_ENV = { RATE_LIMIT_UPLOADS_PER_MINUTE: "1000", MEDIA_SWEEP_INTERVAL_SECONDS: "0" };

/** A photo-like JPEG (noise, blurred: something for the encoders to do). */
async function photo(width: number, height: number, seed = 1): Promise<Buffer> {
  const noise = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#000", noise: { type: "gaussian", mean: 100 + seed, sigma: 50 } } })
    .png()
    .toBuffer();
  return sharp(noise).resize(width, height, { fit: "fill" }).blur(2).jpeg({ quality: 85 }).toBuffer();
}

/** What a phone sends: a landscape sensor image tagged "rotate 90°" (orientation 6), with where it was taken. */
async function phonePhoto(): Promise<Buffer> {
  return sharp(await photo(2000, 1000, 7))
    .withMetadata({ orientation: 6 })
    // libvips' EXIF directories: IFD0 the image, IFD2 Exif, IFD3 GPS.
    .withExif({
      IFD0: { Make: "Telefon", Model: "Test 1" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "44/1 25/1 3000/100", GPSLongitudeRef: "E", GPSLongitude: "26/1 6/1 2400/100" },
    })
    .jpeg()
    .toBuffer();
}

/** A 16 × 16 JPEG whose frame header claims 20,000 × 20,000: a few hundred bytes, 400 megapixels once decoded. */
async function pixelBomb(): Promise<Buffer> {
  const small = Buffer.from(await sharp({ create: { width: 16, height: 16, channels: 3, background: "#888" } }).jpeg().toBuffer());
  const sof = small.indexOf(Buffer.from([0xff, 0xc0]));
  small.writeUInt16BE(20_000, sof + 5);
  small.writeUInt16BE(20_000, sof + 7);
  return small;
}

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describeStack("photos: uploads and serving at the gateway", () => {
  let stack: Stack;
  let origin: string;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    stack = await startStack(MEDIA_ENV);
    origin = new URL(stack.url).origin;
    [alice, bob] = await Promise.all([signUp(stack, "Alice Pop"), signUp(stack, "Bogdan Ionescu")]);
  });
  afterAll(() => stack?.stop());

  async function upload(token: string | undefined, bytes: Buffer, name = "poza.jpg", type = "image/jpeg"): Promise<Answer> {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(bytes)], { type }), name);
    const response = await fetch(`${origin}/uploads`, { method: "POST", headers: token ? { authorization: `Bearer ${token}` } : {}, body: form });
    return { status: response.status, headers: response.headers, body: await response.json() };
  }

  const get = (pathAndQuery: string, init: RequestInit = {}) => fetch(origin + pathAndQuery, init);
  const url = (id: string, size: ImageSize, format: ImageFormat) => variantPath(id, size, format);
  const stored = async () => ({ rows: await stack.app.db.prisma.mediaUpload.count(), files: filesUnder(path.join(stack.dataDir, "media")).length });

  const attach = (user: TestUser, ids: string[], purpose: MediaPurpose = "LISTING") =>
    stack.app.db.prisma.$transaction((tx) => stack.app.media.uploads.attach(tx, user.id, ids, purpose));
  const detach = (ids: string[]) => stack.app.db.prisma.$transaction((tx) => stack.app.media.uploads.detach(tx, ids));

  it("a JPEG answers 201 { id, width, height } once its nine variants are stored", async () => {
    const before = await stored();
    const r = await upload(alice.token, await photo(1200, 900));
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), width: 1200, height: 900 });
    const row = await stack.app.db.prisma.mediaUpload.findUniqueOrThrow({ where: { id: r.body.id } });
    expect(row).toMatchObject({ ownerId: alice.id, width: 1200, height: 900, purpose: null, attachedAt: null, detachedAt: null });
    expect(row.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
    expect(await stored()).toEqual({ rows: before.rows + 1, files: before.files + 9 });
  });

  it("a phone photo (orientation 6, GPS) is measured upright", async () => {
    const input = await phonePhoto();
    const meta = await sharp(input).metadata();
    // The test photo really carries what must not leak: orientation 6 and a GPS directory (tag 0x8825).
    expect(meta.orientation).toBe(6);
    expect(meta.exif?.includes(Buffer.from([0x25, 0x88])) || meta.exif?.includes(Buffer.from([0x88, 0x25]))).toBe(true);
    const r = await upload(alice.token, input);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ width: 1000, height: 2000 });
  });

  describe("refusals: the right code, nothing stored", () => {
    const cases: [string, () => Promise<Answer>, number, string][] = [
      ["a text file renamed .jpg", async () => upload(alice.token, Buffer.from("Bună ziua, acesta nu este o poză.\n".repeat(50))), 415, "BAD_USER_INPUT"],
      [
        "an HTML page renamed .jpg",
        async () => upload(alice.token, Buffer.from("<!doctype html><html><body><script>alert(1)</script><img src=x></body></html>")),
        415,
        "BAD_USER_INPUT",
      ],
      [
        "an SVG (even named .jpg)",
        async () =>
          upload(alice.token, Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(1)</script><rect width="100" height="100"/></svg>`), "poza.jpg"),
        415,
        "BAD_USER_INPUT",
      ],
      ["a truncated JPEG", async () => upload(alice.token, (await photo(800, 600)).subarray(0, 6000)), 400, "BAD_USER_INPUT"],
      ["a 20,000 × 20,000 pixel bomb in a small file", async () => upload(alice.token, await pixelBomb()), 400, "BAD_USER_INPUT"],
      ["a 16 MB file", async () => upload(alice.token, Buffer.alloc(16 * 1024 * 1024, 0xff)), 413, "PAYLOAD_TOO_LARGE"],
      ["no token", async () => upload(undefined, await photo(100, 100)), 401, "UNAUTHENTICATED"],
      ["a forged token", async () => upload(alice.token.slice(0, -4) + "AAAA", await photo(100, 100)), 401, "UNAUTHENTICATED"],
      [
        "a body that is not multipart",
        async () => {
          const response = await fetch(`${origin}/uploads`, { method: "POST", headers: { authorization: `Bearer ${alice.token}`, "content-type": "image/jpeg" }, body: new Uint8Array(await photo(100, 100)) });
          return { status: response.status, headers: response.headers, body: await response.json() };
        },
        415,
        "BAD_USER_INPUT",
      ],
      [
        "two files in one request",
        async () => {
          const form = new FormData();
          form.append("file", new Blob([new Uint8Array(await photo(100, 100))]), "a.jpg");
          form.append("file2", new Blob([new Uint8Array(await photo(100, 100, 2))]), "b.jpg");
          const response = await fetch(`${origin}/uploads`, { method: "POST", headers: { authorization: `Bearer ${alice.token}` }, body: form });
          return { status: response.status, headers: response.headers, body: await response.json() };
        },
        400,
        "BAD_USER_INPUT",
      ],
    ];
    for (const [what, send, status, code] of cases) {
      it(what, async () => {
        const before = await stored();
        const r = await send();
        expect(r.status, JSON.stringify(r.body)).toBe(status);
        expect(r.body.errors).toHaveLength(1);
        expect(r.body.errors[0].extensions.code).toBe(code);
        // A message for people, in Romanian, and nothing of libvips' or busboy's own text.
        expect(r.body.errors[0].message).toMatch(/[a-zăâîșț]/i);
        expect(JSON.stringify(r.body)).not.toMatch(/vips|sharp|jpeg_|busboy|stack|Error:/i);
        expect(await stored()).toEqual(before);
      });
    }

    it("refuses a body the moment it passes 15 MB, while it is still being sent", async () => {
      const before = await stored();
      const answer = await new Promise<{ status: number; body: string; sentWhenAnswered: number }>((resolve, reject) => {
        let sent = 0;
        const request = http.request(`${origin}/uploads`, {
          method: "POST",
          // Chunked, no Content-Length: only counting while streaming can stop it.
          headers: { authorization: `Bearer ${alice.token}`, "content-type": "multipart/form-data; boundary=XyZ" },
        });
        request.on("response", (response) => {
          const sentWhenAnswered = sent;
          let body = "";
          response.on("data", (chunk) => (body += chunk));
          response.on("end", () => {
            resolve({ status: response.statusCode!, body, sentWhenAnswered });
            request.destroy();
          });
        });
        request.on("error", (error) => (sent > 0 ? undefined : reject(error)));
        request.write(`--XyZ\r\nContent-Disposition: form-data; name="file"; filename="mare.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
        const chunk = Buffer.alloc(256 * 1024, 0xff);
        // 15.5 MB, then the request stays open: the answer must come without the rest of the body.
        const pump = () => {
          while (sent < 15.5 * 1024 * 1024) {
            sent += chunk.length;
            if (!request.write(chunk)) return void request.once("drain", pump);
          }
        };
        pump();
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).errors[0].extensions.code).toBe("PAYLOAD_TOO_LARGE");
      expect(answer.sentWhenAnswered).toBeLessThanOrEqual(15.5 * 1024 * 1024);
      expect(await stored()).toEqual(before);
    });
  });

  it("an upload never attached is 404, under every variant", async () => {
    const { body } = await upload(alice.token, await photo(400, 300, 3));
    for (const size of ["THUMB", "FULL"] as const) {
      for (const format of ["WEBP", "AVIF"] as const) {
        const r = await get(url(body.id, size, format));
        expect(r.status).toBe(404);
        expect(((await r.json()) as any).errors[0].extensions.code).toBe("NOT_FOUND");
      }
    }
    expect((await get(`/media/00000000-0000-4000-8000-000000000000/card.webp`)).status).toBe(404);
    expect((await get(`/media/not-an-id/card.webp`)).status).toBe(404);
    expect((await get(`/media/${body.id}/card.png`)).status).toBe(404);
  });

  describe("attached to a listing", () => {
    let plain: { id: string };
    let phone: { id: string };

    beforeAll(async () => {
      plain = (await upload(alice.token, await photo(1200, 900, 4))).body;
      phone = (await upload(alice.token, await phonePhoto())).body;
      const images = await attach(alice, [plain.id, phone.id]);
      expect(images.map((i) => i.id)).toEqual([plain.id, phone.id]);
      expect(images[1]).toMatchObject({ width: 1000, height: 2000, dominantColor: expect.stringMatching(/^#[0-9a-f]{6}$/) });
    });

    it("serves every size and format, never upscaled, with no EXIF, GPS, XMP, IPTC or ICC left", async () => {
      for (const [upload, width, height] of [[plain, 1200, 900], [phone, 1000, 2000]] as const) {
        for (const [size, target] of Object.entries(SIZES) as [ImageSize, number][]) {
          for (const [format, { sharp: sharpFormat, type }] of Object.entries(FORMATS) as [ImageFormat, { sharp: string; type: string }][]) {
            const r = await get(url(upload.id, size, format));
            expect(r.status, `${size} ${format}`).toBe(200);
            expect(r.headers.get("content-type")).toBe(type);
            expect(r.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
            expect(r.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
            const bytes = Buffer.from(await r.arrayBuffer());
            expect(Number(r.headers.get("content-length"))).toBe(bytes.length);
            const meta = await sharp(bytes).metadata();
            const w = Math.min(target, width);
            expect(meta.format).toBe(sharpFormat);
            expect([meta.width, meta.height]).toEqual([w, Math.round((height * w) / width)]);
            expect(meta.exif).toBeUndefined();
            expect(meta.xmp).toBeUndefined();
            expect(meta.iptc).toBeUndefined();
            expect(meta.icc).toBeUndefined();
            expect(meta.orientation).toBeUndefined();
            expect(meta.space).toBe("srgb");
            // Not even the GPS tag's number or the camera's name anywhere in the file.
            expect(bytes.includes(Buffer.from("Telefon"))).toBe(false);
            expect(bytes.includes(Buffer.from("Exif\0\0"))).toBe(false);
          }
        }
      }
    });

    it("applies the orientation to the pixels: the portrait phone photo is taller than wide in every variant", async () => {
      const meta = await sharp(Buffer.from(await (await get(url(phone.id, "CARD", "JPEG"))).arrayBuffer())).metadata();
      expect([meta.width, meta.height]).toEqual([800, 1600]);
    });

    it("answers a stable ETag, 304 to If-None-Match, and HEAD without a body", async () => {
      const first = await get(url(plain.id, "CARD", "WEBP"));
      const etag = first.headers.get("etag")!;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect((await get(url(plain.id, "CARD", "WEBP"))).headers.get("etag")).toBe(etag);
      expect((await get(url(plain.id, "CARD", "JPEG"))).headers.get("etag")).not.toBe(etag);
      const cached = await get(url(plain.id, "CARD", "WEBP"), { headers: { "if-none-match": `W/"other", ${etag}` } });
      expect(cached.status).toBe(304);
      expect(cached.headers.get("etag")).toBe(etag);
      expect(cached.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect((await cached.arrayBuffer()).byteLength).toBe(0);
      const head = await get(url(plain.id, "CARD", "WEBP"), { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.headers.get("content-length")).toBe(String((await first.arrayBuffer()).byteLength));
      expect(head.headers.get("content-type")).toBe("image/webp");
      expect((await head.arrayBuffer()).byteLength).toBe(0);
    });

    it("the same bytes uploaded twice share their files", async () => {
      const bytes = await photo(700, 500, 9);
      const before = await stored();
      const [a, b] = [(await upload(alice.token, bytes)).body, (await upload(alice.token, bytes)).body];
      expect(a.id).not.toBe(b.id);
      expect(await stored()).toEqual({ rows: before.rows + 2, files: before.files + 9 });
    });

    it("someone else's upload, or one already attached, cannot be attached", async () => {
      const { body } = await upload(alice.token, await photo(300, 200, 11));
      await expect(attach(bob, [body.id])).rejects.toMatchObject({ extensions: { code: "FORBIDDEN" } });
      await expect(attach(alice, [plain.id])).rejects.toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
      await expect(attach(alice, [body.id, body.id])).rejects.toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
      // A refused attach claims nothing: the upload is still free for its owner.
      await expect(attach(alice, [body.id, "00000000-0000-4000-8000-000000000000"])).rejects.toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
      expect(await attach(alice, [body.id])).toHaveLength(1);
    });

    it("a detached image answers 404 at once, though it was just served (and cached)", async () => {
      const { body } = await upload(alice.token, await photo(500, 400, 12));
      await attach(alice, [body.id]);
      expect((await get(url(body.id, "THUMB", "WEBP"))).status).toBe(200);
      await detach([body.id]);
      expect((await get(url(body.id, "THUMB", "WEBP"))).status).toBe(404);
      expect((await get(url(body.id, "FULL", "JPEG"), { method: "HEAD" })).status).toBe(404);
    });
  });

  describe("attached to a chat message", () => {
    let id: string;
    const urls = () => createMediaUrls(loadConfig({ JWT_SECRET: TEST_JWT_SECRET, DATA_DIR: stack.dataDir }));

    beforeAll(async () => {
      id = (await upload(bob.token, await photo(900, 700, 13))).body.id;
      await attach(bob, [id], "MESSAGE");
    });

    it("is served only with a valid signature, privately until it expires", async () => {
      expect((await get(url(id, "CARD", "WEBP"))).status).toBe(403);
      const signed = new URL(urls().signedUrl(id, "CARD", "WEBP"), origin);
      const r = await get(signed.pathname + signed.search);
      expect(r.status).toBe(200);
      const cacheControl = r.headers.get("cache-control")!;
      expect(cacheControl).toMatch(/^private, max-age=\d+$/);
      const maxAge = Number(/max-age=(\d+)/.exec(cacheControl)![1]);
      expect(maxAge * 1000).toBeGreaterThan(Number(signed.searchParams.get("exp")) * 1000 - Date.now() - 5_000);
      expect(maxAge).toBeLessThanOrEqual(2 * 3600);
      expect(r.headers.get("access-control-allow-origin")).toBeNull();
    });

    it("refuses a signature of another variant, a tampered one and an expired one", async () => {
      const signed = new URL(urls().signedUrl(id, "CARD", "WEBP"), origin);
      expect((await get(url(id, "FULL", "WEBP") + signed.search)).status).toBe(403);
      const sig = signed.searchParams.get("sig")!;
      const tampered = `?exp=${signed.searchParams.get("exp")}&sig=${(sig[0] === "A" ? "B" : "A") + sig.slice(1)}`;
      expect((await get(signed.pathname + tampered)).status).toBe(403);
      const { exp, sig: old } = urls().signer.sign({ id, size: "CARD", format: "WEBP" }, Date.now() - 3 * 3600_000);
      expect((await get(`${signed.pathname}?exp=${exp}&sig=${old}`)).status).toBe(403);
    });
  });

  it("the sweeper deletes uploads never attached within 24 h and files no live upload uses", async () => {
    const media = stack.app.media;
    const shared = await photo(600, 400, 21);
    const lone = (await upload(alice.token, await photo(640, 480, 22))).body.id as string;
    const [kept, twin] = [(await upload(alice.token, shared)).body.id as string, (await upload(alice.token, shared)).body.id as string];
    await attach(alice, [kept]);
    const hashOf = async (id: string) => (await stack.app.db.prisma.mediaUpload.findUniqueOrThrow({ where: { id } })).contentHash;
    const [loneHash, sharedHash] = [await hashOf(lone), await hashOf(kept)];
    const filesOf = (hash: string) => filesUnder(path.join(stack.dataDir, "media", hash.slice(0, 2), hash)).length;

    // Now: nothing is 24 h old yet.
    await media.library.sweep(new Date());
    expect(await stack.app.db.prisma.mediaUpload.count({ where: { id: { in: [lone, kept, twin] } } })).toBe(3);

    // 25 h later: the unattached ones are gone; the attached twin keeps the files they shared.
    await media.library.sweep(new Date(Date.now() + 25 * 3600_000));
    const left = await stack.app.db.prisma.mediaUpload.findMany({ where: { id: { in: [lone, kept, twin] } }, select: { id: true } });
    expect(left.map((r) => r.id)).toEqual([kept]);
    expect(filesOf(loneHash)).toBe(0);
    expect(filesOf(sharedHash)).toBe(9);
    expect((await get(url(kept, "THUMB", "JPEG"))).status).toBe(200);

    // Detached: the row and, with no other user of its bytes, its files.
    await detach([kept]);
    await media.library.sweep(new Date(Date.now() + 2 * 3600_000));
    expect(await stack.app.db.prisma.mediaUpload.count({ where: { id: kept } })).toBe(0);
    expect(filesOf(sharedHash)).toBe(0);
  });
});

describeStack("photos: one at a time (a full queue, a dead photo process)", () => {
  let stack: Stack;
  let user: TestUser;
  beforeAll(async () => {
    // One worker, no queue: one upload at a time.
    stack = await startStack({ ...MEDIA_ENV, MEDIA_WORKERS: "1", MEDIA_QUEUE_LIMIT: "0" });
    user = await signUp(stack);
  });
  afterAll(() => stack?.stop());

  /** A JPEG upload by the describe's user: its status, Retry-After and body. */
  async function sendJpeg(bytes: Buffer) {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(bytes)], { type: "image/jpeg" }), "poza.jpg");
    const response = await fetch(`${new URL(stack.url).origin}/uploads`, { method: "POST", headers: { authorization: `Bearer ${user.token}` }, body: form });
    return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as any };
  }

  it("answers 503 with Retry-After to uploads past workers + queue, and stores nothing for them", async () => {
    const bytes = await photo(3000, 2000, 41);
    const send = () => sendJpeg(bytes);
    const answers = await Promise.all(Array.from({ length: 4 }, send));
    const busy = answers.filter((a) => a.status === 503);
    expect(answers.filter((a) => a.status === 201).length).toBeGreaterThanOrEqual(1);
    expect(busy.length).toBeGreaterThanOrEqual(1);
    for (const a of busy) {
      expect(a.retryAfter).toMatch(/^\d+$/);
      expect(a.body.errors[0].extensions).toEqual({ code: "SERVICE_UNAVAILABLE", retryAfter: Number(a.retryAfter) });
    }
    expect(await stack.app.db.prisma.mediaUpload.count()).toBe(answers.length - busy.length);
    // Free again once the first is done.
    expect((await send()).status).toBe(201);
  });

  it("answers 503 with Retry-After when the photo process dies mid-photo, stores nothing, and the next upload is made", async () => {
    const bytes = await photo(6000, 4000, 43);
    const send = () => sendJpeg(bytes);
    // A photo process with sharp loaded: from here on, the CPU it uses is this photo's.
    expect((await send()).status).toBe(201);
    const before = await stack.app.db.prisma.mediaUpload.count();
    const earlier = cpuTicks(stack.app.media.processor.pid);
    const answer = send();
    const pid = await busyPhotoProcess(() => stack.app.media.processor.pid, earlier, 3);
    process.kill(pid, "SIGKILL");
    const interrupted = await answer;
    expect(interrupted.status).toBe(503);
    expect(interrupted.retryAfter).toMatch(/^\d+$/);
    expect(interrupted.body.errors[0]).toEqual({ message: expect.stringMatching(/întrerupt/), extensions: { code: "SERVICE_UNAVAILABLE", retryAfter: Number(interrupted.retryAfter) } });
    expect(await stack.app.db.prisma.mediaUpload.count()).toBe(before);
    const next = await send();
    expect(next.status).toBe(201);
    expect(stack.app.media.processor.pid).not.toBe(pid);
  });
});

/** A process's user + system time in ticks (hundredths of a second): fields 14 and 15 of /proc/<pid>/stat. */
function cpuTicks(pid: number | undefined): { pid: number | undefined; ticks: number } {
  if (pid === undefined) return { pid, ticks: 0 };
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return { pid, ticks: Number(fields[11]) + Number(fields[12]) };
}

/** The photo process's pid once it has used `more` ticks of CPU past `earlier` (a new process: from 0). */
async function busyPhotoProcess(pidOf: () => number | undefined, earlier: { pid: number | undefined; ticks: number }, more: number): Promise<number> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const now = cpuTicks(pidOf());
    const base = now.pid === earlier.pid ? earlier.ticks : 0;
    if (now.pid !== undefined && now.ticks - base >= more) return now.pid;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("the photo process never got busy");
}

describeStack("photos on an S3-compatible store (s3rver)", () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "piata-s3rver-"));
  let server: S3rver;
  let stack: Stack;
  let user: TestUser;
  beforeAll(async () => {
    server = new S3rver({ address: "127.0.0.1", port: 0, directory, silent: true, configureBuckets: [{ name: "piata-media" }] });
    const { address, port } = await server.run();
    stack = await startStack({
      ...MEDIA_ENV,
      MEDIA_S3_BUCKET: "piata-media",
      MEDIA_S3_ENDPOINT: `http://${address}:${port}`,
      MEDIA_S3_ACCESS_KEY_ID: "S3RVER",
      MEDIA_S3_SECRET_ACCESS_KEY: "S3RVER",
    });
    user = await signUp(stack);
  });
  afterAll(async () => {
    await stack?.stop();
    await server?.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it("stores the variants as objects, serves them, and sweeps them", async () => {
    const origin = new URL(stack.url).origin;
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(await phonePhoto())], { type: "image/jpeg" }), "poza.jpg");
    const uploaded = await fetch(`${origin}/uploads`, { method: "POST", headers: { authorization: `Bearer ${user.token}` }, body: form });
    expect(uploaded.status).toBe(201);
    const { id } = (await uploaded.json()) as { id: string };
    const { contentHash } = await stack.app.db.prisma.mediaUpload.findUniqueOrThrow({ where: { id } });
    const objects = async () => (await Promise.all(VARIANT_NAMES.map((name) => stack.app.media.store.stat(mediaKey(contentHash, name))))).filter(Boolean).length;
    expect(await objects()).toBe(9);
    expect(filesUnder(path.join(stack.dataDir, "media"))).toEqual([]);

    await stack.app.db.prisma.$transaction((tx) => stack.app.media.uploads.attach(tx, user.id, [id], "LISTING"));
    const r = await fetch(origin + variantPath(id, "FULL", "AVIF"));
    expect(r.status).toBe(200);
    const bytes = Buffer.from(await r.arrayBuffer());
    expect(Number(r.headers.get("content-length"))).toBe(bytes.length);
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif]).toEqual(["heif", 1000, 2000, undefined]);
    expect((await fetch(origin + variantPath(id, "FULL", "AVIF"), { headers: { "if-none-match": r.headers.get("etag")! } })).status).toBe(304);

    await stack.app.db.prisma.$transaction((tx) => stack.app.media.uploads.detach(tx, [id]));
    expect((await fetch(origin + variantPath(id, "FULL", "AVIF"))).status).toBe(404);
    await stack.app.media.library.sweep(new Date(Date.now() + 2 * 3600_000));
    expect(await objects()).toBe(0);
  });
});

describeStack("photos across a restart", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-media-restart-"));
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  async function start(): Promise<{ app: App; origin: string }> {
    const config = loadConfig({
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PORT: "0",
      DATA_DIR: dataDir,
      DEMO_DATA: "false",
      LOG_LEVEL: "silent",
      JWT_SECRET: TEST_JWT_SECRET,
      ...WITHOUT_AGENT_FLOWS,
      ...RELAXED_RATE_LIMITS,
      ...MEDIA_ENV,
      ...(database.url ? { DATABASE_URL: database.url } : {}),
    });
    const app = await build(config, createLogger(config));
    const { port } = await app.start();
    return { app, origin: `http://127.0.0.1:${port}` };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    if (backend === "pglite") fs.cpSync(inject("pgliteTemplate"), path.join(dataDir, "pgdata"), { recursive: true });
  });
  afterAll(async () => {
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps the rows and files: the image is served the same after a stop and a start on the same DATA_DIR", async () => {
    let { app, origin } = await start();
    let id: string;
    let before: { etag: string | null; bytes: Buffer };
    try {
      const signUpResponse = await fetch(`${origin}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: `mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }`,
          variables: { input: { email: `restart-${Date.now()}@example.ro`, password: "parola-sigura-123", displayName: "Ana Restart" } },
        }),
      });
      const { data } = (await signUpResponse.json()) as { data: { signUp: { accessToken: string; user: { id: string } } } };
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(await photo(900, 600, 31))], { type: "image/jpeg" }), "poza.jpg");
      const uploaded = await fetch(`${origin}/uploads`, { method: "POST", headers: { authorization: `Bearer ${data.signUp.accessToken}` }, body: form });
      expect(uploaded.status).toBe(201);
      id = ((await uploaded.json()) as { id: string }).id;
      await app.db.prisma.$transaction((tx) => app.media.uploads.attach(tx, data.signUp.user.id, [id], "LISTING"));
      const r = await fetch(origin + variantPath(id, "CARD", "AVIF"));
      expect(r.status).toBe(200);
      before = { etag: r.headers.get("etag"), bytes: Buffer.from(await r.arrayBuffer()) };
    } finally {
      await app.stop();
    }
    ({ app, origin } = await start());
    try {
      const r = await fetch(origin + variantPath(id, "CARD", "AVIF"));
      expect(r.status).toBe(200);
      expect(r.headers.get("etag")).toBe(before.etag);
      expect(Buffer.from(await r.arrayBuffer()).equals(before.bytes)).toBe(true);
      expect((await fetch(origin + variantPath(id, "CARD", "AVIF"), { headers: { "if-none-match": before.etag! } })).status).toBe(304);
    } finally {
      await app.stop();
    }
  });
});
