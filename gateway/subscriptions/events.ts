/**
 * Runs a subscription through the supergraph, the way notes/subscriptions-through-gateway.md found
 * working: the owning subgraph streams the primary fetch's results; each event then goes through
 * @apollo/gateway's own executeQueryPlan with the primary's answer already in hand, so fields owned by
 * other subgraphs (`sender { displayName }`) are fetched, batched and shaped exactly as for a query.
 */
import { executeQueryPlan, type GraphQLDataSource, type ServiceMap } from "@apollo/gateway";
import type { FetchNode } from "@apollo/query-planner";
import type { GatewayGraphQLRequestContext, GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import type { DocumentNode, ExecutionResult, GraphQLFormattedError } from "graphql";
import type { GatewayContext } from "../context.ts";
import { eventQueue } from "./event-queue.ts";
import type { SubscriptionPlans } from "./plans.ts";
import { SharedFetches, VIEWER_INDEPENDENT_FIELDS, type ViewerIndependentFields } from "./shared-fetches.ts";

/** One event of the owning subgraph: the primary fetch's result for it. */
export type PrimaryEvent = GatewayGraphQLResponse;

/** Where the owning subgraph's events come from: in-process (embedded) or over graphql-ws (distributed). */
export interface EventSource {
  /** The event stream, or the subgraph's refusal (not signed in, not a participant) as a result. */
  subscribe(primary: FetchNode, variables: Record<string, unknown>, context: GatewayContext): Promise<AsyncIterator<PrimaryEvent> | PrimaryEvent>;
}

export interface SubscriptionRun {
  document: DocumentNode;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  /** The subscriber's context: who, from where, in what language. */
  context: GatewayContext;
  /** A context for one event's fetches: its own budget and, in each subgraph, its own DataLoaders. */
  eventContext(): GatewayContext;
  onOverflow(): void;
}

export interface SubscriptionSettings {
  /** Events a client may fall behind by before it is dropped (event-queue.ts). */
  maxQueuedEvents: number;
  /** Entity fields whose fetch the subscribers of an event may share (shared-fetches.ts); default VIEWER_INDEPENDENT_FIELDS. */
  viewerIndependentFields?: ViewerIndependentFields;
}

export class SubscriptionExecutor {
  private readonly shared: SharedFetches;

  constructor(
    private readonly plans: SubscriptionPlans,
    private readonly source: EventSource,
    private readonly services: () => ServiceMap,
    private readonly settings: SubscriptionSettings,
  ) {
    this.shared = new SharedFetches(settings.viewerIndependentFields ?? VIEWER_INDEPENDENT_FIELDS);
  }

  async subscribe(run: SubscriptionRun): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const plan = this.plans.plan(run.document, run.operationName);
    const upstream = await this.source.subscribe(plan.primary, pick(run.variables, plan.primary.variableUsages), run.context);
    if (!isIterator(upstream)) return asResult(upstream);
    return eventQueue(upstream, {
      maxQueued: this.settings.maxQueuedEvents,
      onOverflow: run.onOverflow,
      complete: (event) => this.complete(run, plan, event),
    });
  }

  private async complete(run: SubscriptionRun, plan: ReturnType<SubscriptionPlans["plan"]>, event: PrimaryEvent): Promise<ExecutionResult> {
    if (!event.data) return asResult(event);
    const context = run.eventContext();
    const requestContext = {
      request: { query: plan.primary.operation, variables: run.variables, operationName: run.operationName },
      context,
      logger: context.log,
      metrics: {},
    } as unknown as GatewayGraphQLRequestContext<GatewayContext>;
    // The other subgraphs' fetches go through SharedFetches: the subscribers of one event (a message's
    // recipient and its sender's own app) fetch its public entity fields once between them.
    const services = { ...this.shared.services(this.services()), [plan.primary.serviceName]: answered(plan.primary, event, this.services()[plan.primary.serviceName]!) };
    const result = await executeQueryPlan(plan.eventPlan, services, requestContext, plan.operationContext, this.plans.supergraphSchema, this.plans.api);
    // Over its deadline or object cap, an event is that one clear error (as plugins/limits.ts does for HTTP).
    if (context.budget.exceeded) return { data: null, errors: [context.budget.exceeded] };
    return result;
  }
}

/** The primary fetch's service, answering the primary fetch with the event it already has. */
function answered(primary: FetchNode, event: PrimaryEvent, service: GraphQLDataSource): GraphQLDataSource {
  return {
    process: (options) => (options.request.query === primary.operation ? Promise.resolve(event) : service.process(options)),
  };
}

function pick(variables: Record<string, unknown>, names: string[] | undefined): Record<string, unknown> {
  return Object.fromEntries((names ?? []).filter((n) => n in variables).map((n) => [n, variables[n]]));
}

function isIterator<T>(value: AsyncIterator<T> | PrimaryEvent): value is AsyncIterator<T> {
  return typeof (value as AsyncIterator<T>).next === "function";
}

/** A subgraph's refusal, already formatted (localized, internal errors masked), as the client's result. */
function asResult(response: PrimaryEvent): ExecutionResult {
  return { data: response.data ?? null, errors: response.errors as readonly GraphQLFormattedError[] as never };
}
