/**
 * The distributed topology as an operator runs it: every subgraph in its own process, one or more
 * gateways fetching them over HTTP and graphql-ws, a shared PostgreSQL database and Redis (pub/sub,
 * revoked sessions, rate-limit counters). Each call gets a database of its own.
 */
import { SUBGRAPHS } from "../../subgraphs/index.ts";
import { createTestDatabase, type TestDatabase } from "./databases.ts";
import { freePort, spawnServer, waitUntilReady, type ServerProcess } from "./processes.ts";
import { REDIS_URL } from "./redis.ts";
import { RELAXED_RATE_LIMITS, TEST_JWT_SECRET, WITHOUT_AGENT_FLOWS } from "./stack.ts";

export interface Deployment {
  /** Each gateway's /graphql. */
  gateways: string[];
  subgraphUrls: Record<string, string>;
  /** What every process of it got: DATABASE_URL, REDIS_URL, JWT_SECRET, … (for more processes of the same deployment). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startDeployment(options: { env?: Record<string, string>; gateways?: number } = {}): Promise<Deployment> {
  const database: TestDatabase = await createTestDatabase();
  const servers: ServerProcess[] = [];
  const env = {
    DATABASE_URL: database.url!,
    REDIS_URL,
    JWT_SECRET: TEST_JWT_SECRET,
    HOST: "127.0.0.1",
    DEMO_DATA: "false",
    ...WITHOUT_AGENT_FLOWS,
    ...RELAXED_RATE_LIMITS,
    ...options.env,
  };
  const stop = async () => {
    for (const server of servers) server.child.kill("SIGTERM");
    await Promise.all(servers.map((s) => s.exited));
    await database.drop();
  };
  try {
    const gatewayPorts = await Promise.all(Array.from({ length: options.gateways ?? 1 }, () => freePort()));
    const gateways = gatewayPorts.map((port) => `http://127.0.0.1:${port}/graphql`);
    const subgraphUrls: Record<string, string> = {};
    // One after the other: each applies migrations on start (serialised by an advisory lock anyway),
    // and sequential starts keep a failure's output readable.
    for (const name of Object.keys(SUBGRAPHS)) {
      const port = await freePort();
      // A subgraph that asks the graph for other subgraphs' facts (chat) goes through a gateway.
      const server = spawnServer("subgraphs/serve.ts", [name], { ...env, PORT: String(port), GATEWAY_URL: gateways[0]! });
      servers.push(server);
      await waitUntilReady(server, `http://127.0.0.1:${port}/healthz`);
      subgraphUrls[name] = `http://127.0.0.1:${port}/graphql`;
    }
    const urls = Object.entries(subgraphUrls).map(([name, url]) => `${name}=${url}`).join(",");
    for (const port of gatewayPorts) {
      const gateway = spawnServer("gateway/index.ts", [], { ...env, PORT: String(port), SUBGRAPH_URLS: urls });
      servers.push(gateway);
      await waitUntilReady(gateway, `http://127.0.0.1:${port}/readyz`);
    }
    return { gateways, subgraphUrls, env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
