/**
 * Variants are made off the gateway's process: sharp runs in a child process (lib/media/variants.mjs,
 * forked), the whole of it at the lowest CPU priority, with a bounded queue in front here — when it is
 * full the caller is told at once (the gateway answers 503 with Retry-After), so a burst of uploads
 * never grows memory without bound. Uploads and variants pass as files (the caller's and the child's),
 * so only their names cross the process boundary.
 *
 * Why a process and not worker threads of the gateway: Linux schedules threads, and a photo's work is
 * done on more threads than the one that asks for it — libvips' workers, the libuv pool thread that
 * calls libvips for each sharp operation, V8's helpers. In the gateway, libuv's pool and V8's helpers
 * serve the whole process, so they had to stay at nice 0 (bench/results/images-2026-12-03-summary.md:
 * ~70 ms/s at nice 0 with 4 uploads/s, the browse query waiting for a core). In a process of its own
 * every thread is the photos', and every thread is at nice 19: the child's main thread is set so at
 * once, the child lowers the threads it already has when it starts, and every later thread inherits
 * it from the thread that makes it.
 *
 * The child starts with the first upload and ends after a quiet minute (its memory goes with it), when
 * the gateway closes the processor, and by itself when the gateway's process is gone (its IPC channel
 * closes). If it dies while making variants, the uploads it held fail with MediaProcessorCrashed and
 * the next one starts a new child.
 */
import { fork, type ChildProcess } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import type { Config } from "../env.ts";
import type { Processed, Refusal } from "./variants.mjs";

export type { Processed, Refusal } from "./variants.mjs";

export class MediaQueueFull extends Error {
  constructor() {
    super("media processing queue is full");
  }
}

/** The photo process ended (crashed, was killed) while making this upload's variants: the upload fails, the next one gets a new process. */
export class MediaProcessorCrashed extends Error {
  constructor(readonly exit: string) {
    super(`the photo process ended (${exit}) while making this upload's variants`);
  }
}

export interface MediaProcessor {
  /** Uploads being made now or waiting for the child. */
  readonly pending: number;
  /** How many may be pending at once (workers + queue): past it, `process` throws MediaQueueFull. */
  readonly capacity: number;
  /** The photo process's id while one runs (tests, benchmarks). */
  readonly pid: number | undefined;
  /** The upload in the file `file` → its variants, written into the folder `outDir` (each variant's `file`). */
  process(file: string, outDir: string): Promise<Processed | Refusal>;
  close(): Promise<void>;
}

