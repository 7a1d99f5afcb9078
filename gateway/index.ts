/** Process entry of the public API: `npm start`. */
import v8 from "node:v8";
import { runProcess } from "../lib/process.ts";
import { build } from "./gateway.ts";

await runProcess("gateway", async (config, log) => {
  /**
   * V8 sizes the room before the next full collection from how fast a program promotes objects; the
   * gateway promotes little, so V8 left ~10 MB, and the short-lived buffers of photos arriving (4
   * uploads/s, even uploads refused unread) then set off a full mark-compact about every second:
   * bench:images --loop-delay measured 57 of them in 92 s with uploads against 3 in 60 s without,
   * pauses up to 58 ms, the browse query's p99 tail (bench/results/images-2026-12-03-gc-*.md). A fixed
   * factor leaves room for them. The flag is read at each collection, so here is in time.
   */
  if (config.GC_HEAP_GROWTH_PERCENT) v8.setFlagsFromString(`--heap-growing-percent=${config.GC_HEAP_GROWTH_PERCENT}`);
  const app = await build(config, log);
  const { url } = await app.start();
  const mode = config.SUBGRAPH_URLS ? "distributed" : "embedded";
  const database = config.DATABASE_URL ? "PostgreSQL" : `PGlite in ${config.DATA_DIR}`;
  log.info({ url, mode }, "piata-ai API ready");
  console.log(`\npiata-ai API ready at ${url} (${mode} mode, ${database})\n`);
  return app;
});
