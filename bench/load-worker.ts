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
 */
import fs from "node:fs";
import { createRequire } from "node:module";

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

async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const expect = spec.expect;
  const expectedCode = expect ? `"code":"${expect.code}"` : "";
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
        verifyBody: expect
          ? (body: string) => body.includes(expectedCode)
          : (body: string) => body.startsWith('{"data":{') && !body.includes('"errors":['),
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
  const sorted = Float64Array.from(latencies).sort();
  const mean = latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1);
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    durationSeconds: result.duration,
    latencyMs: {
      mean: round(mean),
      p50: round(percentile(sorted, 50)),
      p90: round(percentile(sorted, 90)),
      p97_5: round(percentile(sorted, 97.5)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.length ? sorted[sorted.length - 1]! : 0),
    },
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
  console.error("usage: node --import tsx bench/load-worker.ts '<json {url, body, connections, durationSeconds, headers?, overallRate?, amount?, expect?}>'");
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
