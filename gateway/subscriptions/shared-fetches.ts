/**
 * One fetch for the subscribers of one event, where what it asks is the same for whoever asks.
 *
 * Each subscriber's event runs its own query plan with its own context (its viewer, its DataLoaders):
 * a chat message reaches its recipient and its sender's own app, and both plans then ask the users
 * subgraph for the same `_entities { ... on User { displayName } }` of the same sender — a subgraph
 * execution and an SQL statement each (the subscriptions benchmark counted them). Here a fetch that
 * asks only for fields every viewer sees the same (VIEWER_INDEPENDENT_FIELDS) is shared while it is in
 * flight: a second identical fetch (same subgraph, operation and variables) waits for the first and
 * gets a copy of its answer. Nothing is kept once the fetch has answered, so no value is older than
 * the event asking for it; a fetch that answered with errors is not shared (the waiter fetches on its
 * own, under its own budget and language). Everything else goes straight to the subgraph.
 */
import type { GraphQLDataSource, ServiceMap } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { Kind, parse, type SelectionSetNode } from "graphql";
import type { GatewayContext } from "../context.ts";

/** Type name → fields whose value does not depend on who asks (no viewer check, no per-viewer shape). */
export type ViewerIndependentFields = Readonly<Record<string, readonly string[]>>;

/**
 * Checked by tests/chat-shared-fields.test.ts against the users subgraph (anonymous, the user, another
 * user and an admin read the same values). email, phone, showPhone and role are the user's own and
 * admins'; location goes through a visibility rule: none of those may be listed here.
 */
export const VIEWER_INDEPENDENT_FIELDS: ViewerIndependentFields = {
  User: ["id", "displayName", "memberSince"],
};

const MAX_CACHED_OPERATIONS = 1000;

export class SharedFetches {
  /** Fetches in flight: key → the answer as JSON (undefined: not to be shared). */
  private readonly inFlight = new Map<string, Promise<string | undefined>>();
  private readonly shareable = new Map<string, boolean>();
  private readonly wrapped = new WeakMap<GraphQLDataSource, GraphQLDataSource>();
  private readonly fields: Map<string, Set<string>>;

  constructor(fields: ViewerIndependentFields) {
    this.fields = new Map(Object.entries(fields).map(([type, names]) => [type, new Set(names)]));
  }

  /** The services, each fetching through this. */
  services(services: ServiceMap): ServiceMap {
    const out: ServiceMap = Object.create(null);
    for (const [name, service] of Object.entries(services)) {
      let wrapped = this.wrapped.get(service);
      if (!wrapped) this.wrapped.set(service, (wrapped = this.wrap(name, service)));
      out[name] = wrapped;
    }
    return out;
  }

  private wrap(name: string, service: GraphQLDataSource): GraphQLDataSource {
    return {
      process: async (options) => {
        const query = options.request.query;
        if (!query || !this.isShareable(query)) return service.process(options);
        const key = `${name}\n${options.request.operationName ?? ""}\n${query}\n${JSON.stringify(options.request.variables ?? {})}`;
        const budget = "context" in options ? (options.context as Partial<GatewayContext>).budget : undefined;
        const pending = this.inFlight.get(key);
        if (pending && !budget?.exceeded) {
          const answer = await pending;
          if (answer !== undefined) {
            const response = JSON.parse(answer) as GatewayGraphQLResponse;
            budget?.count(response.data);
            return response;
          }
          return service.process(options);
        }
        const started = service.process(options);
        // Taken before the first subscriber's plan goes on with the answer (and may merge into it).
        const snapshot = started.then(
          (response) => (response.errors?.length ? undefined : JSON.stringify(response)),
          () => undefined,
        );
        this.inFlight.set(key, snapshot);
        void snapshot.then(() => {
          if (this.inFlight.get(key) === snapshot) this.inFlight.delete(key);
        });
        return started;
      },
    };
  }

  /** `_entities` of listed types asking for listed leaf fields only (and __typename). */
  private isShareable(query: string): boolean {
    let known = this.shareable.get(query);
    if (known === undefined) {
      known = this.check(query);
      if (this.shareable.size >= MAX_CACHED_OPERATIONS) this.shareable.clear();
      this.shareable.set(query, known);
    }
    return known;
  }

  private check(query: string): boolean {
    let document;
    try {
      document = parse(query);
    } catch {
      return false;
    }
    if (document.definitions.length !== 1) return false;
    const operation = document.definitions[0]!;
    if (operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== "query" || operation.directives?.length) return false;
    const roots = operation.selectionSet.selections;
    if (roots.length !== 1) return false;
    const root = roots[0]!;
    if (root.kind !== Kind.FIELD || root.name.value !== "_entities" || root.alias || root.directives?.length || !root.selectionSet) return false;
    return this.entitySelections(root.selectionSet);
  }

  private entitySelections(selectionSet: SelectionSetNode): boolean {
    return selectionSet.selections.every((selection) => {
      if (selection.kind === Kind.FIELD) return isPlainLeaf(selection) && selection.name.value === "__typename";
      if (selection.kind !== Kind.INLINE_FRAGMENT || selection.directives?.length || !selection.typeCondition) return false;
      const allowed = this.fields.get(selection.typeCondition.name.value);
      return (
        !!allowed &&
        selection.selectionSet.selections.every(
          (field) => field.kind === Kind.FIELD && isPlainLeaf(field) && (field.name.value === "__typename" || allowed.has(field.name.value)),
        )
      );
    });
  }
}

function isPlainLeaf(field: { arguments?: readonly unknown[]; directives?: readonly unknown[]; selectionSet?: unknown }): boolean {
  return !field.arguments?.length && !field.directives?.length && !field.selectionSet;
}
