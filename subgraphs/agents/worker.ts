/**
 * An agent worker process for distributed mode: `npm run start:worker`. It works the agents' job queue
 * (the pg-boss tables the agents subgraph queues runs in) and serves no GraphQL; run as many as the
 * work needs, with the agents subgraph process on AGENT_WORKERS=off. Progress and results reach the
 * gateways' subscribers over the shared pub/sub (REDIS_URL). It answers GET /healthz (alive) and
 * /readyz (the database answers) on PORT, for orchestrators' probes and the image's HEALTHCHECK.
 */
// First: V8 set for a lean worker before the modules below load (runtime/lean-memory.ts).
import "./runtime/lean-memory.ts";
import http from "node:http";
import { openDatabase } from "../../lib/db/database.ts";
import { openJobQueue } from "../../lib/jobs.ts";
import { llmFromConfig } from "../../lib/llm.ts";
import { reniceThreads, runProcess } from "../../lib/process.ts";
import { openPubSub } from "../../lib/pubsub.ts";
import { AgentEvents } from "./events.ts";
import { loadAgents } from "./runtime/registry.ts";
import { AgentRunner, runnerSettings } from "./runtime/runner.ts";

await runProcess("agent-worker", async (config, log) => {
  if (!config.DATABASE_URL) throw new Error("A worker process needs DATABASE_URL (PostgreSQL): the embedded database belongs to one process.");
  if (!config.REDIS_URL) throw new Error("A worker process needs REDIS_URL: progress, results and cancellations travel on the shared pub/sub.");
  // Below the API's requests on shared cores (AGENT_WORKER_NICE); threads made later inherit it.
  reniceThreads(config.AGENT_WORKER_NICE);
  const db = await openDatabase(config, log);
  // The pub/sub alone: a worker limits no requests and checks no sessions, and the rest of the shared
  // state (rate limiters, revoked sessions, cache purges) cost it a Redis connection and ≈ 10 MB of RSS.
  const pubsub = await openPubSub(config.REDIS_URL, log);
  const boss = await openJobQueue(db, log, { pollingIntervalSeconds: config.AGENT_POLLING_INTERVAL_SECONDS, maintenanceIntervalSeconds: config.JOB_QUEUE_MAINTENANCE_INTERVAL_SECONDS });
  const registry = await loadAgents(config.AGENTS_EXTRA_DIR);
  const runner = new AgentRunner(boss, db, registry, new AgentEvents(pubsub, log), log, runnerSettings(config), llmFromConfig(config));
  await runner.start();
  const probes = await serveProbes(config.HOST, config.PORT, () => db.ping());
  log.info({ agents: [...registry.keys()], port: (probes.address() as { port: number }).port }, "agent worker ready");
  return {
    async stop() {
      probes.close();
      await runner.stop();
      await boss.stop({ graceful: true, timeout: 10_000, wait: true });
      await pubsub.close();
      await db.close();
    },
  };
});

/** Liveness and readiness only: a worker serves nothing else. */
async function serveProbes(host: string, port: number, databaseAnswers: () => Promise<unknown>): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const reply = (status: number, body: object) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.url === "/healthz") return reply(200, { status: "ok", process: "agent-worker" });
    if (req.url !== "/readyz") return reply(404, { error: "not found" });
    databaseAnswers().then(
      () => reply(200, { status: "ready" }),
      () => reply(503, { status: "database unavailable" }),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return server;
}
