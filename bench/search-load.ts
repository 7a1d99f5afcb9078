/**
 * The load of bench/search.ts: a fixed number of POSTs, `clients` at a time over kept-alive
 * connections (one per client), each response time recorded exactly and each body checked (200 with
 * data and without errors). It runs in the benchmark's own process, which does nothing else meanwhile;
 * its CPU is not in the per-request figures. bench/load-worker.ts (autocannon) reports no p95.
 */
import http from "node:http";

export interface HttpLoad {
  latencies: number[];
  errors: number;
  firstError?: string;
  wallMs: number;
  /** This process's CPU over the load, ms. */
  clientCpuMs: number;
}

function once(agent: http.Agent, url: URL, body: Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", agent, headers: { "content-type": "application/json", "content-length": body.length, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.setTimeout(120_000, () => req.destroy(new Error("no answer within 120 s")));
    req.on("error", reject);
    req.end(body);
  });
}

/** `payload`: every request's body, or a function giving each request's (called once per request). */
export async function httpLoad(
  target: string,
  payload: string | (() => string),
  headers: Record<string, string>,
  clients: number,
  amount: number,
): Promise<HttpLoad> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const url = new URL(target);
  const fixed = typeof payload === "string" ? Buffer.from(payload) : null;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let started = 0;
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  const loop = async () => {
    while (started < amount) {
      started++;
      const body = fixed ?? Buffer.from((payload as () => string)());
      const s = performance.now();
      try {
        const { status, text } = await once(agent, url, body, headers);
        const ms = performance.now() - s;
        if (status === 200 && text.startsWith('{"data":{') && !text.includes('"errors":[')) latencies.push(ms);
        else {
          errors++;
          firstError ??= `${status} ${text.slice(0, 500)}`;
        }
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  return { latencies, errors, ...(firstError ? { firstError } : {}), wallMs, clientCpuMs: (cpu.user + cpu.system) / 1000 };
}
