/**
 * The life of a server process: read the configuration, start, and on SIGTERM/SIGINT stop gracefully
 * (stop accepting, finish in-flight requests, close the database). A second signal exits at once.
 */
import { loadConfig, type Config } from "./env.ts";
import { createLogger, type Logger } from "./logger.ts";

export interface Service {
  stop(): Promise<void>;
}

export async function runProcess(name: string, start: (config: Config, log: Logger) => Promise<Service>): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const log = createLogger(config, name);
  let service: Service;
  try {
    service = await start(config, log);
  } catch (error) {
    log.fatal({ err: error }, `${name} failed to start`);
    console.error(`\n${name} failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, "shutting down");
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}
