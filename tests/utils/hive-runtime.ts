/**
 * Hive Gateway's runtime, for the interoperability test (tests/hive-interop.test.ts) and the benchmark's
 * Hive row (bench/hive-gateway.ts). Its typings are kept out of the program: they reference lib "dom"
 * (through @whatwg-node/fetch), which would retype the global fetch for every file (gateway/topology.ts's
 * Buffer bodies no longer type-check then). Loaded by a specifier TypeScript does not follow, typed
 * below as far as used.
 */
import type http from "node:http";

const HIVE_RUNTIME = "@graphql-hive/gateway-runtime";

export interface HiveRuntime {
  (req: http.IncomingMessage, res: http.ServerResponse): void;
  dispose(): Promise<void>;
}

/** The options of createGatewayRuntime used (@graphql-hive/gateway-runtime's GatewayConfigSupergraph). */
export interface HiveConfig {
  supergraph: string;
  logging: boolean | "debug" | "info" | "warn" | "error";
  /**
   * Per subgraph ("*": all). `options` are @graphql-tools/executor-http's (buildHTTPExecutor, through
   * @graphql-mesh/transport-http): `deduplicateInflightRequests`, and a subscription transport's own.
   */
  transportEntries: Record<string, { headers?: [string, string][]; options?: Record<string, unknown> }>;
  propagateHeaders: { fromClientToSubgraphs(payload: { request: Request }): Record<string, string | null | undefined> };
}

export const { createGatewayRuntime } = (await import(HIVE_RUNTIME)) as { createGatewayRuntime(config: HiveConfig): HiveRuntime };
