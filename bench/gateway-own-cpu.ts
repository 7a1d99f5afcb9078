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
 *   the options of bench/harness.ts's SIDE_BY_SIDE_OPTIONS (--size, --queries, --rounds, --duration,
 *   --warmup, --connections, --pg-url, --node-arg, --profile, --top, --out), and
 *   --redis-url redis://127.0.0.1:6379
 *   --tree name=dir[,--node-flag…] (repeatable)  our gateway from another checkout too (a `git worktree
 *                                 add` of an earlier commit, its node_modules and prisma/generated
 *                                 symlinked to this one's): before/after of our own code in the same
 *                                 run; node flags after the dir apply to that gateway alone (the same
 *                                 dir twice: with and without a flag)
 *   --gateways ours,stock,<tree names>  which to run, in this order (default: all)
 *   --profile  every gateway under --cpu-prof (its CPU figures then include the profiler's cost): self
 *              time per request of the measured windows, side by side, bench/results/profiles/<out>.txt
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createLogger } from "../lib/logger.ts";
import { prepareDataset, repoRoot } from "./datasets.ts";
import {
  gitState,
  localDate,
  measure,
  median,
  round2,
  roundOrder,
  serverEnv,
  SIDE_BY_SIDE_OPTIONS,
  startServer,
  stopAllChildren,
  stopServers,
  type Measured,
  type Server,
} from "./harness.ts";
import { check, pickListing, QUERIES, requestBody, type QueryName } from "./operations.ts";
import { formatSideBySide, readProfile, windowSelfTime, type WindowProfile } from "./profile-top.ts";

const { values: argv } = parseArgs({
  options: {
    ...SIDE_BY_SIDE_OPTIONS,
    "redis-url": { type: "string", default: "redis://127.0.0.1:6379" },
    tree: { type: "string", multiple: true, default: [] },
    gateways: { type: "string" },
  },
});
const queries = argv.queries.split(",").map((q) => q.trim()) as QueryName[];
for (const q of queries) if (!(q in QUERIES)) throw new Error(`unknown query ${q}`);
const SUBGRAPH_NAMES = ["users", "listings", "chat", "search", "agents"] as const;

interface Gateway {
  name: string;
  /** The tree it runs from (its frames in a profile are relative to it). */
  dir: string;
  script: string;
  ready: string;
  /** Node options of this gateway alone (--tree name=dir,--flag,…), after --node-arg's. */
  nodeArgs: string[];
}
const ALL_GATEWAYS: Gateway[] = [
  { name: "ours", dir: repoRoot, script: "gateway/index.ts", ready: "/readyz", nodeArgs: [] },
  { name: "stock", dir: repoRoot, script: "bench/stock-remote-gateway.ts", ready: "/graphql?query=%7B__typename%7D", nodeArgs: [] },
  ...argv.tree.map((spec) => {
    const at = spec.indexOf("=");
    if (at < 1) throw new Error(`--tree name=dir[,--node-flag…], got ${spec}`);
    const [where, ...nodeArgs] = spec.slice(at + 1).split(",");
    const dir = path.resolve(where!);
    const script = path.join(dir, "gateway/index.ts");
    if (!fs.existsSync(script)) throw new Error(`${script} not found`);
    if (!fs.existsSync(path.join(dir, "node_modules"))) throw new Error(`${dir}/node_modules missing: symlink this checkout's`);
    return { name: spec.slice(0, at), dir, script, ready: "/readyz", nodeArgs };
  }),
];
const wanted = argv.gateways?.split(",").map((g) => g.trim());
const GATEWAYS = wanted
  ? wanted.map((name) => {
      const found = ALL_GATEWAYS.find((g) => g.name === name);
      if (!found) throw new Error(`unknown gateway ${name} (${ALL_GATEWAYS.map((g) => g.name).join(", ")})`);
      return found;
    })
  : ALL_GATEWAYS;

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
const profiles: WindowProfile[] = [];
try {
  for (const name of SUBGRAPH_NAMES) subgraphs.push(await startServer(`${name} subgraph`, "subgraphs/serve.ts", [name], env, "/healthz"));
  const urls = subgraphs.map((s, i) => `${SUBGRAPH_NAMES[i]}=${s.graphqlUrl}`).join(",");
  const pids = { users: subgraphs[0]!.pid, listings: subgraphs[1]!.pid };
  for (let round = 1; round <= Number(argv.rounds); round++) {
    for (const gw of roundOrder(GATEWAYS, round)) {
      const profileDir = argv.profile ? fs.mkdtempSync(path.join(os.tmpdir(), "gateway-own-cpu-prof-")) : undefined;
      const nodeArgs = [...argv["node-arg"], ...gw.nodeArgs, ...(profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [])];
      const server = await startServer(`${gw.name} gateway`, gw.script, [], { ...env, SUBGRAPH_URLS: urls }, gw.ready, nodeArgs);
      const windows: { query: QueryName; window: { startUs: number; endUs: number }; requests: number }[] = [];
      try {
        const listingId = await pickListing(server.graphqlUrl);
        for (const query of queries) {
          await check(server.graphqlUrl, query, "gateway", listingId);
          const spec = { url: server.graphqlUrl, body: requestBody(query, "gateway", listingId), connections: Number(argv.connections), durationSeconds: Number(argv.duration) };
          const measured = await measure({ spec, warmup: { ...spec, durationSeconds: Number(argv.warmup) } }, { gateway: server.pid, ...pids }, true);
          runs.push({ round, gateway: gw.name, query, measured });
          windows.push({ query, window: measured.windowUs, requests: measured.load.requests });
          const c = measured.cpuMsPerRequest;
          console.log(`  ${gw.name} ${query}: ${measured.load.requestsPerSecond.toFixed(0)} req/s, gateway ${c.gateway} ms/req, listings ${c.listings}, users ${c.users}, others ${measured.otherLoadPct} %`);
        }
      } finally {
        await stopServers([server]);
        if (profileDir) {
          const file = fs.readdirSync(profileDir).find((f) => f.includes(`.${server.pid}.0.`) && f.endsWith(".cpuprofile"));
          if (file) {
            const profile = readProfile(path.join(profileDir, file));
            for (const w of windows) profiles.push({ name: gw.name, query: w.query, round, ...windowSelfTime(profile, gw.dir, w.window, w.requests) });
          } else console.log(`  no profile of ${server.pid} in ${profileDir}`);
          fs.rmSync(profileDir, { recursive: true, force: true });
        }
      }
    }
  }
} finally {
  await stopServers(subgraphs);
  await stopAllChildren(5_000);
}

const names = GATEWAYS.map((g) => g.name);
const medianOf = (query: QueryName, gw: string) => median(runs.filter((r) => r.query === query && r.gateway === gw).map((r) => r.measured.cpuMsPerRequest.gateway!));
const hasStock = names.includes("stock");
const lines = [
  `# The gateway's own CPU per uncached request: ${names.join(", ")} over the same subgraph processes (${localDate(started)})`,
  "",
  `Command: \`npx tsx bench/gateway-own-cpu.ts ${process.argv.slice(2).join(" ")}\``,
  "",
  `Five subgraph processes on PostgreSQL ${dataset.postgres.database} (${argv.size} listings) and Redis, under tsx, NODE_ENV=production; each gateway in turn over the same URLs, ${argv.rounds} rounds alternated, ${argv.warmup} s warm-up + ${argv.duration} s measured at ${argv.connections} connections; response cache off${argv.profile ? "; every gateway under --cpu-prof (CPU figures include the profiler's cost)" : ""}. CPU: utime+stime per completed request. git: ${JSON.stringify(gitState())}`,
  ...(argv.tree.length ? ["", "Trees:", ...GATEWAYS.filter((g) => g.dir !== repoRoot).map((g) => `- ${g.name}: ${g.dir} (${treeHead(g.dir)})${g.nodeArgs.length ? `, node ${g.nodeArgs.join(" ")}` : ""}`)] : []),
  "",
  "| query | gateway | round | req/s | p50 ms | p99 ms | gateway CPU ms/req | listings ms/req | users ms/req | others % |",
  "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...runs.map(
    (r) =>
      `| ${QUERIES[r.query].label} | ${r.gateway} | ${r.round} | ${r.measured.load.requestsPerSecond.toFixed(0)} | ${r.measured.load.latencyMs.p50} | ${r.measured.load.latencyMs.p99} | ${r.measured.cpuMsPerRequest.gateway} | ${r.measured.cpuMsPerRequest.listings} | ${r.measured.cpuMsPerRequest.users} | ${r.measured.otherLoadPct} |`,
  ),
  "",
  `| query | gateway | gateway CPU ms/req (median) |${hasStock ? " / stock |" : ""}${names[0] !== "stock" ? ` / ${names[0]} |` : ""}`,
  `| --- | --- | ---: |${hasStock ? " ---: |" : ""}${names[0] !== "stock" ? " ---: |" : ""}`,
  ...queries.flatMap((query) =>
    names.map((gw) => {
      const mine = medianOf(query, gw);
      return `| ${QUERIES[query].label} | ${gw} | ${round2(mine)} |${hasStock ? ` ${(mine / medianOf(query, "stock")).toFixed(2)}x |` : ""}${names[0] !== "stock" ? ` ${(mine / medianOf(query, names[0]!)).toFixed(2)}x |` : ""}`;
    }),
  ),
];
const name = argv.out ?? `gateway-own-cpu-${localDate(started)}`;
if (profiles.length) {
  const text = formatSideBySide(
    `Self time per request (ms) in the measured windows, under --cpu-prof: ${name}`,
    names,
    queries.map((q) => ({ name: q, label: QUERIES[q].label })),
    profiles,
    Number(argv.top),
  );
  fs.mkdirSync(path.join(repoRoot, "bench/results/profiles"), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, "bench/results/profiles", `${name}.txt`), `${text}\n`);
  console.log(`\n${text}\nwritten: bench/results/profiles/${name}.txt`);
}
fs.writeFileSync(path.join(repoRoot, "bench/results", `${name}.md`), `${lines.join("\n")}\n`);
fs.writeFileSync(path.join(repoRoot, "bench/results", `${name}.json`), `${JSON.stringify({ argv, gateways: GATEWAYS, runs }, null, 2)}\n`);
console.log(`\n${lines.join("\n")}\n\nwritten: bench/results/${name}.md`);
process.exit(0);

function treeHead(dir: string): string {
  try {
    return execFileSync("git", ["-C", dir, "log", "-1", "--format=%h %s"], { encoding: "utf8" }).trim().slice(0, 100);
  } catch {
    return "no git";
  }
}
