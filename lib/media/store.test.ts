import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { text } from "node:stream/consumers";
import { afterAll, describe, expect, it } from "vitest";
import { createFileStore, mediaKey } from "./store.ts";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "piata-media-store-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const HASH = "ab".repeat(32);

describe("the file store", () => {
  const store = createFileStore(root);

  it("keys are content-addressed and refuse anything that could leave the folder", () => {
    expect(mediaKey(HASH, "card.webp")).toBe(`ab/${HASH}/card.webp`);
    expect(() => mediaKey("../../etc", "card.webp")).toThrow();
    expect(() => mediaKey(HASH, "../x")).toThrow();
  });

  it("put / stat / get / delete, overwriting whole files and leaving no temp file", async () => {
    const key = mediaKey(HASH, "thumb.jpg");
    expect(await store.stat(key)).toBeUndefined();
    expect(await store.get(key)).toBeUndefined();
    await store.put(key, Buffer.from("first"));
    await store.put(key, Buffer.from("second!"));
    expect((await store.stat(key))?.size).toBe(7);
    expect(await text((await store.get(key))!.body)).toBe("second!");
    expect(fs.readdirSync(path.join(root, "ab", HASH))).toEqual(["thumb.jpg"]);
    await store.delete(key);
    await store.delete(key);
    expect(await store.stat(key)).toBeUndefined();
    expect(fs.existsSync(path.join(root, "ab", HASH))).toBe(false);
  });

  it("putFile takes a file's bytes without copying them (a hard link), whole, and leaves the source", async () => {
    const key = mediaKey(HASH, "card.avif");
    const source = path.join(root, "made.avif");
    fs.writeFileSync(source, "variant bytes");
    await store.putFile(key, source);
    expect(await text((await store.get(key))!.body)).toBe("variant bytes");
    expect(fs.statSync(path.join(root, "ab", HASH, "card.avif")).ino).toBe(fs.statSync(source).ino);
    expect(fs.readdirSync(path.join(root, "ab", HASH))).toEqual(["card.avif"]);
    // The spool folder is removed after: the stored file stays.
    fs.rmSync(source);
    expect((await store.stat(key))?.size).toBe(13);
    await store.delete(key);
  });
});
