/**
 * The gateway's photo endpoints (issue 10): POST /uploads and GET|HEAD /media/…, plus the sweeper.
 * One `handle` for gateway.ts to call; everything else about photos stays in this folder and lib/media.
 *
 * The sweeper runs on a timer in every gateway process (first run at a random moment of the interval,
 * so replicas spread out). Not a pg-boss schedule: the job queue lives in the agents subgraph's
 * process, and the sweep is idempotent (conditional deletes; files of a hash are deleted only when no
 * live row uses it and they were not rewritten in the last hour), so two replicas sweeping at once only
 * repeat a cheap query.
 */
import path from "node:path";
import type http from "node:http";
import type { Database } from "../../lib/db/database.ts";
import type { Config } from "../../lib/env.ts";
import type { Logger } from "../../lib/logger.ts";
import { createMediaLibrary, type MediaLibrary } from "../../lib/media/library.ts";
import type { MediaUploads } from "../../lib/media/media.ts";
import { createMediaUploads } from "../../lib/media/uploads.ts";
import { createMediaProcessor, type MediaProcessor } from "../../lib/media/processing.ts";
import { createS3Store } from "../../lib/media/s3-store.ts";
import { createSpool } from "../../lib/media/spool.ts";
import { createFileStore, type MediaStore } from "../../lib/media/store.ts";
import { createMediaUrls } from "../../lib/media/urls.ts";
import type { PubSub } from "../../lib/pubsub.ts";
import { ipKey, type LimiterFactory } from "../../lib/rate-limit.ts";
import type { Authentication } from "../plugins/auth.ts";
import { createHeapRoom } from "./heap-room.ts";
import { createMediaRows } from "./rows.ts";
import { createMediaServer } from "./serve.ts";
import { createUploadHandler } from "./uploads.ts";

export interface MediaRoutes {
  /** Serves the request when it is one of ours (then true). */
  handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean>;
  library: MediaLibrary;
  store: MediaStore;
  /** attach/detach bound to this deployment's pub/sub (what the subgraphs do; tests use it too). */
  uploads: MediaUploads;
  /** The photo process (its pid: tests, benchmarks). */
  processor: Pick<MediaProcessor, "pid" | "pending">;
  close(): Promise<void>;
}

export interface MediaRoutesDeps {
  config: Config;
  log: Logger;
  db: Database;
  pubsub: PubSub;
  limiters: LimiterFactory;
  authenticate(authorization: string | undefined): Promise<Authentication>;
  /** The client's address as the edge reads it (proxies believed per TRUST_PROXY). */
  clientIp(req: http.IncomingMessage): string;
}

export function createMediaRoutes({ config, log, db, pubsub, limiters, authenticate, clientIp }: MediaRoutesDeps): MediaRoutes {
  const mediaRoot = path.join(config.DATA_DIR, "media");
  const store = config.MEDIA_S3_BUCKET
    ? createS3Store({
        bucket: config.MEDIA_S3_BUCKET,
        endpoint: config.MEDIA_S3_ENDPOINT!,
        region: config.MEDIA_S3_REGION,
        accessKeyId: config.MEDIA_S3_ACCESS_KEY_ID!,
        secretAccessKey: config.MEDIA_S3_SECRET_ACCESS_KEY!,
      })
    : createFileStore(mediaRoot);
  // Uploads wait and are made beside the files (the store hard-links the variants: same filesystem, also
  // when DATA_DIR/media is a volume of its own); keys (lib/media/store.ts mediaKey) never name it.
  const spool = createSpool(config.MEDIA_S3_BUCKET ? path.join(config.DATA_DIR, "media-incoming") : path.join(mediaRoot, ".incoming"));
  const library = createMediaLibrary({ prisma: db.prisma, store, log });
  const processor = createMediaProcessor(config);
  const rows = createMediaRows(library, pubsub, log);
  const upload = createUploadHandler({
    maxBytes: config.MEDIA_MAX_UPLOAD_BYTES,
    maxInputPixels: config.MEDIA_MAX_INPUT_PIXELS,
    authenticate,
    limiter: limiters("uploads", { points: config.RATE_LIMIT_UPLOADS_PER_MINUTE, windowSeconds: 60, message: "Prea multe fotografii într-un minut." }),
    processor,
    spool,
    library,
    heapRoom: createHeapRoom(config.GC_HEAP_GROWTH_PERCENT),
    log,
  });
  const serve = createMediaServer({
    rows,
    store,
    signer: createMediaUrls(config).signer,
    misses: limiters("media-misses", { points: config.RATE_LIMIT_MEDIA_MISSES_PER_MINUTE, windowSeconds: 60, message: "Prea multe imagini inexistente cerute într-un minut." }),
    clientKey: (req) => `ip:${ipKey(clientIp(req)) ?? "unknown"}`,
  });

  const interval = config.MEDIA_SWEEP_INTERVAL_SECONDS * 1000;
  let sweeping: Promise<unknown> | undefined;
  const sweep = () => {
    sweeping ??= Promise.all([library.sweep(), spool.sweep()])
      .catch((error: unknown) => log.error({ err: error }, "media sweep"))
      .finally(() => (sweeping = undefined));
  };
  // What a stopped process left in the spool goes at the start too (the sweep may be off, or an hour away).
  const cleaning = spool.sweep().catch((error: unknown) => log.warn({ err: error }, "upload spool sweep"));
  let timer: NodeJS.Timeout | undefined;
  if (interval > 0) {
    timer = setTimeout(function tick() {
      sweep();
      timer = setTimeout(tick, interval).unref();
    }, Math.random() * interval).unref();
  }

  return {
    async handle(req, res, url) {
      if (url.pathname === "/uploads") await upload(req, res);
      else if (url.pathname.startsWith("/media/")) await serve(req, res, url);
      else return false;
      return true;
    },
    library,
    store,
    uploads: createMediaUploads({ pubsub }),
    processor,
    async close() {
      clearTimeout(timer);
      await cleaning;
      await sweeping;
      await rows.close();
      await processor.close();
    },
  };
}