/** Every core but one for the API's event loop, at least one. */
export function defaultWorkers(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

/** Plain JavaScript beside this file, in the source tree and in dist/ (package.json "build" copies it). */
const CHILD_MODULE = fileURLToPath(new URL("./variants.mjs", import.meta.url));
/** A quiet child (and sharp's native memory in it) is let go after this long. */
const IDLE_MS = 60_000;
/** How long a closing child may take to finish before it is killed. */
const CLOSE_MS = 5_000;

interface Task {
  file: string;
  outDir: string;
  resolve(value: Processed | Refusal): void;
  reject(error: Error): void;
}

type Reply = { id: number; result: Processed | Refusal } | { id: number; error: string };

/** One forked child and the tasks it holds. */
interface Child {
  process: ChildProcess;
  running: Map<number, Task>;
  exited: Promise<void>;
}

export function createMediaProcessor(config: Pick<Config, "MEDIA_WORKERS" | "MEDIA_QUEUE_LIMIT" | "MEDIA_MAX_INPUT_PIXELS">): MediaProcessor {
  const workers = config.MEDIA_WORKERS ?? defaultWorkers();
  const capacity = workers + config.MEDIA_QUEUE_LIMIT;
  const waiting: Task[] = [];
  let current: Child | undefined;
  /** Every child not yet exited: the current one, and one let go that is still ending. */
  const live = new Set<Child>();
  let running = 0;
  let nextId = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  let closed = false;

  function start(): Child {
    const proc = fork(CHILD_MODULE, [], {
      // Plain JavaScript: no TypeScript loader (tsx) or profiler of the gateway in the child.
      execArgv: [],
      // Each task runs its sharp operations on libuv's pool (plus reads and writes of files). The rest
      // of the environment is passed on as it is (MALLOC_ARENA_MAX, PATH), not read as configuration.
      // eslint-disable-next-line no-restricted-properties
      env: { ...process.env, UV_THREADPOOL_SIZE: String(Math.max(4, workers + 2)) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "advanced",
    });
    if (proc.pid !== undefined) lowest(proc.pid);
    const child: Child = {
      process: proc,
      running: new Map(),
      exited: new Promise((resolve) => proc.once("exit", () => resolve())),
    };
    live.add(child);
    void child.exited.then(() => live.delete(child));
    proc.on("message", (reply: Reply) => {
      const task = child.running.get(reply.id);
      if (!task) return;
      child.running.delete(reply.id);
      finished(child);
      if ("error" in reply) task.reject(new Error(reply.error));
      else task.resolve(reply.result);
    });
    // A failed spawn emits "error" and maybe never "exit"; a dead child emits "exit". Either ends it once.
    const ended = (exit: string) => {
      if (current === child) current = undefined;
      const lost = [...child.running.values()];
      child.running.clear();
      running -= lost.length;
      for (const task of lost) task.reject(closed ? new Error("media processor closed") : new MediaProcessorCrashed(exit));
      dispatch();
    };
    proc.once("exit", (code, signal) => ended(signal ?? `code ${code}`));
    proc.once("error", (error) => {
      ended(error.message);
      live.delete(child);
      proc.kill("SIGKILL");
    });
    return child;
  }

  /** Holds the gateway's event loop open only while the child has work. */
  function hold(child: Child, busy: boolean) {
    const channel = child.process.channel as { ref?(): void; unref?(): void } | null | undefined;
    if (busy) {
      child.process.ref();
      channel?.ref?.();
    } else {
      child.process.unref();
      channel?.unref?.();
    }
  }

  function finished(child: Child) {
    running--;
    dispatch();
    if (child.running.size === 0 && current === child) {
      hold(child, false);
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        if (current !== child || child.running.size > 0) return;
        current = undefined;
        // The child exits when its channel closes.
        child.process.disconnect();
      }, IDLE_MS).unref();
    }
  }

  function dispatch() {
    while (!closed && waiting.length > 0 && running < workers) {
      const task = waiting.shift()!;
      clearTimeout(idleTimer);
      const child = (current ??= start());
      const id = nextId++;
      child.running.set(id, task);
      running++;
      hold(child, true);
      child.process.send({ id, task: { input: task.file, outDir: task.outDir, maxInputPixels: config.MEDIA_MAX_INPUT_PIXELS } }, (error) => {
        // The channel closed under it: the child's "exit" rejects the task (it is still in `running`).
        if (error && child.process.connected) child.process.kill("SIGKILL");
      });
    }
  }

  return {
    get pending() {
      return running + waiting.length;
    },
    capacity,
    get pid() {
      return current?.process.pid;
    },
    process(file, outDir) {
      if (closed) return Promise.reject(new Error("media processor closed"));
      if (running + waiting.length >= capacity) return Promise.reject(new MediaQueueFull());
      return new Promise((resolve, reject) => {
        waiting.push({ file, outDir, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      clearTimeout(idleTimer);
      for (const task of waiting.splice(0)) task.reject(new Error("media processor closed"));
      current = undefined;
      await Promise.all(
        [...live].map(async (child) => {
          if (child.process.exitCode !== null || child.process.signalCode !== null) return;
          if (child.process.connected) child.process.disconnect();
          const timer = setTimeout(() => child.process.kill("SIGKILL"), CLOSE_MS);
          await child.exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}

/** The process (its main thread: Linux sets one thread) to nice 19; elsewhere or if not allowed, as it is. */
function lowest(pid: number) {
  try {
    os.setPriority(pid, 19);
  } catch {
    // not allowed, or gone already
  }
}
