/**
 * What each gateway of bench/gateway.ts's distributed rows sends the subgraphs for one client request:
 * `npx tsx bench/subgraph-requests.ts [--size 2000] [--gateways distributed,stock-remote,hive] [--out name]`.
 * A peer row is a ratio against our gateway only if both send the subgraphs the same work. The five
 * subgraph processes run as in bench/gateway.ts, each behind a recording proxy in this process; every
 * gateway is started over the proxies' URLs, sent each query twice (the second is the steady one, after
 * plan and document caches), and the subgraph requests of the second are printed: subgraph, method,
 * whether x-gateway-secret was right, the operation (whitespace squeezed) and its variables'
 * representations; then CONCURRENT identical requests at once, and how many subgraph requests they
 * made (a gateway that shares identical in-flight subgraph requests sends fewer than 2 per client
 * request). Not a timing: the proxies are on the path.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { GATEWAY_SECRET_HEADER } from "../lib/auth/subgraph-secret.ts";
import { createLogger } from "../lib/logger.ts";
import { prepareDataset, repoRoot } from "./datasets.ts";
import { localDate, post, serverEnv, startServer, stopAllChildren, stopServers, type Server } from "./harness.ts";
import { check, DIRECT_HEADERS, pickListing, QUERY_NAMES, requestBody } from "./operations.ts";

const { values: argv } = parseArgs({
  options: {
    size: { type: "string", default: "2000" },
    gateways: { type: "string", default: "distributed,stock-remote,hive,hive-dedupe" },
    "pg-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    "redis-url": { type: "string", default: "redis://127.0.0.1:6379" },
    out: { type: "string" },
  },
});

const GATEWAYS: Record<string, { script: string; ready: string; env?: Record<string, string> }> = {
  distributed: { script: "gateway/index.ts", ready: "/readyz" },
  "stock-remote": { script: "bench/stock-remote-gateway.ts", ready: "/graphql?query=%7B__typename%7D" },
  hive: { script: "bench/hive-gateway.ts", ready: "/graphql?query=%7B__typename%7D", env: { HIVE_DEDUPLICATE_INFLIGHT: "false" } },
  "hive-dedupe": { script: "bench/hive-gateway.ts", ready: "/graphql?query=%7B__typename%7D", env: { HIVE_DEDUPLICATE_INFLIGHT: "true" } },
};
/** Identical requests sent at once: a gateway that shares subgraph requests among them sends fewer. */
const CONCURRENT = 10;
const SUBGRAPH_NAMES = ["users", "listings", "chat", "search", "agents"] as const;
const wanted = argv.gateways.split(",").map((g) => g.trim());
for (const g of wanted) if (!GATEWAYS[g]) throw new Error(`unknown gateway ${g} (${Object.keys(GATEWAYS).join(", ")})`);

interface Recorded {
  subgraph: string;
  method: string;
  secretOk: boolean;
  /** The request's headers, the secret's value left out. */
  headers: Record<string, string>;
  query: string;
  representations?: unknown;
  variables?: unknown;
  status: number;
}

