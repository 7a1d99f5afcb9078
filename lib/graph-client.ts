/**
 * The public graph, for a subgraph that needs another subgraph's facts: chat asks for a listing's
 * seller and status instead of reading listings' tables. Queries run as an anonymous client through
 * the gateway's query plan, so the owning subgraph applies its own rules (what a visitor may see).
 */
import { GATEWAY_SECRET_HEADER } from "./auth/subgraph-secret.ts";

export interface GraphClient {
  /** The query's data; throws (an internal error, never shown to a client) when it has errors. */
  query<T>(document: string, variables?: Record<string, unknown>): Promise<T>;
}

export type GraphExecutor = (document: string, variables: Record<string, unknown>) => Promise<{ data?: unknown; errors?: readonly { message: string }[] }>;

/** Embedded mode: the subgraphs are built before the gateway that serves them, which binds itself once started. */
export class LateGraphClient implements GraphClient {
  private executor?: GraphExecutor;

  bind(executor: GraphExecutor): void {
    this.executor = executor;
  }

  async query<T>(document: string, variables: Record<string, unknown> = {}): Promise<T> {
    if (!this.executor) throw new Error("The graph is not served yet (GraphClient used before the gateway started).");
    return dataOf<T>(await this.executor(document, variables));
  }
}

/** Distributed mode: the gateway over HTTP (GATEWAY_URL), proving with the gateway secret that it is one of ours. */
export function httpGraphClient(url: string, gatewaySecret: string): GraphClient {
  return {
    async query<T>(document: string, variables: Record<string, unknown> = {}): Promise<T> {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/graphql-response+json", [GATEWAY_SECRET_HEADER]: gatewaySecret },
        body: JSON.stringify({ query: document, variables }),
        signal: AbortSignal.timeout(10_000),
      });
      return dataOf<T>((await response.json()) as Awaited<ReturnType<GraphExecutor>>);
    },
  };
}

function dataOf<T>(result: Awaited<ReturnType<GraphExecutor>>): T {
  if (result.errors?.length) throw new Error(`Graph query failed: ${result.errors.map((e) => e.message).join("; ")}`);
  return result.data as T;
}
