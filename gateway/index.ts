/** Process entry of the public API: `npm start`. */
import cluster from "node:cluster";
import { createLogger } from "../lib/logger.ts";
import { loadConfigOrExit, runProcess } from "../lib/process.ts";
import { isReplica, runReplicas } from "../lib/replicas.ts";

/**
 * What replicas other than the first leave to it (GATEWAY_PROCESSES > 1): periodic work that must run
 * once per deployment. Agent runs are queued by every replica and worked by the first one's workers.
 */
const ONCE_PER_DEPLOYMENT: Record<string, string> = {
  AGENT_WORKERS: "off",
  CHAT_SCAN_INTERVAL_SECONDS: "0",
  MEDIA_SWEEP_INTERVAL_SECONDS: "0",
};

/**
 * Young-generation semi-spaces of 32 MB (V8's default is 16) for each of several processes: with 200
 * connections on two processes, the listing page's p99 fell from 119–129 to 66–71 ms and its CPU per
 * request by 14 % (bench/results/browse-builds-2026-12-03-m56-semi.md). A lone embedded process keeps
 * V8's default: there it peaked ~100 MB higher for no clear gain (gateway-2026-12-03-memory-m56-semi32.md).
 */
const REPLICA_NODE_FLAGS = ["--max-semi-space-size=32"];

// A replica (cluster worker) is always one gateway; only a primary reads how many to start.
const primary = cluster.isPrimary ? loadConfigOrExit() : undefined;
if (primary && primary.GATEWAY_PROCESSES > 1) {
  const log = createLogger(primary, "gateway-primary");
  runReplicas({ count: primary.GATEWAY_PROCESSES, followerEnv: ONCE_PER_DEPLOYMENT, nodeFlags: REPLICA_NODE_FLAGS, log });
} else {
  await runProcess("gateway", async (config, log) => {
    // Imported here, not above: the gateway's ~1,950 modules then load under runProcess's start-up hold
    // on V8's young generation (lib/process.ts), which a static import would precede.
    // Before gateway.ts: Node evaluates the CommonJS packages an ES module imports ahead of that module's
    // own body, so the copy must be in place before the first import that reaches @apollo/gateway.
    await import("./federation-exports.ts");
    const { build } = await import("./gateway.ts");
    const app = await build(config, log);
    const { url } = await app.start();
    const mode = config.SUBGRAPH_URLS ? "distributed" : "embedded";
    const database = config.DATABASE_URL ? "PostgreSQL" : `PGlite in ${config.DATA_DIR}`;
    log.info({ url, mode }, "piata-ai API ready");
    console.log(`\npiata-ai API ready at ${url} (${mode} mode, ${database}${isReplica() ? `, process ${process.pid}` : ""})\n`);
    return app;
  });
}
