/**
 * Query plans of subscription operations. @apollo/gateway plans them (a `Subscription` node: the
 * `primary` fetch to the subgraph that owns the root field, and the `rest` of the plan for fields
 * other subgraphs own) but refuses to run them; gateway/subscriptions/events.ts runs them. Plans are
 * cached per parsed document and operation name, as the gateway caches its own.
 */
import { buildOperationContext } from "@apollo/gateway";
import { operationFromDocument, Supergraph, type Schema } from "@apollo/federation-internals";
import { QueryPlanner, type FetchNode, type PlanNode } from "@apollo/query-planner";
import type { DocumentNode, GraphQLSchema } from "graphql";

type OperationContext = ReturnType<typeof buildOperationContext>;

export interface SubscriptionPlan {
  primary: FetchNode;
  /** The fetches that complete each event: the primary, then the rest, as one query plan. */
  eventPlan: { kind: "QueryPlan"; node: PlanNode };
  operationContext: OperationContext;
}

export class SubscriptionPlans {
  readonly apiSchema: GraphQLSchema;
  readonly api: Schema;
  private readonly supergraph: Supergraph;
  /**
   * Built at the first subscription, not at start: the gateway's own planner cannot plan
   * subscriptions, so this is a second one over the same supergraph (1.5 MB of heap, plus 0.9 MB for
   * the supergraph as a graphql-js schema), which a process nobody subscribes to never needs.
   */
  private execution: { planner: QueryPlanner; supergraphSchema: GraphQLSchema } | undefined;
  private readonly cache = new WeakMap<DocumentNode, Map<string, SubscriptionPlan>>();

  constructor(supergraphSdl: string) {
    this.supergraph = Supergraph.build(supergraphSdl);
    this.api = this.supergraph.apiSchema();
    this.apiSchema = this.api.toGraphQLJSSchema();
  }

  /** The supergraph as a graphql-js schema, for executeQueryPlan. */
  get supergraphSchema(): GraphQLSchema {
    return this.executionParts().supergraphSchema;
  }

  private executionParts() {
    return (this.execution ??= { planner: new QueryPlanner(this.supergraph), supergraphSchema: this.supergraph.schema.toGraphQLJSSchema() });
  }

  /** The plan of a validated subscription operation. */
  plan(document: DocumentNode, operationName: string | undefined): SubscriptionPlan {
    let plans = this.cache.get(document);
    if (!plans) this.cache.set(document, (plans = new Map()));
    const key = operationName ?? "";
    let plan = plans.get(key);
    if (!plan) {
      plan = this.build(document, operationName);
      plans.set(key, plan);
    }
    return plan;
  }

  private build(document: DocumentNode, operationName: string | undefined): SubscriptionPlan {
    const operation = operationFromDocument(this.api, document, { operationName });
    const { node } = this.executionParts().planner.buildQueryPlan(operation);
    if (node?.kind !== "Subscription") throw new Error("Not a subscription operation's plan.");
    const eventNode: PlanNode = node.rest ? { kind: "Sequence", nodes: [node.primary, node.rest] } : node.primary;
    return {
      primary: node.primary,
      eventPlan: { kind: "QueryPlan", node: eventNode },
      operationContext: buildOperationContext({ schema: this.apiSchema, operationDocument: document, operationName }),
    };
  }
}
