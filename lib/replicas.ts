/**
 * Several copies of one server process behind one port (node:cluster). A Node process runs its
 * JavaScript on one core: a gateway saturates one core of the machine while the others idle. The
 * primary only forks, restarts and stops the replicas; every replica is the whole server, sharing its
 * caches, pub/sub and rate-limit counters with the others through Redis, as separate hosts would.
 * node:cluster rather than a process manager: the port is shared with no proxy in front, and the
 * replicas stay one unit that `npm start`, Docker or systemd start and stop as one process.
 */
import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, type Registry } from "prom-client";
import type { Logger } from "./logger.ts";

/** More crashes than this within CRASH_WINDOW_MS stop the whole server instead of forking anew. */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 60_000;

const METRICS_REQUEST = "piata:replicas-metrics";
const METRICS_REPLY = "piata:replicas-metrics-reply";
const METRICS_TIMEOUT_MS = 5_000;

export interface ReplicaOptions {
  count: number;
  /** Settings of every replica but the first: work that must run once per deployment is the first's. */
  followerEnv: Record<string, string>;
  /** Node flags of every replica, before the primary's own (which win where both set one). */
  nodeFlags?: string[];
  log: Logger;
}

/** A process forked by runReplicas (the only user of node:cluster here). */
export function isReplica(): boolean {
  return cluster.isWorker;
}

/**
 * The primary: forks `count` replicas of this same entry file (the first, then the others once it
 * serves), forks a replica again when one dies after it was serving, and stops them all on
 * SIGTERM/SIGINT (a second signal kills them). A replica that fails before it listens fails the whole
 * server, as a single process would fail its start.
 */
export function runReplicas({ count, followerEnv, nodeFlags = [], log }: ReplicaOptions): void {
  cluster.setupPrimary({ execArgv: [...nodeFlags, ...process.execArgv] });
  const indexOf = new Map<Worker, number>();
  const listening = new Set<Worker>();
  const crashes: number[] = [];
  let stopping = false;
  let failed = false;

  const fork = (index: number) => {
    const worker = cluster.fork(index > 0 ? followerEnv : {});
    indexOf.set(worker, index);
  };
  const stopAll = (signal: NodeJS.Signals) => {
    for (const worker of indexOf.keys()) worker.process.kill(signal);
  };

  cluster.on("listening", (worker) => {
    listening.add(worker);
    // The first replica alone prepares a new database (migrations, demo data, the job queue's schema and
    // queues); the others start once it serves and find it ready. Deadlocks between processes creating
    // the same queues are retried where the queue talks to the database (lib/jobs.ts).
    if (listening.size === 1 && indexOf.size === 1) for (let index = 1; index < count; index++) fork(index);
    if (listening.size === count) log.info({ replicas: count }, "every replica is serving");
  });
  cluster.on("exit", (worker, code, signal) => {
    const index = indexOf.get(worker)!;
    const served = listening.delete(worker);
    indexOf.delete(worker);
    if (!stopping) {
      if (served && !tooManyCrashes(crashes)) {
        log.error({ replica: index, code, signal }, "a replica stopped: starting it again");
        return fork(index);
      }
      log.fatal({ replica: index, code, signal }, served ? "replicas keep crashing: stopping" : "a replica failed to start: stopping");
      failed = stopping = true;
      stopAll("SIGTERM");
    }
    failed ||= code !== 0;
    if (indexOf.size === 0) process.exit(failed ? 1 : 0);
  });
  answerMetricsRequests(log);

  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, "second signal: killing the replicas");
      stopAll("SIGKILL");
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, replicas: indexOf.size }, "shutting down the replicas");
    stopAll("SIGTERM");
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  fork(0);
}

function tooManyCrashes(crashes: number[]): boolean {
  const now = Date.now();
  crashes.push(now);
  while (crashes[0]! < now - CRASH_WINDOW_MS) crashes.shift();
  return crashes.length > MAX_CRASHES;
}

/** The primary's side of /metrics: prom-client sums every replica's registries (AggregatorRegistry). */
function answerMetricsRequests(log: Logger): void {
  const aggregator = new AggregatorRegistry();
  cluster.on("message", (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== METRICS_REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: METRICS_REPLY, id: message.id, text }),
      (error: unknown) => {
        log.error({ err: error }, "replicas' metrics");
        worker.send({ type: METRICS_REPLY, id: message.id, error: true });
      },
    );
  });
}

/**
 * A replica's side of /metrics: these registries are what the primary collects from this process, and
 * the returned function answers with every replica's figures summed, whichever replica was asked.
 */
export function shareMetrics(registries: Registry[]): () => Promise<string> {
  AggregatorRegistry.setRegistries(registries);
  new AggregatorRegistry(); // its constructor makes this process answer the primary's collection
  let nextId = 0;
  return () =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => finish(new Error("the primary did not answer with the metrics")), METRICS_TIMEOUT_MS);
      const onMessage = (message: { type?: string; id?: number; text?: string; error?: boolean }) => {
        if (message?.type === METRICS_REPLY && message.id === id) finish(message.error ? new Error("the replicas' metrics failed") : undefined, message.text);
      };
      const finish = (error?: Error, text?: string) => {
        clearTimeout(timer);
        process.off("message", onMessage);
        if (error) reject(error);
        else resolve(text!);
      };
      process.on("message", onMessage);
      process.send!({ type: METRICS_REQUEST, id });
    });
}
