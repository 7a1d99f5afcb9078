/**
 * The categorizer and pricer on the demo data: `npm run bench:categorizer -- [options]`
 *
 * 1. A fresh embedded API (PGlite in a temporary data dir) with the demo data: the 2,000 listings of
 *    a fresh `npm start` (DEMO_DATA), or `--listings N` of the same generator (seed 2026).
 * 2. The categorizer's training exactly as its agent runs it (trainAndStore: the active listings, a
 *    worker thread, the model stored): its top-1 and top-3 accuracy on the held-out ~20 % of listings.
 * 3. suggestCategory and suggestPrice through the gateway (HTTP, one client, a signed-in user), with
 *    inputs taken from active listings (titles; category, title, attributes and place): `--calls`
 *    each after 20 unmeasured ones, p50 / p95 / p99 / max and CPU per call; beside them a query that
 *    does almost nothing through the same gateway (what a busy machine adds), and the two models
 *    called in process without the gateway. Target of issue 9: ≤ 50 ms.
 *
 *   --listings 2000   --calls 200   --out categorizer-<YYYY-MM-DD>   (bench/results/<out>.md)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { build } from "../gateway/gateway.ts";
import { loadConfig } from "../lib/env.ts";
import { createLogger } from "../lib/logger.ts";
import { seedDemoData } from "../prisma/seed/seed.ts";
import { trainAndStore } from "../subgraphs/agents/models/categorizer-store.ts";
import { CategoryClassifier } from "../subgraphs/agents/models/classifier.ts";
import { estimatePrice } from "../subgraphs/agents/models/pricing.ts";

const { values } = parseArgs({
  options: {
    listings: { type: "string", default: "2000" },
    calls: { type: "string", default: "200" },
    out: { type: "string", default: `categorizer-${new Date().toISOString().slice(0, 10)}` },
  },
});
const listings = Number(values.listings);
const calls = Number(values.calls);
const WARMUP = 20;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-categorizer-"));
const config = loadConfig({
  NODE_ENV: "development",
  HOST: "127.0.0.1",
  PORT: "0",
  DATA_DIR: dataDir,
  DEMO_DATA: listings === 2000 ? "true" : "false",
  LOG_LEVEL: "warn",
  RATE_LIMIT_REQUESTS_PER_MINUTE: "1000000",
});
const log = createLogger(config);

const started = performance.now();
const app = await build(config, log);
const { port } = await app.start();
const url = `http://127.0.0.1:${port}/graphql`;
try {
  const prisma = app.db.prisma;
  if (listings !== 2000) await seedDemoData(prisma, { listings, sellers: Math.max(10, Math.round(listings / 10)), seed: 2026 });
  const loadedS = (performance.now() - started) / 1000;
  console.log(`data set ready in ${loadedS.toFixed(0)} s`);

  const trainStarted = performance.now();
  const model = await trainAndStore(prisma);
  const trainS = (performance.now() - trainStarted) / 1000;
  console.log("trained", model.metrics);

  const token = await signUp(url);
  const sample = await prisma.listing.findMany({
    where: { status: "ACTIVE" },
    select: { categoryId: true, title: true, attributes: true, county: true, city: true },
    orderBy: { id: "asc" },
    take: calls + WARMUP,
  });
  const CATEGORY = `query ($title: String!) { suggestCategory(title: $title) { score category { id } } }`;
  const PRICE = `query ($categoryId: ID!, $title: String, $attributes: JSON, $county: String, $city: String) {
    suggestPrice(categoryId: $categoryId, title: $title, attributes: $attributes, county: $county, city: $city) { low median high basis { comparables relaxed scope } }
  }`;
  // The first answer waits for the stored model to load; every later one is from memory.
  await gql(url, token, CATEGORY, { title: "Dacia Logan" });
  const priceQuery = (l: (typeof sample)[number]) => ({ categoryId: l.categoryId, title: l.title, attributes: l.attributes as Record<string, unknown>, county: l.county, city: l.city });
  const classifier = CategoryClassifier.fromJSON(model.data);
  const rows: [string, Latency][] = [
    // The same gateway, auth and subgraph hop for a query that does almost nothing: what the machine adds.
    ["baseline: `{ me { id } }` (users subgraph, one primary-key read)", await measure(sample, () => gql(url, token, `{ me { id } }`, {}))],
    ["suggestCategory(title) — titles of active listings", await measure(sample, (l) => gql(url, token, CATEGORY, { title: l.title }))],
    ["suggestPrice(categoryId, title, attributes, county, city) — of active listings", await measure(sample, (l) => gql(url, token, PRICE, { ...priceQuery(l), categoryId: String(l.categoryId) }))],
    ["in process, no gateway: the classifier's suggest(title)", await measure(sample, async (l) => classifier.suggest(l.title))],
    ["in process, no gateway: estimatePrice(db, …)", await measure(sample, (l) => estimatePrice({ prisma }, priceQuery(l)))],
  ];

  const report = render({ model, trainS, loadedS, rows });
  fs.mkdirSync(path.join(import.meta.dirname, "results"), { recursive: true });
  const file = path.join(import.meta.dirname, "results", `${values.out}.md`);
  fs.writeFileSync(file, report);
  console.log(report);
  console.log(`written to ${path.relative(process.cwd(), file)}`);
} finally {
  await app.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** CPU time of this process (server and client alike) per call. */
  cpuMs: number;
  errors: number;
}

