/**
 * The S3 store against a real S3-compatible server: s3rver (npm, a devDependency) on a free port,
 * speaking the S3 REST API with SigV4 signatures checked (its fixed keys S3RVER / S3RVER).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { text } from "node:stream/consumers";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createS3Store } from "./s3-store.ts";
import { mediaKey } from "./store.ts";

const HASH = "cd".repeat(32);

describe("the S3 store (s3rver)", () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "piata-s3rver-"));
  let server: S3rver;
  let endpoint: string;
  beforeAll(async () => {
    server = new S3rver({ address: "127.0.0.1", port: 0, directory, silent: true, configureBuckets: [{ name: "piata-media" }] });
    const { address, port } = await server.run();
    endpoint = `http://${address}:${port}`;
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  const store = () => createS3Store({ endpoint, bucket: "piata-media", region: "us-east-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER" });

  it("put / stat / get / delete, as the file store does", async () => {
    const s = store();
    const key = mediaKey(HASH, "full.avif");
    expect(await s.stat(key)).toBeUndefined();
    expect(await s.get(key)).toBeUndefined();
    await s.put(key, Buffer.from("first"));
    await s.put(key, Buffer.from("second!"));
    const stat = await s.stat(key);
    expect(stat?.size).toBe(7);
    expect(Math.abs(stat!.modifiedAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(await text((await s.get(key))!.body)).toBe("second!");
    await s.delete(key);
    await s.delete(key);
    expect(await s.stat(key)).toBeUndefined();
  });

  it("putFile sends a local file's bytes", async () => {
    const s = store();
    const key = mediaKey(HASH, "card.webp");
    const file = path.join(directory, "..", `${path.basename(directory)}-variant`);
    fs.writeFileSync(file, "from a file");
    try {
      await s.putFile(key, file);
      expect(await text((await s.get(key))!.body)).toBe("from a file");
      await s.delete(key);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it("an unknown key or bucket is an error, not a missing file", async () => {
    const settings = { endpoint, bucket: "piata-media", region: "us-east-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
    await expect(createS3Store({ ...settings, accessKeyId: "NOT-OURS" }).put(mediaKey(HASH, "thumb.jpg"), Buffer.from("x"))).rejects.toThrow(/S3 PUT .* 403/);
    await expect(createS3Store({ ...settings, bucket: "no-such-bucket" }).put(mediaKey(HASH, "thumb.jpg"), Buffer.from("x"))).rejects.toThrow(/S3 PUT .* 404/);
  });
});
