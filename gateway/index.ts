/** Process entry of the public API: `npm start`. */
import { runProcess } from "../lib/process.ts";

await runProcess("gateway", async (config, log) => {
  // Imported here, not above: the gateway's ~1,950 modules then load under runProcess's start-up hold
  // on V8's young generation (lib/process.ts), which a static import would precede.
  // Before gateway.ts: Node evaluates the CommonJS packages an ES module imports ahead of that module's
  // own body, so the copy must be in place before the first import that reaches @apollo/gateway.
  await import("./federation-exports.ts");
  const { build } = await import("./gateway.ts");
  const app = await build(config, log);
  const { url } = await app.start();
  const mode = config.SUBGRAPH_URLS ? "distributed" : "embedded";
  const database = config.DATABASE_URL ? "PostgreSQL" : `PGlite in ${config.DATA_DIR}`;
  log.info({ url, mode }, "piata-ai API ready");
  console.log(`\npiata-ai API ready at ${url} (${mode} mode, ${database})\n`);
  return app;
});
