/**
 * The gateway's own CPU per uncached request, ours vs stock @apollo/gateway, on the same subgraph
 * processes: `npx tsx bench/gateway-own-cpu.ts [--size 2000] [--queries browse,listing] [--rounds 2]`.
 *
 * Distributed mode: the five subgraphs each in a process of their own (subgraphs/serve.ts, PostgreSQL
 * data set piata_bench_<size>, Redis pub/sub), started once; then, alternated over --rounds (each in
 * the reverse order of the last), our gateway (gateway/index.ts with SUBGRAPH_URLS, response cache
 * off, rate limits that never refuse) and a stock @apollo/gateway with RemoteGraphQLDataSource over the
 * same URLs (bench/stock-remote-gateway.ts), one at a time. A gateway process here only parses,
 * validates, plans, fetches and merges, so its CPU per request is the gateway's own; the subgraph
 * processes' CPU per request is printed next to it (the same work behind either gateway). All under
 * tsx (bench/harness.ts's default runtime). Per run: --warmup s unmeasured, --duration s measured at
 * --connections. Results: bench/results/<out>.md and .json.
 *   --size 2000 --queries browse,listing --rounds 2 --duration 8 --warmup 4 --connections 10
 *   --pg-url postgres://postgres@127.0.0.1:5432/postgres --redis-url redis://127.0.0.1:6379 --out <name>
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createLogger } from "../lib/logger.ts";
import { prepareDataset, repoRoot } from "./datasets.ts";
import { gitState, localDate, measure, round2, serverEnv, startServer, stopAllChildren, stopServers, type Measured, type Server } from "./harness.ts";
import { check, pickListing, QUERIES, requestBody, type QueryName } from "./operations.ts";

const { values: argv } = parseArgs({
  options: {
    size: { type: "string", default: "2000" },
    queries: { type: "string", default: "browse,listing" },
    rounds: { type: "string", default: "2" },
    duration: { type: "string", default: "8" },
    warmup: { type: "string", default: "4" },
    connections: { type: "string", default: "10" },
    "pg-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    "redis-url": { type: "string", default: "redis://127.0.0.1:6379" },
    out: { type: "string" },
  },
});
const queries = argv.queries.split(",").map((q) => q.trim()) as QueryName[];
const SUBGRAPH_NAMES = ["users", "listings", "chat", "search", "agents"] as const;
const GATEWAYS = [
  { name: "ours", script: "gateway/index.ts", ready: "/readyz" },
  { name: "stock", script: "bench/stock-remote-gateway.ts", ready: "/graphql?query=%7B__typename%7D" },
] as const;

interface Run {
  round: number;
  gateway: string;
  query: QueryName;
  measured: Measured;
}

const started = new Date();
const dataset = await prepareDataset(Number(argv.size), argv["pg-url"], createLogger({ LOG_LEVEL: "warn" }, "bench"), { pglite: false, postgres: true });
const env = { ...serverEnv("production", { DATABASE_URL: dataset.postgres.url }), REDIS_URL: argv["redis-url"] };
const subgraphs: Server[] = [];
const runs: Run[] = [];
try {
  for (const name of SUBGRAPH_NAMES) subgraphs.push(await startServer(`${name} subgraph`, "subgraphs/serve.ts", [name], env, "/healthz"));
  const urls = subgraphs.map((s, i) => `${SUBGRAPH_NAMES[i]}=${s.graphqlUrl}`).join(",");
  const pids = { users: subgraphs[0]!.pid, listings: subgraphs[1]!.pid };
  for (let round = 1; round <= Number(argv.rounds); round++) {
    for (const gw of round % 2 ? GATEWAYS : [...GATEWAYS].reverse()) {
      const server = await startServer(`${gw.name} gateway`, gw.script, [], { ...env, SUBGRAPH_URLS: urls }, gw.ready);
      try {
        const listingId = await pickListing(server.graphqlUrl);
        for (const query of queries) {
          await check(server.graphqlUrl, query, "gateway", listingId);
          const spec = { url: server.graphqlUrl, body: requestBody(query, "gateway", listingId), connections: Number(argv.connections), durationSeconds: Number(argv.duration) };
          const measured = await measure({ spec, warmup: { ...spec, durationSeconds: Number(argv.warmup) } }, { gateway: server.pid, ...pids }, true);
          runs.push({ round, gateway: gw.name, query, measured });
          const c = measured.cpuMsPerRequest;
          console.log(`  ${gw.name} ${query}: ${measured.load.requestsPerSecond.toFixed(0)} req/s, gateway ${c.gateway} ms/req, listings ${c.listings}, users ${c.users}, others ${measured.otherLoadPct} %`);
        }
      } finally {
        await stopServers([server]);
      }
    }
  }
} finally {
  await stopServers(subgraphs);
  await stopAllChildren(5_000);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const lines = [
  `# The gateway's own CPU per uncached request: ours vs stock @apollo/gateway over the same subgraph processes (${localDate(started)})`,
  "",
  `Command: \`npx tsx bench/gateway-own-cpu.ts ${process.argv.slice(2).join(" ")}\``,
  "",
  `Five subgraph processes on PostgreSQL ${dataset.postgres.database} (${argv.size} listings) and Redis, under tsx, NODE_ENV=production; each gateway in turn over the same URLs, ${argv.rounds} rounds alternated, ${argv.warmup} s warm-up + ${argv.duration} s measured at ${argv.connections} connections; response cache off. CPU: utime+stime per completed request. git: ${JSON.stringify(gitState())}`,
  "",
  "| query | gateway | round | req/s | p50 ms | p99 ms | gateway CPU ms/req | listings ms/req | users ms/req | others % |",
  "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...runs.map(
    (r) =>
      `| ${QUERIES[r.query].label} | ${r.gateway} | ${r.round} | ${r.measured.load.requestsPerSecond.toFixed(0)} | ${r.measured.load.latencyMs.p50} | ${r.measured.load.latencyMs.p99} | ${r.measured.cpuMsPerRequest.gateway} | ${r.measured.cpuMsPerRequest.listings} | ${r.measured.cpuMsPerRequest.users} | ${r.measured.otherLoadPct} |`,
  ),
  "",
  "| query | ours gateway CPU ms/req (median) | stock | ours / stock |",
  "| --- | ---: | ---: | ---: |",
  ...queries.map((query) => {
    const of = (gw: string) => median(runs.filter((r) => r.query === query && r.gateway === gw).map((r) => r.measured.cpuMsPerRequest.gateway!));
    return `| ${QUERIES[query].label} | ${round2(of("ours"))} | ${round2(of("stock"))} | ${(of("ours") / of("stock")).toFixed(2)}x |`;
  }),
];
const name = argv.out ?? `gateway-own-cpu-${localDate(started)}`;
fs.writeFileSync(path.join(repoRoot, "bench/results", `${name}.md`), `${lines.join("\n")}\n`);
fs.writeFileSync(path.join(repoRoot, "bench/results", `${name}.json`), `${JSON.stringify({ argv, runs }, null, 2)}\n`);
console.log(`\n${lines.join("\n")}\n\nwritten: bench/results/${name}.md`);
process.exit(0);
