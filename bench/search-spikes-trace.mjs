/**
 * Preloaded into a server by bench/search-spikes.ts (`node --import ./bench/search-spikes-trace.mjs`):
 * what the process did besides the requests, on the wall clock (epoch ms, comparable across
 * processes), written as JSON lines to SPIKE_TRACE_FILE —
 *   gc    every garbage collection (kind: 1 scavenge, 2 minor mark-compact, 4 mark-compact, 8 incremental, 16 weak callbacks)
 *   sql   every statement sent through node-postgres (Prisma's adapter, pg-boss, raw SQL alike): start, end, text
 *   lag   the event loop late by more than LAG_MS for a 1 ms timer: some task ran that long without yielding
 * A slow request is then read against what overlapped it.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import { PerformanceObserver, performance } from "node:perf_hooks";
import process from "node:process";
import { setInterval, setTimeout } from "node:timers";
import { URL } from "node:url";

const file = process.env.SPIKE_TRACE_FILE;
const LAG_MS = 3;
const events = [];
const now = () => performance.timeOrigin + performance.now();

function flush() {
  if (!file || !events.length) return;
  fs.appendFileSync(file, events.splice(0).map((e) => JSON.stringify(e)).join("\n") + "\n");
}

if (file) {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      events.push({ t: "gc", start: performance.timeOrigin + entry.startTime, ms: entry.duration, kind: entry.detail?.kind ?? entry.kind });
    }
  }).observe({ entryTypes: ["gc"] });

  // The application's own copy of pg (CommonJS: one instance per path, shared with Prisma's adapter and pg-boss's executeSql).
  const pg = createRequire(new URL("../package.json", import.meta.url))("pg");
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function traced(config, values, callback) {
    const text = typeof config === "string" ? config : config?.text;
    if (typeof text !== "string") return query.call(this, config, values, callback);
    const start = now();
    const record = () => events.push({ t: "sql", start, end: now(), text: text.replace(/\s+/g, " ").slice(0, 140) });
    if (typeof values === "function") return query.call(this, config, (...args) => (record(), values(...args)));
    if (typeof callback === "function") return query.call(this, config, values, (...args) => (record(), callback(...args)));
    const result = query.call(this, config, values);
    if (result && typeof result.then === "function") result.then(record, record);
    return result;
  };

  let expected = now() + 1;
  const tick = () => {
    const at = now();
    if (at - expected > LAG_MS) events.push({ t: "lag", start: expected, end: at });
    expected = at + 1;
    setTimeout(tick, 1).unref();
  };
  setTimeout(tick, 1).unref();
  setInterval(flush, 1000).unref();
  process.on("exit", flush);
}
