/**
 * Load generator child of bench/gateway.ts: runs autocannon (its API, in this separate process so that
 * the load does not share an event loop with the orchestrator) and prints one JSON line with the result.
 *
 *   node --import tsx bench/load-worker.ts '<json LoadSpec>'
 *   node --import tsx bench/load-worker.ts @<file holding the json LoadSpec>   (a large body: argv is limited)
 *
 * Besides autocannon's own figures (its latency histogram has 1 ms resolution) it records every 2xx
 * response time as a float and computes exact percentiles, and it checks every body: a GraphQL error
 * comes back with status 200, so a body without `data` or with `errors` is counted as a mismatch.
 * With `expect` (a refusal) it is the other way round: the expected status's response times are
 * recorded, and a body without the expected `extensions.code` is a mismatch.
 *
 * With `connectionPerRequest` the requests do not go through autocannon but through node's http client,
 * each on a new connection (bench/send.ts), `connections` at a time: for an answer after which the
 * server closes the connection without reading the rest of the body (a 413 from the Content-Length,
 * with Connection: close). autocannon keeps writing the body into the closed connection and reuses
 * it, so it counts the socket errors that follow (EPIPE, ECONNRESET) as errors; send.ts takes the
 * answer once read in full, whatever the socket does after it. A request that gets no complete answer
 * (an error before it, a timeout) is still an error (errorKinds says which), and a wrong status or
 * code is still counted (statusCodes, non2xx, mismatches), as with autocannon.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import { sendOnNewConnection } from "./send.ts";

export interface LoadSpec {
  url: string;
  body: string;
  connections: number;
  /** Ignored when `amount` is set. */
  durationSeconds: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Requests per second over all connections (autocannon's overallRate); absent: as fast as answered. */
  overallRate?: number;
  /** Send exactly this many requests, then stop (instead of a duration). */
  amount?: number;
  /** The answer expected instead of 200 with data: a refusal with this status and extensions.code. */
  expect?: { status: number; code: string };
  /** Each request on a new connection, through node's http client instead of autocannon (see the header). */
  connectionPerRequest?: boolean;
}

