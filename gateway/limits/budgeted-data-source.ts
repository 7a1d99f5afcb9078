/**
 * Wraps a subgraph data source (in-process or HTTP) with the request's budget: a fetch starts only
 * while time is left and while the objects it may return fit (fetch-cost.ts), waits no longer than
 * the subgraph timeout or the request's deadline (whichever comes first), and adds the objects it
 * returns to the request's count.
 */
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { GraphQLError } from "graphql";
import type { GatewayContext } from "../context.ts";
import type { FetchEstimator } from "./fetch-cost.ts";

export class BudgetedDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    private readonly inner: GraphQLDataSource<GatewayContext>,
    private readonly subgraph: string,
    private readonly timeoutMs: number,
    private readonly estimate: FetchEstimator,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    // Health checks and other fetches outside a client request have no budget.
    const budget = "context" in options ? (options.context as Partial<GatewayContext>).budget : undefined;
    const allowed = Math.min(this.timeoutMs, budget?.remainingMs() ?? Infinity);
    budget?.admit(this.estimate(options.request));
    const response = await withTimeout(this.inner.process(options), allowed, () => {
      if (budget && allowed < this.timeoutMs) budget.expire();
      throw new GraphQLError(`Subgraph ${this.subgraph} did not answer within ${this.timeoutMs} ms`);
    });
    budget?.count(response.data);
    return response;
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => never): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      try {
        onTimeout();
      } catch (error) {
        reject(error);
      }
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
