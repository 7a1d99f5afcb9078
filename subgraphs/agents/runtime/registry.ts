/**
 * The agents: every module in agents/ that exports `agent` (defineAgent). Found by reading the folder,
 * so adding an agent is adding a file; helpers and tests there export no `agent` and are skipped.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { AgentDefinition } from "./contract.ts";

const AGENTS_DIR = new URL("../agents/", import.meta.url);
const MODULE = /^(?!.*\.(test|d)\.[cm]?[jt]s$).*\.[cm]?[jt]s$/;
const NAME = /^[a-z][a-z0-9-]{1,39}$/;

export type AgentRegistry = ReadonlyMap<string, AgentDefinition>;

/** The agents of agents/, and of `extraDir` when given (AGENTS_EXTRA_DIR: the tests' own agents). */
export async function loadAgents(extraDir?: string): Promise<AgentRegistry> {
  const agents = new Map<string, AgentDefinition>();
  const dirs = [AGENTS_DIR, ...(extraDir ? [pathToFileURL(path.resolve(extraDir) + path.sep)] : [])];
  for (const file of dirs.flatMap((dir) => readdirSync(fileURLToPath(dir)).filter((f) => MODULE.test(f)).sort().map((f) => new URL(f, dir)))) {
    const module = (await import(file.href)) as { agent?: AgentDefinition };
    const agent = module.agent;
    if (!agent) continue;
    if (!NAME.test(agent.name)) throw new Error(`${file.pathname}: agent name "${agent.name}" is not lower-case [a-z0-9-]`);
    if (agents.has(agent.name)) throw new Error(`${file.pathname}: a second agent named "${agent.name}"`);
    agents.set(agent.name, agent);
  }
  return agents;
}