export interface LoadResult {
  /** Completed requests (any status). */
  requests: number;
  /** autocannon's mean of its 1-second samples. */
  requestsPerSecond: number;
  durationSeconds: number;
  latencyMs: { mean: number; p50: number; p90: number; p97_5: number; p99: number; max: number };
  /** autocannon's own latency summary (integer milliseconds). */
  autocannonLatencyMs: { p50: number; p97_5: number; p99: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Bodies not as expected: with data and without errors, or (`expect`) with the expected code. */
  mismatches: number;
  /** Responses with the expected status (2xx, or expect.status): the ones whose latencies are recorded. */
  expectedStatusResponses: number;
  statusCodes: Record<string, number>;
  /** CPU used by this load generator, ms, and as a share of one core over the run. */
  loadGeneratorCpuMs: number;
  loadGeneratorCorePct: number;
  /** CPU of this whole process, start-up (tsx, autocannon) included. */
  processCpuMs: number;
  /** connectionPerRequest (absent with autocannon): answers with `Connection: close`. */
  closedByServer?: number;
  /** connectionPerRequest: the requests without an answer (errors), by error code. */
  errorKinds?: Record<string, number>;
}

interface AutocannonResult {
  requests: { average: number; total: number; sent: number };
  latency: { p50: number; p97_5: number; p99: number; average: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
  statusCodeStats: Record<string, { count: number }>;
}

interface AutocannonInstance {
  on(event: "response", fn: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): void;
}

type Autocannon = (
  options: Record<string, unknown>,
  callback: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

// autocannon ships no type declarations: load it through require and type the little we use.
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function verifier(spec: LoadSpec): (body: string) => boolean {
  const expect = spec.expect;
  const expectedCode = expect ? `"code":"${expect.code}"` : "";
  return expect ? (body) => body.includes(expectedCode) : (body) => body.startsWith('{"data":{') && !body.includes('"errors":[');
}

function summarizeLatencies(latencies: number[]): LoadResult["latencyMs"] {
  const sorted = Float64Array.from(latencies).sort();
  const mean = latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1);
  return {
    mean: round(mean),
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p97_5: round(percentile(sorted, 97.5)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length ? sorted[sorted.length - 1]! : 0),
  };
}

/** The load of `spec` with a new connection per request (node's http client), `connections` at a time. */
async function runPerConnection(spec: LoadSpec): Promise<LoadResult> {
  const verify = verifier(spec);
  const body = Buffer.from(spec.body);
  const headers = spec.headers ?? {};
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  const errorKinds: Record<string, number> = {};
  let requests = 0;
  let errors = 0;
  let timeouts = 0;
  let non2xx = 0;
  let mismatches = 0;
  let closedByServer = 0;
  let started = 0;
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  const deadline = spec.amount ? Infinity : t0 + spec.durationSeconds * 1000;
  const more = () => (spec.amount ? started < spec.amount : performance.now() < deadline);
  const loop = async () => {
    while (more()) {
      started++;
      const outcome = await sendOnNewConnection(spec.url, body, headers);
      // As autocannon counts them: errors include timeouts.
      if (outcome.kind === "timeout") {
        timeouts++;
        errors++;
      } else if (outcome.kind === "error") {
        errors++;
        errorKinds[outcome.message] = (errorKinds[outcome.message] ?? 0) + 1;
      } else {
        requests++;
        statusCodes[outcome.status] = (statusCodes[outcome.status] ?? 0) + 1;
        if (outcome.status < 200 || outcome.status >= 300) non2xx++;
        if (!verify(outcome.body)) mismatches++;
        if (outcome.serverCloses) closedByServer++;
        if (spec.expect ? outcome.status === spec.expect.status : outcome.status >= 200 && outcome.status < 300) latencies.push(outcome.ms);
      }
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, loop));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const total = process.cpuUsage();
  const latencyMs = summarizeLatencies(latencies);
  return {
    requests,
    requestsPerSecond: round(requests / (wallMs / 1000)),
    durationSeconds: round(wallMs / 1000),
    latencyMs,
    // No autocannon here: its integer-millisecond summary, from the same exact figures.
    autocannonLatencyMs: { p50: Math.round(latencyMs.p50), p97_5: Math.round(latencyMs.p97_5), p99: Math.round(latencyMs.p99), average: latencyMs.mean },
    errors,
    timeouts,
    non2xx,
    mismatches,
    expectedStatusResponses: latencies.length,
    statusCodes,
    loadGeneratorCpuMs: Math.round(cpuMs),
    loadGeneratorCorePct: Math.round((cpuMs / wallMs) * 100),
    processCpuMs: Math.round((total.user + total.system) / 1000),
    closedByServer,
    errorKinds,
  };
}

async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  if (spec.connectionPerRequest) return runPerConnection(spec);
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const expect = spec.expect;
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: "POST",
        headers: { "content-type": "application/json", ...spec.headers },
        body: spec.body,
        connections: spec.connections,
        duration: spec.durationSeconds,
        ...(spec.amount ? { amount: spec.amount } : {}),
        ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
        verifyBody: verifier(spec),
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (expect ? statusCode === expect.status : statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const total = process.cpuUsage();
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    durationSeconds: result.duration,
    latencyMs: summarizeLatencies(latencies),
    autocannonLatencyMs: {
      p50: result.latency.p50,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
      average: result.latency.average,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    mismatches: result.mismatches,
    expectedStatusResponses: latencies.length,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
    loadGeneratorCpuMs: Math.round(cpuMs),
    loadGeneratorCorePct: Math.round((cpuMs / wallMs) * 100),
    processCpuMs: Math.round((total.user + total.system) / 1000),
  };
}

const arg = process.argv[2] ?? "null";
const spec = JSON.parse(arg.startsWith("@") ? fs.readFileSync(arg.slice(1), "utf8") : arg) as LoadSpec | null;
if (!spec?.url) {
  console.error("usage: node --import tsx bench/load-worker.ts '<json {url, body, connections, durationSeconds, headers?, overallRate?, amount?, expect?, connectionPerRequest?}>'");
  process.exit(2);
}
try {
  const result = await runLoad(spec);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
