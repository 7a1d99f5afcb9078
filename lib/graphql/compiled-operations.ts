/**
 * Executes a schema's operations compiled by graphql-jit: each distinct operation is parsed and
 * compiled once into JavaScript that resolves and serializes exactly its selections, instead of
 * graphql-js walking the document on every request. A subgraph behind the gateway sees a small,
 * fixed set of operations (the query planner's fetches), so compiling pays from the second request.
 * An operation graphql-jit cannot compile runs through graphql-js's execute, as before.
 */
import { execute, Kind, OperationTypeNode, parse, type DocumentNode, type ExecutionResult, type GraphQLSchema } from "graphql";
import type { GatewayInterface } from "@apollo/server-gateway-interface";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";

/** Plans are cached per client operation; the cap only guards against unbounded growth from many. */
const MAX_CACHED_OPERATIONS = 1000;

interface Operation {
  document: DocumentNode;
  compiled?: CompiledQuery;
}

export interface OperationRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  contextValue: unknown;
}

export class CompiledOperations {
  private readonly operations = new Map<string, Operation>();

  constructor(private readonly schema: GraphQLSchema) {}

  async execute(request: OperationRequest): Promise<ExecutionResult> {
    const { document, compiled } = this.operation(request.query, request.operationName);
    if (compiled) return compiled.query(undefined, request.contextValue, request.variables ?? {});
    return execute({
      schema: this.schema,
      document,
      variableValues: request.variables,
      operationName: request.operationName,
      contextValue: request.contextValue,
    });
  }

  /** How many of the cached operations run compiled (the rest: graphql-js's execute). */
  get compiledCount(): number {
    let count = 0;
    for (const operation of this.operations.values()) if (operation.compiled) count++;
    return count;
  }

  /** The parsed document alone (subscriptions run through graphql-js's subscribe). */
  document(query: string): DocumentNode {
    return this.operation(query).document;
  }

  private operation(query: string, operationName?: string): Operation {
    const key = operationName ? `${operationName}\n${query}` : query;
    let operation = this.operations.get(key);
    if (!operation) {
      operation = this.compile(query, operationName);
      if (this.operations.size >= MAX_CACHED_OPERATIONS) this.operations.clear();
      this.operations.set(key, operation);
    }
    return operation;
  }

  private compile(query: string, operationName?: string): Operation {
    const document = parse(query);
    // Subscriptions are served by graphql-js's subscribe; only queries and mutations are compiled.
    if (document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === OperationTypeNode.SUBSCRIPTION)) return { document };
    // The stack of an error thrown by a resolver stays on its originalError, which is what we log.
    const compiled = compileQuery(this.schema, document, operationName, { disablingCapturingStackErrors: true });
    return isCompiledQuery(compiled) ? { document, compiled } : { document };
  }
}

/**
 * Apollo Server running a schema's operations compiled: Apollo Server takes its executor from a
 * gateway (GatewayInterface, the extension point @apollo/gateway itself uses), so a subgraph serving
 * on its own keeps Apollo's HTTP handling, validation and error formatting, and executes compiled.
 */
export function compiledExecution(schema: GraphQLSchema, sdl: string): GatewayInterface {
  const operations = new CompiledOperations(schema);
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: sdl });
      return () => {};
    },
    async load() {
      return {
        executor: (request) =>
          operations.execute({
            query: request.source,
            variables: request.request.variables,
            operationName: request.operationName ?? undefined,
            contextValue: request.context,
          }),
      };
    },
    async stop() {},
  };
}
