/** Process entry of the public API: `npm start`. */
import { runProcess } from "../lib/process.ts";
import { build } from "./gateway.ts";

await runProcess("gateway", async (config, log) => {
  const app = await build(config, log);
  const { url } = await app.start();
  const mode = config.SUBGRAPH_URLS ? "distributed" : "embedded";
  const database = config.DATABASE_URL ? "PostgreSQL" : `PGlite in ${config.DATA_DIR}`;
  log.info({ url, mode }, "piata-ai API ready");
  console.log(`\npiata-ai API ready at ${url} (${mode} mode, ${database})\n`);
  return app;
});
