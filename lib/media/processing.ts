/**
 * Variants are made off the event loop: sharp in a piscina pool of worker threads (lib/media/variants.mjs),
 * sized to the machine, with a bounded queue in front — when it is full the caller is told at once
 * (the gateway answers 503 with Retry-After), so a burst of uploads never grows memory without bound.
 * Uploads and variants pass as files (the caller's and the worker's), so only their names cross threads.
 */
import os from "node:os";
import { Piscina } from "piscina";
import type { Config } from "../env.ts";
import type { Processed, Refusal } from "./variants.mjs";

export type { Processed, Refusal } from "./variants.mjs";

export class MediaQueueFull extends Error {
  constructor() {
    super("media processing queue is full");
  }
}

export interface MediaProcessor {
  /** Uploads being made now or waiting for a worker. */
  readonly pending: number;
  /** How many may be pending at once (workers + queue): past it, `process` throws MediaQueueFull. */
  readonly capacity: number;
  /** The upload in the file `file` → its variants, written into the folder `outDir` (each variant's `file`). */
  process(file: string, outDir: string): Promise<Processed | Refusal>;
  close(): Promise<void>;
}

/** Every core but one for the API's event loop, at least one. */
export function defaultWorkers(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

export function createMediaProcessor(config: Pick<Config, "MEDIA_WORKERS" | "MEDIA_QUEUE_LIMIT" | "MEDIA_MAX_INPUT_PIXELS">): MediaProcessor {
  const workers = config.MEDIA_WORKERS ?? defaultWorkers();
  const pool = new Piscina({
    // Plain JavaScript beside this file, in the source tree and in dist/ (package.json "build" copies it).
    filename: new URL("./variants.mjs", import.meta.url).href,
    minThreads: 0,
    maxThreads: workers,
    // A thread (and sharp's native memory in it) is let go after a quiet minute.
    idleTimeout: 60_000,
  });
  const capacity = workers + config.MEDIA_QUEUE_LIMIT;
  let pending = 0;
  return {
    get pending() {
      return pending;
    },
    capacity,
    async process(file, outDir) {
      if (pending >= capacity) throw new MediaQueueFull();
      pending++;
      try {
        return (await pool.run({ input: file, outDir, maxInputPixels: config.MEDIA_MAX_INPUT_PIXELS })) as Processed | Refusal;
      } finally {
        pending--;
      }
    },
    close: () => pool.destroy(),
  };
}