async function measure<T>(inputs: readonly T[], call: (input: T) => Promise<unknown>): Promise<Latency> {
  const times: number[] = [];
  let errors = 0;
  let cpu = process.cpuUsage();
  for (const [i, input] of inputs.entries()) {
    if (i === WARMUP) cpu = process.cpuUsage();
    const t0 = performance.now();
    const result = (await call(input)) as { errors?: unknown } | null;
    const ms = performance.now() - t0;
    if (result && typeof result === "object" && "errors" in result && result.errors) errors++;
    if (i >= WARMUP) times.push(ms);
  }
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: times.at(-1)!, cpuMs: (used.user + used.system) / 1000 / times.length, errors };
}

async function gql(endpoint: string, token: string | null, query: string, variables: Record<string, unknown>) {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
}

async function signUp(endpoint: string): Promise<string> {
  const r = await gql(endpoint, null, `mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken } }`, {
    input: { email: `bench-${Date.now()}@example.ro`, password: "parola-sigura-bench-123", displayName: "Bench Vânzător" },
  });
  if (r.errors) throw new Error(`signUp failed: ${JSON.stringify(r.errors)}`);
  return (r.data!.signUp as { accessToken: string }).accessToken;
}

function render({ model, trainS, loadedS, rows }: { model: Awaited<ReturnType<typeof trainAndStore>>; trainS: number; loadedS: number; rows: [string, Latency][] }): string {
  const m = model.metrics;
  const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
  const row = ([name, l]: [string, Latency]) => `| ${name} | ${l.p50.toFixed(1)} | ${l.p95.toFixed(1)} | ${l.p99.toFixed(1)} | ${l.max.toFixed(1)} | ${l.cpuMs.toFixed(1)} | ${l.errors} |`;
  return `# Categorizer and pricer on the demo data — ${new Date().toISOString().slice(0, 10)}

\`npm run bench:categorizer -- --listings ${listings} --calls ${calls}\` (commit ${gitHead()}), embedded API on a fresh
PGlite with the demo generator's ${listings} listings (seed 2026; ready in ${loadedS.toFixed(0)} s), ${os.cpus().length} cores,
load average ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")} at the end (the machine is shared: read latencies as upper bounds).

## Categorizer (naive Bayes, wink-naive-bayes-text-classifier)

| listings learnt from | held out | top-1 | top-3 | categories | vocabulary | training (thread) | training + reading + storing |
| --- | --- | --- | --- | --- | --- | --- | --- |
| ${m.trainedOn} | ${m.heldOut.examples} | ${pct(m.heldOut.top1)} | ${pct(m.heldOut.top3)} | ${m.categories} | ${m.vocabulary} | ${m.trainingMs} ms | ${trainS.toFixed(1)} s |

Held out: the active listings whose sha1(id) starts with a byte < 52 (~20 %), never learnt from.
The demo text is generated from per-category templates, so these figures are an upper bound of what
real listings would give.

## Latency through the gateway (ms, 1 client, ${calls} calls after ${WARMUP} unmeasured)

| query | p50 | p95 | p99 | max | CPU ms per call | errors |
| --- | --- | --- | --- | --- | --- | --- |
${rows.map(row).join("\n")}

CPU per call is this one process's (gateway, subgraphs, PGlite's thread and the client): on an idle
machine a call costs about that much wall time.
`;
}

function gitHead(): string {
  try {
    const head = fs.readFileSync(path.join(import.meta.dirname, "..", ".git", "HEAD"), "utf8").trim();
    const ref = head.startsWith("ref: ") ? fs.readFileSync(path.join(import.meta.dirname, "..", ".git", head.slice(5)), "utf8").trim() : head;
    return ref.slice(0, 7);
  } catch {
    return "unknown";
  }
}
