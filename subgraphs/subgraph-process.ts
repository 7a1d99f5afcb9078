/**
 * What a subgraph process runs once started (subgraphs/serve.ts imports it inside runProcess's start,
 * so that these modules load under its start-up hold on V8's young generation: lib/process.ts).
 */
import { subgraphSecret } from "../lib/auth/subgraph-secret.ts";
import { createTokenService, resolveJwtSecret } from "../lib/auth/tokens.ts";
import { openDatabase } from "../lib/db/database.ts";
import type { Config } from "../lib/env.ts";
import { httpGraphClient, LateGraphClient } from "../lib/graph-client.ts";
import type { Logger } from "../lib/logger.ts";
import { OperationRecorder } from "../lib/observability/operation-recorder.ts";
import type { Service } from "../lib/process.ts";
import { openSharedState } from "../lib/shared-state.ts";
import { serveSubgraph } from "../lib/subgraph-server.ts";
import { SUBGRAPHS } from "./index.ts";
import type { SubgraphName } from "./names.ts";

export async function startSubgraphProcess(name: SubgraphName, config: Config, log: Logger): Promise<Service> {
  if (!config.DATABASE_URL) throw new Error("A subgraph process needs DATABASE_URL (PostgreSQL): the embedded database belongs to one process.");
  if (!config.REDIS_URL) throw new Error("A subgraph process needs REDIS_URL: its events and revoked sessions must reach the gateways.");
  const db = await openDatabase(config, log);
  // The statements this process sends join the API's record (the gateway records the operations).
  const recorder = config.OPERATION_RECORDER ? OperationRecorder.attach(db, log, { flushSeconds: config.OPERATION_RECORDER_FLUSH_SECONDS }) : undefined;
  const shared = await openSharedState(config, log);
  const jwtSecret = resolveJwtSecret(config);
  const tokens = createTokenService(jwtSecret, config.ACCESS_TOKEN_TTL_SECONDS);
  const gatewaySecret = subgraphSecret(config, jwtSecret);
  const graph = config.GATEWAY_URL ? httpGraphClient(config.GATEWAY_URL, gatewaySecret) : new LateGraphClient(); // unbound: fails clearly when used
  const subgraph = SUBGRAPHS[name].create({ config, db, log, tokens, limiters: shared.limiters, pubsub: shared.pubsub, graph, revocations: shared.revocations, purges: shared.purges });
  await subgraph.start?.();
  const server = await serveSubgraph(subgraph, { config, log, tokens, gatewaySecret, port: config.PORT });
  log.info({ url: server.url }, `subgraph ${name} ready`);
  return {
    async stop() {
      await server.stop();
      await subgraph.stop?.();
      await recorder?.stop();
      await shared.close();
      await db.close();
    },
  };
}
