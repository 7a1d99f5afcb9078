/**
 * The cost of one subgraph fetch of a query plan, before it is sent: its operation counted against
 * the subgraph's own schema with the same cost model, `_entities` sized by the representations it
 * carries. What the request's budget admits (budget.ts admit()).
 */
import type { GatewayGraphQLRequest as GraphQLRequest } from "@apollo/server-gateway-interface";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse, type DocumentNode, type GraphQLSchema } from "graphql";
import { costCounter, costEstimator, readCostModel, type CostSettings } from "./cost.ts";

export type FetchEstimator = (request: GraphQLRequest) => number;

/** A plan's fetches are few and fixed per operation; the cap only bounds growth from many operations. */
const MAX_CACHED_DOCUMENTS = 1000;

export function createFetchEstimators(
  subgraphs: { name: string; typeDefs: DocumentNode; schema?: GraphQLSchema }[],
  supergraphSdl: string,
  settings: CostSettings,
): Map<string, FetchEstimator> {
  const model = readCostModel(supergraphSdl);
  const documents = new Map<string, DocumentNode>();
  const documentOf = (query: string) => {
    let document = documents.get(query);
    if (!document) {
      if (documents.size >= MAX_CACHED_DOCUMENTS) documents.clear();
      // No locations: nothing reads them, and a cached document with them keeps all its tokens.
      document = parse(query, { noLocation: true });
      documents.set(query, document);
    }
    return document;
  };
  return new Map(
    subgraphs.map(({ name, typeDefs, schema: served }) => {
      // Only its types and fields are read: the schema the subgraph serves in this process (embedded),
      // else one built without resolvers (distributed: the subgraph runs elsewhere). A second copy of
      // every subgraph schema in an embedded gateway was ~2 MB of heap for its whole life.
      const schema = served ?? buildSubgraphSchema({ typeDefs });
      const count = costCounter(schema, costEstimator(model, settings, schema.getMutationType()?.name));
      const estimate: FetchEstimator = (request) => count(documentOf(request.query ?? ""), request.operationName, request.variables);
      return [name, estimate];
    }),
  );
}
