/**
 * Where the subgraphs are: in this process (embedded) or behind URLs (distributed). Either way the
 * gateway gets a supergraph and one data source per subgraph; the rest of it does not know which.
 */
import type { GraphQLDataSource } from "@apollo/gateway";
import { GATEWAY_SECRET_HEADER } from "../lib/auth/subgraph-secret.ts";
import type { Config } from "../lib/env.ts";
import { SubgraphDataSource } from "../lib/http/subgraph-data-source.ts";
import { MAX_PAGE_SIZE } from "../lib/graphql/pagination.ts";
import type { Subgraph, SubgraphDeps } from "../lib/subgraph.ts";
import { SUBGRAPHS, type SubgraphName } from "../subgraphs/index.ts";
import { composeSupergraph } from "./compose.ts";
import type { GatewayContext } from "./context.ts";
import { InProcessDataSource } from "./in-process-data-source.ts";
import { BudgetedDataSource } from "./limits/budgeted-data-source.ts";
import type { EventSource } from "./subscriptions/events.ts";
import { inProcessEvents } from "./subscriptions/in-process-events.ts";
import { remoteEvents } from "./subscriptions/remote-events.ts";
import type { CostSettings } from "./limits/cost.ts";
import { createFetchEstimators } from "./limits/fetch-cost.ts";

export interface Topology {
  supergraphSdl: string;
  buildService(name: string, url?: string): GraphQLDataSource<GatewayContext>;
  /** Subgraphs this process runs (and must stop); none in distributed mode. */
  subgraphs: Subgraph[];
  /** Where subscriptions' events come from: the owning subgraph, in this process or over graphql-ws. */
  events: EventSource & { close?(): Promise<void> };
}

export async function embedded(deps: SubgraphDeps): Promise<Topology> {
  const { config } = deps;
  const subgraphs = Object.values(SUBGRAPHS).map((entry) => entry.create(deps));
  for (const subgraph of subgraphs) await subgraph.start?.();
  const byName = new Map(subgraphs.map((s) => [s.name, s]));
  const supergraphSdl = composeSupergraph(subgraphs);
  const estimators = createFetchEstimators(subgraphs, supergraphSdl, costSettings(config));
  return {
    subgraphs,
    supergraphSdl,
    events: inProcessEvents(subgraphs),
    buildService: (name) =>
      new BudgetedDataSource(new InProcessDataSource(byName.get(name)!), name, config.SUBGRAPH_TIMEOUT_MS, estimators.get(name)!),
  };
}

export function distributed(config: Config, urls: Record<string, string>, gatewaySecret: string): Topology {
  const names = Object.keys(SUBGRAPHS) as SubgraphName[];
  const missing = names.filter((name) => !urls[name]);
  if (missing.length) throw new Error(`SUBGRAPH_URLS has no URL for: ${missing.join(", ")}`);
  const timeout = config.SUBGRAPH_TIMEOUT_MS;
  const subgraphs = names.map((name) => ({ name, typeDefs: SUBGRAPHS[name].typeDefs, url: urls[name] }));
  const supergraphSdl = composeSupergraph(subgraphs);
  const estimators = createFetchEstimators(subgraphs, supergraphSdl, costSettings(config));
  return {
    subgraphs: [],
    supergraphSdl,
    events: remoteEvents(urls, gatewaySecret),
    buildService: (name, url) => new BudgetedDataSource(remote(url!), name, timeout, estimators.get(name)!),
  };

  function remote(url: string) {
    return new SubgraphDataSource<GatewayContext>({
      url,
      timeoutMs: timeout,
      headers(context) {
        const headers: Record<string, string> = { [GATEWAY_SECRET_HEADER]: gatewaySecret };
        if (!context) return headers;
        headers["x-request-id"] = context.requestId;
        if (context.userAgent) headers["x-client-user-agent"] = context.userAgent;
        if (context.clientIp) headers["x-client-ip"] = context.clientIp;
        // The language the gateway settled on, as a header any subgraph server reads (lib/i18n.ts).
        headers["accept-language"] = context.locale;
        if (context.authorization) headers.authorization = `Bearer ${context.authorization}`;
        return headers;
      },
    });
  }
}

export function costSettings(config: Config): CostSettings {
  return { defaultListSize: config.DEFAULT_LIST_SIZE, maxPageSize: MAX_PAGE_SIZE };
}

