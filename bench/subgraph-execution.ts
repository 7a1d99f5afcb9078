/**
 * Subgraph execution, graphql-js vs compiled (issue 11, "Subgraph execution"):
 * `npm run bench:execution -- [--db postgres] [--rounds 20] [--per-round 50] [--out name]`
 *
 * Records the subgraph fetches the query planner makes for the benchmark's listing page and browse
 * (bench/operations.ts), then runs exactly those fetches on the real subgraphs and database in this
 * one process, alternating blocks of graphql-js's execute and lib/graphql/compiled-operations.ts,
 * each fetch with a fresh subgraph context (its DataLoaders), as the gateway runs them. The process's
 * CPU time per page is compared within each round, so others' load on this shared machine slows both
 * sides alike; the figure is the median of the rounds' ratios. The subgraphs' own caches are warm in
 * both (a page then reads no SQL): what differs is execution alone.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ApolloGateway, LocalGraphQLDataSource, type GraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { execute, parse, type DocumentNode } from "graphql";
import { composeSupergraph } from "../gateway/compose.ts";
import type { RequestContext } from "../lib/context.ts";
import { loadConfig, disableVendorTelemetry } from "../lib/env.ts";
import { CompiledOperations } from "../lib/graphql/compiled-operations.ts";
import { createLogger } from "../lib/logger.ts";
import type { Subgraph } from "../lib/subgraph.ts";
import { prepareDataset, repoRoot } from "./datasets.ts";
import { openSubgraphs } from "./in-process-subgraphs.ts";
import { QUERIES, QUERY_NAMES, type QueryName } from "./operations.ts";

const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "postgres" },
    size: { type: "string", default: "2000" },
    rounds: { type: "string", default: "20" },
    "per-round": { type: "string", default: "50" },
    "pg-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    out: { type: "string", default: `subgraph-execution-${new Date().toISOString().slice(0, 10)}` },
  },
});

interface Fetch {
  subgraph: Subgraph;
  query: string;
  document: DocumentNode;
  variables: Record<string, unknown>;
}

const log = createLogger({ LOG_LEVEL: "warn" });
const anonymous = (): RequestContext => ({ requestId: crypto.randomUUID(), viewer: null, locale: "ro", log });

/** The fetches the planner sends for one request of `query`, recorded on the way through. */
async function recordFetches(subgraphs: Subgraph[], query: string, variables: Record<string, unknown>): Promise<Fetch[]> {
  const byName = new Map(subgraphs.map((s) => [s.name, s]));
  const fetches: Fetch[] = [];
  const recording = (subgraph: Subgraph): GraphQLDataSource<RequestContext> => {
    const local = new LocalGraphQLDataSource<RequestContext>(subgraph.schema);
    return {
      process(options) {
        const text = options.request.query ?? "";
        fetches.push({ subgraph, query: text, document: parse(text), variables: options.request.variables ?? {} });
        return local.process({ ...options, context: subgraph.createContext(options.context as RequestContext) });
      },
    };
  };
  const gateway = new ApolloGateway({ supergraphSdl: composeSupergraph(subgraphs), buildService: ({ name }) => recording(byName.get(name)!) });
  const apollo = new ApolloServer<RequestContext>({ gateway });
  await apollo.start();
  const response = await apollo.executeOperation({ query, variables }, { contextValue: anonymous() });
  await apollo.stop();
  if (response.body.kind !== "single" || response.body.singleResult.errors) throw new Error(`${query}: ${JSON.stringify(response.body)}`);
  return fetches;
}

type Runner = (fetch: Fetch) => Promise<unknown>;

async function timePages(fetches: Fetch[], run: Runner, pages: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < pages; i++) for (const fetch of fetches) await run(fetch);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / pages;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

disableVendorTelemetry();
const dataset = await prepareDataset(Number(args.size), args["pg-url"]!, log, { pglite: args.db === "pglite", postgres: args.db === "postgres" });
const env = args.db === "postgres" ? { DATABASE_URL: dataset.postgres.url } : { DATA_DIR: dataset.pglite.dataDir };
const config = loadConfig({ ...process.env, NODE_ENV: "production", LOG_LEVEL: "warn", DEMO_DATA: "false", ...env });
const { subgraphs, close } = await openSubgraphs(config, log);
const compiled = new Map(subgraphs.map((s) => [s.name, new CompiledOperations(s.schema)]));
const runners: Record<"graphql-js" | "compiled", Runner> = {
  "graphql-js": async (f) => execute({ schema: f.subgraph.schema, document: f.document, variableValues: f.variables, contextValue: f.subgraph.createContext(anonymous()) }),
  compiled: (f) => compiled.get(f.subgraph.name)!.execute({ query: f.query, variables: f.variables, contextValue: f.subgraph.createContext(anonymous()) }),
};

const rows: string[] = [];
const json: Record<string, unknown> = {};
for (const name of QUERY_NAMES) {
  const variables = await variablesFor(name);
  const fetches = await recordFetches(subgraphs, QUERIES[name].gateway, variables);
  for (const run of Object.values(runners)) await timePages(fetches, run, 20); // warm: caches, JIT, compilation
  const ms: Record<string, number[]> = { "graphql-js": [], compiled: [] };
  const ratios: number[] = [];
  for (let round = 0; round < Number(args.rounds); round++) {
    const order = round % 2 ? (["compiled", "graphql-js"] as const) : (["graphql-js", "compiled"] as const);
    for (const which of order) ms[which]!.push(await timePages(fetches, runners[which], Number(args["per-round"])));
    ratios.push(ms.compiled!.at(-1)! / ms["graphql-js"]!.at(-1)!);
  }
  json[name] = { fetches: fetches.map((f) => ({ subgraph: f.subgraph.name, query: f.query })), ms, ratios };
  rows.push(`| ${QUERIES[name].label} | ${fetches.length} (${fetches.map((f) => f.subgraph.name).join(", ")}) | ${median(ms["graphql-js"]!).toFixed(3)} | ${median(ms.compiled!).toFixed(3)} | ${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) |`);
}
await close();

async function variablesFor(name: QueryName): Promise<Record<string, unknown>> {
  if (name !== "listing") return {};
  const listings = subgraphs.find((s) => s.name === "listings")!;
  const newest = await execute({
    schema: listings.schema,
    document: parse(`{ listings(first: 1, sort: NEWEST) { edges { node { id } } } }`),
    contextValue: listings.createContext(anonymous()),
  });
  const id = (newest.data as { listings: { edges: { node: { id: string } }[] } }).listings.edges[0]!.node.id;
  return { id };
}

const load = fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0];
const report = `# Subgraph execution: graphql-js vs compiled (graphql-jit), ${new Date().toISOString()}

\`npm run bench:execution -- --db ${args.db} --size ${args.size} --rounds ${args.rounds} --per-round ${args["per-round"]}\`;
load average (1 min) at the end: ${load}. One process; per round, ${args["per-round"]} pages each way,
alternating which goes first; CPU ms (process.cpuUsage) per page = all of the page's subgraph fetches,
each with a fresh subgraph context. Subgraph caches warm in both: the difference is execution.

| query | subgraph fetches | graphql-js CPU ms/page (median) | compiled CPU ms/page (median) | compiled ÷ graphql-js, median of rounds (range) |
|---|---|--:|--:|--:|
${rows.join("\n")}
`;
const out = path.join(repoRoot, "bench", "results", args.out!);
fs.writeFileSync(`${out}.md`, report);
fs.writeFileSync(`${out}.json`, JSON.stringify(json, null, 2));
console.log(report);
