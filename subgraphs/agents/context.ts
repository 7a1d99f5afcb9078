import type { RequestContext } from "../../lib/context.ts";
import type { AgentsService } from "./agents.service.ts";
import type { AgentsLoaders } from "./loaders.ts";
import type { SuggestionsService } from "./suggestions.service.ts";
import type { AgentContext } from "./runtime/contract.ts";

export interface AgentsContext extends RequestContext {
  agents: AgentsService;
  loaders: AgentsLoaders;
  suggestions: SuggestionsService;
  /** What an agent's health() may use. */
  agentDeps: Pick<AgentContext, "db" | "log" | "llm">;
}
