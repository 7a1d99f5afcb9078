import { pino, type Logger } from "pino";
import type { Config } from "./env.ts";

export type { Logger };

export function createLogger(config: Pick<Config, "LOG_LEVEL">, name = "piata-ai"): Logger {
  return pino({ name, level: config.LOG_LEVEL });
}
