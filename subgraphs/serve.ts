/**
 * Process entry of one subgraph in distributed mode: `npm run start:subgraph -- <name>`.
 * Needs DATABASE_URL (a shared PostgreSQL) and the gateway's JWT_SECRET; give each its own PORT, and
 * GATEWAY_URL to the subgraphs that ask the graph for other subgraphs' facts (chat).
 */
import { runProcess } from "../lib/process.ts";
import { isSubgraphName, SUBGRAPH_NAMES } from "./names.ts";

const name = process.argv[2] ?? "";
if (!isSubgraphName(name)) {
  console.error(`Usage: npm run start:subgraph -- <${SUBGRAPH_NAMES.join("|")}>`);
  process.exit(2);
}

// Imported inside start, not above: the modules then load under runProcess's start-up hold on V8's
// young generation (lib/process.ts).
await runProcess(`subgraph-${name}`, async (config, log) => (await import("./subgraph-process.ts")).startSubgraphProcess(name, config, log));
