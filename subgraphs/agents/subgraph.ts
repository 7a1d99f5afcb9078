import { openJobQueue } from "../../lib/jobs.ts";
import { llmFromConfig } from "../../lib/llm.ts";
import { buildSchema, loadTypeDefs, type Subgraph, type SubgraphDeps } from "../../lib/subgraph.ts";
import { AgentsService } from "./agents.service.ts";
import type { AgentsContext } from "./context.ts";
import { AgentEvents } from "./events.ts";
import { createLoaders } from "./loaders.ts";
import { CurrentCategorizer } from "./models/current-categorizer.ts";
import { resolvers } from "./resolvers/index.ts";
import { loadAgents, type AgentRegistry } from "./runtime/registry.ts";
import { AgentRunner, runnerSettings } from "./runtime/runner.ts";
import { sqlOf, transactionOf } from "./runtime/sql.ts";
import { SuggestionsService } from "./suggestions.service.ts";

export const typeDefs = loadTypeDefs(new URL("./schema.graphql", import.meta.url));

/**
 * The agents subgraph. Its queue and registry open in start() (the job queue needs the database's
 * pgboss schema, made by pg-boss itself on first start); this process also works the queue unless
 * AGENT_WORKERS=off (then `npm run start:worker` processes do: runtime/worker.ts).
 */
export function createAgentsSubgraph({ db, config, log, pubsub }: SubgraphDeps): Subgraph {
  const events = new AgentEvents(pubsub, log);
  const categorizer = new CurrentCategorizer(db.prisma, log);
  const suggestions = new SuggestionsService(db.prisma, categorizer);
  const llm = llmFromConfig(config);
  let agents: AgentsService | undefined;
  let runner: AgentRunner | undefined;
  let stopQueue: (() => Promise<void>) | undefined;
  const ready = () => {
    if (!agents) throw new Error("the agents subgraph is not started");
    return agents;
  };
  return {
    name: "agents",
    typeDefs,
    schema: buildSchema(typeDefs, resolvers),
    createContext: (base): AgentsContext => ({ ...base, agents: ready(), suggestions, loaders: createLoaders(db.prisma), agentDeps: { db: { prisma: db.prisma, kind: db.kind, sql: sqlOf(db), transaction: transactionOf(db) }, log, llm } }),
    async start() {
      const registry: AgentRegistry = await loadAgents(config.AGENTS_EXTRA_DIR);
      const boss = await openJobQueue(db, log, { pollingIntervalSeconds: config.AGENT_POLLING_INTERVAL_SECONDS, maintenanceIntervalSeconds: config.JOB_QUEUE_MAINTENANCE_INTERVAL_SECONDS });
      stopQueue = () => boss.stop({ graceful: true, timeout: 10_000, wait: true });
      agents = new AgentsService(db.prisma, boss, registry, events, config.AGENT_LEASE_MARGIN_SECONDS);
      await agents.start();
      categorizer.warm();
      if (config.AGENT_WORKERS === "in-process") {
        runner = new AgentRunner(boss, db, registry, events, log, runnerSettings(config), llm);
        await runner.start();
      }
    },
    async stop() {
      categorizer.stop();
      await runner?.stop();
      await stopQueue?.();
    },
  };
}