/** A proxy in front of one subgraph that records every request's method, secret check and body. */
function recordingProxy(subgraph: string, target: URL, log: Recorded[]): Promise<{ url: string; close(): void }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const upstream = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        let parsed: { query?: string; variables?: { representations?: unknown } & Record<string, unknown> } = {};
        try {
          parsed = body.length ? JSON.parse(body.toString("utf8")) : {};
        } catch {
          parsed = { query: `(not JSON: ${body.toString("utf8").slice(0, 200)})` };
        }
        const { representations, ...variables } = parsed.variables ?? {};
        log.push({
          subgraph,
          method: req.method ?? "?",
          secretOk: req.headers[GATEWAY_SECRET_HEADER] === DIRECT_HEADERS[GATEWAY_SECRET_HEADER],
          headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== GATEWAY_SECRET_HEADER).map(([k, v]) => [k, String(v)])),
          query: (parsed.query ?? "").replace(/\s+/g, " ").trim(),
          ...(representations !== undefined ? { representations } : {}),
          ...(Object.keys(variables).length ? { variables } : {}),
          status: answer.statusCode ?? 0,
        });
      });
      upstream.on("error", (error) => res.destroy(error));
      upstream.end(body);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${target.pathname}`;
      resolve({ url, close: () => (server.closeAllConnections(), server.close()) });
    }),
  );
}

const dataset = await prepareDataset(Number(argv.size), argv["pg-url"], createLogger({ LOG_LEVEL: "warn" }, "bench"), { pglite: false, postgres: true });
const env = { ...serverEnv("production", { DATABASE_URL: dataset.postgres.url }), REDIS_URL: argv["redis-url"], MALLOC_ARENA_MAX: "2" };
const subgraphs: Server[] = [];
const proxies: { close(): void }[] = [];
const log: Recorded[] = [];
const out: string[] = [`# Subgraph requests per client request, ${localDate()}, ${Number(argv.size).toLocaleString("en-US")} listings`, ""];
let failed = false;
try {
  for (const name of SUBGRAPH_NAMES) subgraphs.push(await startServer(`${name} subgraph`, "subgraphs/serve.ts", [name], env, "/healthz"));
  const urls: string[] = [];
  for (const [i, s] of subgraphs.entries()) {
    const proxy = await recordingProxy(SUBGRAPH_NAMES[i]!, new URL(s.graphqlUrl), log);
    proxies.push(proxy);
    urls.push(`${SUBGRAPH_NAMES[i]}=${proxy.url}`);
  }
  const seen: Record<string, Record<string, string>> = {};
  for (const name of wanted) {
    const gw = await startServer(`${name} gateway`, GATEWAYS[name]!.script, [], { ...env, ...GATEWAYS[name]!.env, SUBGRAPH_URLS: urls.join(",") }, GATEWAYS[name]!.ready);
    try {
      const listingId = await pickListing(gw.graphqlUrl);
      for (const query of QUERY_NAMES) {
        await check(gw.graphqlUrl, query, "gateway", listingId);
        log.length = 0;
        const reply = await post(gw.graphqlUrl, requestBody(query, "gateway", listingId));
        const requests = [...log].sort((a, b) => a.subgraph.localeCompare(b.subgraph) || a.query.localeCompare(b.query));
        const summary = requests.map((r) => `${r.subgraph} ${r.method} secret ${r.secretOk ? "ok" : "MISSING/WRONG"} → ${r.status}: ${r.query}\n    headers: ${JSON.stringify(r.headers)}${r.representations ? `\n    representations: ${JSON.stringify(r.representations)}` : ""}${r.variables ? `\n    variables: ${JSON.stringify(r.variables)}` : ""}`);
        (seen[query] ??= {})[name] = JSON.stringify(reply.json.data);
        out.push(`## ${name}, ${query}: ${requests.length} subgraph requests (answer ${reply.status}${reply.json.errors?.length ? ", WITH ERRORS" : ""})`, "", "```", ...summary, "```", "");
        if (requests.some((r) => !r.secretOk || r.status !== 200)) failed = true;
        log.length = 0;
        const replies = await Promise.all(Array.from({ length: CONCURRENT }, () => post(gw.graphqlUrl, requestBody(query, "gateway", listingId))));
        const ok = replies.filter((r) => r.status === 200 && !r.json.errors?.length && r.json.data).length;
        out.push(`${CONCURRENT} identical requests at once: ${ok} answered with data, ${log.length} subgraph requests (${(log.length / CONCURRENT).toFixed(1)} per client request; one at a time: ${requests.length})`, "");
      }
    } finally {
      await stopServers([gw]);
    }
  }
  out.push("## Answers", "");
  for (const [query, byGateway] of Object.entries(seen)) {
    const distinct = new Set(Object.values(byGateway));
    out.push(`- ${query}: ${distinct.size === 1 ? "the same data from every gateway" : `**data differs**: ${Object.entries(byGateway).map(([g, d]) => `${g} ${d.slice(0, 300)}`).join(" | ")}`}`);
    if (distinct.size !== 1) failed = true;
  }
} finally {
  for (const p of proxies) p.close();
  await stopServers(subgraphs);
  await stopAllChildren(5_000);
}
const text = out.join("\n");
console.log(text);
if (argv.out) {
  const file = path.join(repoRoot, "bench/results", `${argv.out}.md`);
  fs.writeFileSync(file, `${text}\n`);
  console.log(`results: ${path.relative(repoRoot, file)}`);
}
process.exit(failed ? 1 : 0);
