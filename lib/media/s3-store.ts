/**
 * The MediaStore on an S3-compatible object store (distributed mode: every gateway replica serves what
 * any other stored, with no shared disk). One small client: aws4fetch signs each request (SigV4) and
 * Node's fetch sends it; path-style URLs (`<endpoint>/<bucket>/<key>`), which MinIO, Ceph, Garage,
 * SeaweedFS and AWS itself accept. An object PUT is atomic: a reader never sees half of it.
 */
import fs from "node:fs";
import { Readable } from "node:stream";
import type { ReadableStream } from "node:stream/web";
import { AwsClient } from "aws4fetch";
import type { MediaStore } from "./store.ts";

export interface S3Settings {
  /** "http://127.0.0.1:9000", "https://s3.eu-central-1.amazonaws.com" */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const TIMEOUT_MS = 30_000;

export function createS3Store(settings: S3Settings): MediaStore {
  const client = new AwsClient({
    accessKeyId: settings.accessKeyId,
    secretAccessKey: settings.secretAccessKey,
    service: "s3",
    region: settings.region,
    // A failed request is the caller's to handle (an upload answers 500, a GET 404 or 500); no hidden waits.
    retries: 0,
  });
  const base = `${settings.endpoint.replace(/\/+$/, "")}/${encodeURIComponent(settings.bucket)}/`;
  // Keys are [0-9a-z./] (lib/media/store.ts mediaKey): nothing to escape.
  const send = (method: string, key: string, init: RequestInit = {}) => client.fetch(base + key, { method, signal: AbortSignal.timeout(TIMEOUT_MS), ...init });
  const fail = async (what: string, key: string, response: Response): Promise<never> => {
    const detail = (await response.text().catch(() => "")).slice(0, 300);
    throw new Error(`S3 ${what} ${key}: ${response.status} ${detail}`);
  };

  const put = async (key: string, data: Uint8Array) => {
    const response = await send("PUT", key, { body: data, headers: { "content-length": String(data.byteLength) } });
    if (!response.ok) await fail("PUT", key, response);
    await response.arrayBuffer();
  };

  return {
    put,
    // Read here, on the API's thread, and sent: a variant is a few hundred KB, and SigV4 signs the whole body.
    putFile: async (key, file) => put(key, await fs.promises.readFile(file)),
    async get(key) {
      const response = await send("GET", key);
      if (response.status === 404) {
        await response.arrayBuffer();
        return undefined;
      }
      if (!response.ok || !response.body) return fail("GET", key, response);
      return { body: Readable.fromWeb(response.body as ReadableStream<Uint8Array>), size: Number(response.headers.get("content-length") ?? 0) };
    },
    async stat(key) {
      const response = await send("HEAD", key);
      if (response.status === 404) return undefined;
      if (!response.ok) return fail("HEAD", key, response);
      const modified = response.headers.get("last-modified");
      return { size: Number(response.headers.get("content-length") ?? 0), modifiedAt: modified ? new Date(modified) : new Date(0) };
    },
    async delete(key) {
      const response = await send("DELETE", key);
      if (!response.ok && response.status !== 404) await fail("DELETE", key, response);
      await response.arrayBuffer();
    },
  };
}
