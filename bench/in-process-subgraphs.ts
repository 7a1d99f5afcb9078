/**
 * Every subgraph in this process, created and started as gateway/topology.ts's embedded() does, with
 * the same dependencies as gateway/gateway.ts gives them, and no gateway in front: for the stock
 * gateway (stock-gateway.ts) and the memory stages (memory.ts).
 */
import { createTokenService, resolveJwtSecret } from "../lib/auth/tokens.ts";
import { openDatabase, type Database } from "../lib/db/database.ts";
import type { Config } from "../lib/env.ts";
import { LateGraphClient } from "../lib/graph-client.ts";
import type { Logger } from "../lib/logger.ts";
import { openSharedState } from "../lib/shared-state.ts";
import type { Subgraph } from "../lib/subgraph.ts";
import { SUBGRAPHS } from "../subgraphs/index.ts";

export interface InProcessSubgraphs {
  db: Database;
  subgraphs: Subgraph[];
  /** Bind once something serves the public graph (subgraphs ask it for facts other subgraphs own). */
  graph: LateGraphClient;
  close(): Promise<void>;
}

export async function openSubgraphs(config: Config, log: Logger): Promise<InProcessSubgraphs> {
  const db = await openDatabase(config, log);
  const shared = await openSharedState(config, log);
  const graph = new LateGraphClient();
  const tokens = createTokenService(resolveJwtSecret(config), config.ACCESS_TOKEN_TTL_SECONDS);
  const deps = { config, db, log, tokens, graph, limiters: shared.limiters, pubsub: shared.pubsub, revocations: shared.revocations, purges: shared.purges };
  const subgraphs = Object.values(SUBGRAPHS).map((entry) => entry.create(deps));
  for (const subgraph of subgraphs) await subgraph.start?.();
  return {
    db,
    subgraphs,
    graph,
    async close() {
      for (const subgraph of subgraphs) await subgraph.stop?.();
      await shared.close();
      await db.close();
    },
  };
}
