/**
 * The browse load of bench/agents.ts, a forked child: one query sent at a fixed rate (open loop: a
 * request every 1/rate s on schedule, keep-alive sockets, its latency counted from when it was due, so
 * a slow server cannot slow the load down and hide its own slowness) until told to stop, each answer
 * filed under the phase the parent last named (idle, burst, …): one unbroken load spans every phase,
 * and the phases differ only in what else the machine does. autocannon is not used here: its rate
 * limit lets each connection send its share at the start of every second, a burst per second.
 *
 *   fork("bench/agents-browse.ts", [JSON BrowseSpec]); send { phase: "idle" } … { stop: true };
 *   it answers { ready: true } once started and { result: BrowseResult } once stopped.
 */
import http from "node:http";

export interface BrowseSpec {
  url: string;
  body: string;
  /** Keep-alive sockets at most; requests beyond them wait for one (their wait counts). */
  connections: number;
  /** Requests per second. */
  rate: number;
  /** More unanswered than this and a due request is skipped (counted): the server is far behind. */
  maxInFlight: number;
}

export interface LatencySummary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface PhaseResult {
  /** Answers 200 with data and no errors (their latencies are summarised). */
  ok: number;
  /** Answers of another status, or 200 with errors or without data. */
  bad: number;
  /** Requests that got no answer (socket errors, timeouts). */
  errors: number;
  /** Requests not sent when due because maxInFlight were unanswered. */
  skipped: number;
  seconds: number;
  latencyMs: LatencySummary | null;
  /** Per second of the phase: answers, p50 and p99 ms. */
  perSecond: { t: number; n: number; p50: number; p99: number }[];
  /** Every answer's latency, ms: to pool the phases of several rounds (bench/images.ts). */
  latencies: number[];
}

export type BrowseResult = Record<string, PhaseResult>;

type Message = { phase?: string; stop?: boolean };

const r2 = (n: number) => Math.round(n * 100) / 100;

export function summarize(values: number[]): LatencySummary | null {
  if (!values.length) return null;
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => r2(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!);
  return { n: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: r2(sorted.at(-1)!), mean: r2(values.reduce((a, b) => a + b, 0) / values.length) };
}

class Phase {
  readonly latencies: number[] = [];
  /** When each answer came, ms since the phase began (for the per-second series). */
  readonly times: number[] = [];
  bad = 0;
  errors = 0;
  skipped = 0;
  readonly started = performance.now();
  ended?: number;

  result(): PhaseResult {
    const seconds = ((this.ended ?? performance.now()) - this.started) / 1000;
    const buckets = new Map<number, number[]>();
    this.times.forEach((t, i) => {
      const second = Math.floor(t / 1000);
      if (!buckets.has(second)) buckets.set(second, []);
      buckets.get(second)!.push(this.latencies[i]!);
    });
    const perSecond = [...buckets].map(([t, values]) => {
      const s = summarize(values)!;
      return { t, n: s.n, p50: s.p50, p99: s.p99 };
    });
    return { ok: this.latencies.length, bad: this.bad, errors: this.errors, skipped: this.skipped, seconds: r2(seconds), latencyMs: summarize(this.latencies), perSecond, latencies: this.latencies.map(r2) };
  }
}

/** One request; resolves with whether the answer was 200 with data and no errors, or rejects. */
function send(spec: BrowseSpec, agent: http.Agent, body: Buffer): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const req = http.request(spec.url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve(res.statusCode === 200 && text.startsWith('{"data":{') && !text.includes('"errors":['));
      });
    });
    req.setTimeout(30_000, () => req.destroy(new Error("no answer within 30 s")));
    req.on("error", reject);
    req.end(body);
  });
}

function run(spec: BrowseSpec): void {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const body = Buffer.from(spec.body);
  const phases = new Map<string, Phase>();
  let current = new Phase();
  phases.set("start", current);
  let inFlight = 0;
  let stopped = false;
  const interval = 1000 / spec.rate;
  const t0 = performance.now();
  let due = 0;

  const fire = (dueAt: number) => {
    const phase = current;
    if (inFlight >= spec.maxInFlight) return void phase.skipped++;
    inFlight++;
    send(spec, agent, body).then(
      (ok) => {
        if (!ok) return void phase.bad++;
        const now = performance.now();
        phase.latencies.push(now - dueAt);
        phase.times.push(now - phase.started);
      },
      () => void phase.errors++,
    ).finally(() => {
      inFlight--;
      if (stopped && inFlight === 0) finish();
    });
  };
  // Drift-free: request k is due at t0 + k/rate, whenever the timer actually fires.
  const tick = () => {
    if (stopped) return;
    const now = performance.now();
    while (t0 + due * interval <= now) fire(t0 + due++ * interval);
    setTimeout(tick, Math.max(0, t0 + due * interval - performance.now()));
  };
  const finish = () => {
    current.ended ??= performance.now();
    agent.destroy();
    const result: BrowseResult = Object.fromEntries([...phases].map(([name, phase]) => [name, phase.result()]));
    process.send!({ result }, () => process.exit(0));
  };
  process.on("message", (message: Message) => {
    if (message.phase) {
      current.ended = performance.now();
      current = new Phase();
      phases.set(message.phase, current);
    }
    if (message.stop) {
      stopped = true;
      current.ended = performance.now();
      if (inFlight === 0) finish();
    }
  });
  tick();
  process.send!({ ready: true });
}

if (process.send) run(JSON.parse(process.argv[2] ?? "{}") as BrowseSpec);
