/**
 * The life of a server process: read the configuration, start, and on SIGTERM/SIGINT stop gracefully
 * (stop accepting, finish in-flight requests, close the database). A second signal exits at once.
 */
import cluster from "node:cluster";
import fs from "node:fs";
import os from "node:os";
import { loadConfig, type Config } from "./env.ts";
import { createLogger, type Logger } from "./logger.ts";
import { capYoungGeneration } from "./young-generation.ts";

/**
 * The young generation's semi-spaces while a server starts (V8's smallest). Start-up makes much
 * short-lived garbage (schemas, composition, plans, the database client), and V8 would grow the young
 * generation to its maximum for it (two 16 MB semi-spaces, resident), which its memory reducer gives
 * back only 20–25 s after the process goes quiet. Held for start-up only: under load V8 sizes it freely.
 * Most of that garbage is made while the server's modules load, so an entry imports them inside
 * `start` (a dynamic import), not above: held from here, the statically imported modules gained nothing
 * (bench/results/gateway-2026-12-03-memory-startup-hold-pg.md).
 */
const START_UP_SEMI_SPACE_MB = 1;

export interface Service {
  stop(): Promise<void>;
}

/** The configuration from the environment; an invalid one ends the process with its message. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

export async function runProcess(name: string, start: (config: Config, log: Logger) => Promise<Service>): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config, name);
  const releaseStartUpHold = capYoungGeneration(START_UP_SEMI_SPACE_MB);
  let service: Service;
  try {
    service = await start(config, log);
    releaseStartUpHold();
  } catch (error) {
    log.fatal({ err: error }, `${name} failed to start`);
    console.error(`\n${name} failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, "shutting down");
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", shutdown);
  // A replica of a cluster (lib/replicas.ts) stops when its primary says so: Ctrl-C in a terminal reaches
  // every process of the group, and the primary's own SIGTERM would then count as a second signal.
  process.on("SIGINT", cluster.isWorker ? () => log.debug("SIGINT: left to the primary") : shutdown);
}

/**
 * Sets the CPU priority (nice) of every thread of a process (`self`: this one). On Linux nice is per
 * thread: setpriority on the process id alone reaches the main thread, not V8's and libuv's threads
 * already running (threads made later inherit their maker's). Elsewhere, the process's.
 */
export function reniceThreads(nice: number, pid: number | "self" = "self"): void {
  const tasks = `/proc/${pid}/task`;
  if (!fs.existsSync(tasks)) return os.setPriority(pid === "self" ? 0 : pid, nice);
  for (const tid of fs.readdirSync(tasks)) {
    try {
      os.setPriority(Number(tid), nice);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error; // a thread that ended meanwhile
    }
  }
}
