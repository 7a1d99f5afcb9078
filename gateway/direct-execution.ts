/**
 * Known operations straight to the gateway's executor, past Apollo Server's HTTP layer (issue 11: the
 * gateway's own CPU per uncached request). Apollo's pipeline costs every request its HTTP checks, a
 * HeaderMap of the request, a sha256 of the document and a document-store lookup, two Accept
 * negotiations and a dozen promises before the gateway's executor is called; for a document it has
 * already parsed and validated, none of that decides anything new.
 *
 * What is taken here: a single POST with a JSON body (so Apollo's CSRF rule lets it through), a
 * `query` string without extensions (no persisted-query registration or lookup to reproduce), an
 * operationName and variables of the types Apollo accepts, an Accept header (or none) whose content
 * type Apollo has already chosen once (learned from its answers, so the negotiation is its own), no refused token
 * and not a subgraph's internal query — and a (document, operationName) pair that Apollo itself
 * parsed, validated and resolved to a query since this schema loaded (learned in didResolveOperation,
 * which Apollo reaches only then). Anything else goes through Apollo as before.
 *
 * What still happens, in Apollo's order and with Apollo's own plugin list (so every plugin of
 * gateway.ts and Apollo's implicit ones see the request exactly as Apollo would show it after a
 * document-store hit: requestDidStart, didResolveSource, didResolveOperation — the limits, the
 * allow-list, the 401 of a refused token —, responseForOperation, executionDidStart, the gateway's
 * executor, didEncounterErrors, executionDidEnd, willSendResponse), Apollo's error formatting
 * (formatError: the masking), its status rules, and its serialisation. The HTTP side (status by
 * Accept, response cap, response cache, extra headers) stays in lib/http/apollo-handler.ts for both.
 * tests/gateway-direct-execution.test.ts compares the two paths' answers, errors included.
 */
import type { IncomingMessage } from "node:http";
import {
  HeaderMap,
  type ApolloServer,
  type ApolloServerPlugin,
  type BaseContext,
  type GraphQLRequestListener,
  type HTTPGraphQLRequest,
  type HTTPGraphQLResponse,
} from "@apollo/server";
import { GraphQLError, Kind, type DocumentNode, type GraphQLFormattedError, type OperationDefinitionNode } from "graphql";
import { LRUCache } from "lru-cache";

/** What Apollo Server keeps in its `internals` (@apollo/server 5 ApolloServer.js): the parts this path reads. */
interface ApolloInternals {
  state: { phase: string; landingPage?: unknown; schemaManager?: { getSchemaDerivedData(): { schema: unknown } } };
  plugins: ApolloServerPlugin<BaseContext>[];
  gatewayExecutor: ((requestContext: unknown) => Promise<ExecutionResult>) | null;
  formatError?: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  includeStacktraceInErrorResponses?: boolean;
  status400ForVariableCoercionErrors?: boolean;
  stringifyResult: (value: unknown) => string | Promise<string>;
  dangerouslyDisableValidation?: boolean;
}

interface ApolloServerInternals {
  internals: ApolloInternals;
  logger: unknown;
  cache: unknown;
  errorResponse(error: unknown, requestHead: HTTPGraphQLRequest): Promise<HTTPGraphQLResponse>;
}

interface ExecutionResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLError[];
  extensions?: Record<string, unknown>;
}

/** A document Apollo resolved to a query operation. */
interface Known {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | null;
  queryHash: string;
}

type Head = { status?: number; headers: HeaderMap };

const MAX_KNOWN_DOCUMENTS = 2_000;
const MAX_KNOWN_BYTES = 32_000_000;
const MAX_ACCEPT_VALUES = 64;

export interface DirectExecution<C extends BaseContext> {
  /** Added to Apollo's plugins: learns which documents Apollo resolved. */
  plugin: ApolloServerPlugin<C>;
  /** After apollo.start(). */
  bind(apollo: ApolloServer<C>): void;
  /** Apollo's answer for a request body (to learn the content type it chose for an Accept header). */
  learnContentType(accept: string | undefined, contentType: string | undefined, status: number | undefined): void;
  /** The answer without Apollo's HTTP layer, or undefined when this request must go through Apollo. */
  run(operation: unknown, req: IncomingMessage, url: URL, context: C): Promise<HTTPGraphQLResponse> | undefined;
}

export function createDirectExecution<C extends BaseContext>(options: { eligible: (context: C) => boolean }): DirectExecution<C> {
  let server: ApolloServerInternals | undefined;
  let learnedFor: unknown;
  // Sized by the document's text: its AST (shared with Apollo's document store) is some times larger.
  const known = new LRUCache<string, Known>({ max: MAX_KNOWN_DOCUMENTS, maxSize: MAX_KNOWN_BYTES, sizeCalculation: (_, key) => key.length * 8 + 256 });
  const contentTypes = new Map<string, string>();

  const plugin: ApolloServerPlugin<C> = {
    async requestDidStart({ request, contextValue, requestIsBatched }) {
      if (requestIsBatched || request.http?.method !== "POST" || request.extensions || typeof request.query !== "string") return;
      if (!options.eligible(contextValue)) return;
      return {
        // Apollo reaches this hook only for a document that parsed and validated against its schema.
        async didResolveOperation({ document, operation, operationName, queryHash, schema }) {
          if (operation?.operation !== "query" || !server) return;
          if (learnedFor !== schema) {
            known.clear();
            learnedFor = schema;
          }
          known.set(keyOf(request.operationName, request.query!), { document, operation, operationName, queryHash });
        },
      };
    },
  };

  return {
    plugin,
    bind(apollo) {
      server = apollo as unknown as ApolloServerInternals;
      // A server without validation would resolve documents it never checked.
      if (server.internals.dangerouslyDisableValidation) server = undefined;
    },
    learnContentType(accept, contentType, status) {
      // No Accept and an empty one are the same to Apollo (application/json; charset=utf-8).
      const key = accept ?? "";
      if (!contentType || (status ?? 200) !== 200 || contentTypes.has(key) || contentTypes.size >= MAX_ACCEPT_VALUES) return;
      contentTypes.set(key, contentType);
    },
    run(operation, req, url, context) {
      if (!server || req.method !== "POST" || !isJsonType(req.headers["content-type"])) return undefined;
      if (!operation || typeof operation !== "object" || Array.isArray(operation)) return undefined;
      const { query, operationName, variables, extensions } = operation as Record<string, unknown>;
      if (typeof query !== "string" || extensions != null) return undefined;
      if (operationName != null && typeof operationName !== "string") return undefined;
      if (variables != null && (typeof variables !== "object" || Array.isArray(variables))) return undefined;
      const contentType = contentTypes.get(req.headers.accept ?? "");
      if (!contentType || !options.eligible(context)) return undefined;
      const internals = server.internals;
      // A landing page would answer a request that prefers HTML (Apollo's first check); gateway.ts disables it.
      if (internals.state.phase !== "started" || internals.state.landingPage) return undefined;
      const derived = internals.state.schemaManager?.getSchemaDerivedData();
      if (!derived || derived.schema !== learnedFor || !internals.gatewayExecutor) return undefined;
      const entry = known.get(keyOf(operationName ?? undefined, query));
      if (!entry) return undefined;
      const request = {
        query,
        operationName: operationName ?? undefined,
        variables: (variables ?? undefined) as Record<string, unknown> | undefined,
        extensions: undefined,
        http: { method: "POST", headers: headerMapOf(req), search: url.search, body: operation },
      };
      return execute(server, derived.schema, request, entry, context, contentType);
    },
  };
}

function keyOf(operationName: string | undefined, query: string): string {
  // "" is a name (no operation has it), unlike an absent one: they resolve differently.
  return `${operationName === undefined ? "-" : `n:${operationName}`}\0${query}`;
}

function isJsonType(type: string | undefined): boolean {
  return !!type && type.split(";")[0]!.trim().toLowerCase() === "application/json";
}

function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

type Listener = GraphQLRequestListener<BaseContext>;
type RequestContext = Record<string, unknown> & { response: { http: Head; body?: unknown }; errors?: readonly GraphQLError[] };

/** processGraphQLRequest (@apollo/server 5 requestPipeline.js) from a document-store hit on, and runHttpQuery's end. */
async function execute(
  server: ApolloServerInternals,
  schema: unknown,
  request: { query: string; operationName?: string; variables?: Record<string, unknown>; extensions: undefined; http: HTTPGraphQLRequest },
  entry: Known,
  context: BaseContext,
  contentType: string,
): Promise<HTTPGraphQLResponse> {
  const { internals } = server;
  const requestContext: RequestContext = {
    logger: server.logger,
    cache: server.cache,
    schema,
    request,
    response: { http: { status: undefined, headers: new HeaderMap() } },
    contextValue: Object.assign(Object.create(Object.getPrototypeOf(context) as object) as object, context),
    metrics: {},
    overallCachePolicy: newCachePolicy(),
    requestIsBatched: false,
  };
  try {
    await pipeline(internals, requestContext, entry);
  } catch (maybeError) {
    const error = maybeError instanceof Error ? maybeError : new GraphQLError(`Unexpected error value: ${String(maybeError)}`);
    await Promise.all(internals.plugins.map(async (p) => p.unexpectedErrorProcessingRequest?.({ requestContext: requestContext as never, error })));
    (server.logger as { error(message: string): void }).error(`Unexpected error processing request: ${error}`);
    return server.errorResponse(new Error("Internal server error"), request.http);
  }
  const { http, body } = requestContext.response as { http: Head; body: { singleResult: ExecutionResult & { errors?: GraphQLFormattedError[] } } };
  if (!http.headers.get("content-type")) http.headers.set("content-type", contentType);
  const { errors, data, extensions } = body.singleResult;
  return { status: http.status, headers: http.headers, body: { kind: "complete", string: await internals.stringifyResult({ errors, data, extensions }) } };
}

async function pipeline(internals: ApolloInternals, requestContext: RequestContext, entry: Known): Promise<void> {
  const listeners = (await Promise.all(internals.plugins.map((p) => p.requestDidStart?.(requestContext as never)))).filter((l): l is Listener => !!l);
  const format = (errors: readonly GraphQLError[]) => formatErrors(errors, internals);
  const willSendResponse = () => Promise.all(listeners.map((l) => l.willSendResponse?.(requestContext as never)));
  const didEncounterErrors = (errors: readonly GraphQLError[]) => {
    requestContext.errors = errors;
    return Promise.all(listeners.map((l) => l.didEncounterErrors?.(requestContext as never)));
  };
  const sendErrorResponse = async (errors: readonly GraphQLError[]) => {
    await didEncounterErrors(errors);
    const { formattedErrors, httpFromErrors } = format(errors);
    requestContext.response.body = { kind: "single", singleResult: { errors: formattedErrors } };
    mergeHead(requestContext.response.http, httpFromErrors);
    requestContext.response.http.status ??= 500;
    await willSendResponse();
  };
  const metrics = requestContext.metrics as Record<string, unknown>;
  metrics.persistedQueryHit = false;
  metrics.persistedQueryRegister = false;
  requestContext.queryHash = entry.queryHash;
  requestContext.source = (requestContext.request as { query: string }).query;
  await Promise.all(listeners.map((l) => l.didResolveSource?.(requestContext as never)));
  // A document-store hit: Apollo calls no parsing or validation hooks either.
  requestContext.document = entry.document;
  requestContext.operation = entry.operation;
  requestContext.operationName = entry.operationName;
  try {
    await Promise.all(listeners.map((l) => l.didResolveOperation?.(requestContext as never)));
  } catch (error) {
    return sendErrorResponse([toGraphQLError(error)]);
  }
  for (const listener of listeners) {
    const response = await listener.responseForOperation?.(requestContext as never);
    if (response != null) {
      requestContext.response.body = response.body;
      mergeHead(requestContext.response.http, response.http);
      return void (await willSendResponse());
    }
  }
  const executionListeners = (await Promise.all(listeners.map((l) => l.executionDidStart?.(requestContext as never)))).filter((l) => !!l);
  executionListeners.reverse();
  try {
    const result = await internals.gatewayExecutor!(gatewayRequestContext(requestContext, internals));
    const resultErrors = result.errors?.map((e) => (isBadUserInputGraphQLError(e) && e.extensions?.code == null ? userInputError(e) : e));
    if (resultErrors) await didEncounterErrors(resultErrors);
    const { formattedErrors, httpFromErrors } = resultErrors ? format(resultErrors) : { formattedErrors: undefined, httpFromErrors: { headers: new HeaderMap() } as Head };
    if (internals.status400ForVariableCoercionErrors !== false && resultErrors?.length && result.data === undefined && !httpFromErrors.status) {
      httpFromErrors.status = 400;
    }
    mergeHead(requestContext.response.http, httpFromErrors);
    requestContext.response.body = { kind: "single", singleResult: { ...result, errors: formattedErrors } };
  } catch (maybeError) {
    const error = maybeError instanceof Error ? maybeError : new GraphQLError(`Unexpected error value: ${String(maybeError)}`);
    await Promise.all(executionListeners.map((l) => l.executionDidEnd?.(error)));
    return sendErrorResponse([toGraphQLError(error)]);
  }
  await Promise.all(executionListeners.map((l) => l.executionDidEnd?.()));
  await willSendResponse();
}

/** makeGatewayGraphQLRequestContext (@apollo/server 5): what the gateway's executor and data sources see. */
function gatewayRequestContext(requestContext: RequestContext, internals: ApolloInternals) {
  const request = requestContext.request as { query: string; operationName?: string; variables?: unknown; extensions: undefined; http: HTTPGraphQLRequest };
  const http = requestContext.response.http;
  const search = request.http.search;
  return {
    request: {
      query: request.query,
      operationName: request.operationName,
      variables: request.variables,
      extensions: request.extensions,
      http: {
        method: request.http.method,
        url: `https://unknown-url.invalid/${search !== "" && !search.startsWith("?") ? "?" : ""}${search}`,
        headers: new FetcherHeaders(request.http.headers as HeaderMap),
      },
    },
    response: {
      http: {
        headers: new FetcherHeaders(http.headers),
        get status() {
          return http.status;
        },
        set status(status: number | undefined) {
          http.status = status;
        },
      },
    },
    logger: requestContext.logger,
    schema: requestContext.schema,
    schemaHash: "schemaHash no longer exists since Apollo Server 4",
    context: requestContext.contextValue,
    cache: requestContext.cache,
    queryHash: requestContext.queryHash,
    document: requestContext.document,
    source: requestContext.source,
    operationName: requestContext.operationName,
    operation: requestContext.operation,
    errors: requestContext.errors,
    metrics: requestContext.metrics,
    debug: internals.includeStacktraceInErrorResponses,
    overallCachePolicy: requestContext.overallCachePolicy,
    requestIsBatched: false,
  };
}

/** The Fetch-API Headers view of a HeaderMap that Apollo hands the gateway. */
class FetcherHeaders {
  constructor(private readonly map: HeaderMap) {}
  append(name: string, value: string) {
    this.map.set(name, this.map.has(name) ? `${this.map.get(name)}, ${value}` : value);
  }
  delete(name: string) {
    this.map.delete(name);
  }
  get(name: string) {
    return this.map.get(name) ?? null;
  }
  has(name: string) {
    return this.map.has(name);
  }
  set(name: string, value: string) {
    this.map.set(name, value);
  }
  entries() {
    return this.map.entries();
  }
  keys() {
    return this.map.keys();
  }
  values() {
    return this.map.values();
  }
  [Symbol.iterator]() {
    return this.map.entries();
  }
}

/** newCachePolicy (@apollo/server 5 cachePolicy.js): the request's policy, which subgraph answers restrict. */
function newCachePolicy() {
  return {
    maxAge: undefined as number | undefined,
    scope: undefined as "PUBLIC" | "PRIVATE" | undefined,
    restrict(hint: { maxAge?: number; scope?: "PUBLIC" | "PRIVATE" }) {
      if (hint.maxAge !== undefined && (this.maxAge === undefined || hint.maxAge < this.maxAge)) this.maxAge = hint.maxAge;
      if (hint.scope !== undefined && this.scope !== "PRIVATE") this.scope = hint.scope;
    },
    replace(hint: { maxAge?: number; scope?: "PUBLIC" | "PRIVATE" }) {
      if (hint.maxAge !== undefined) this.maxAge = hint.maxAge;
      if (hint.scope !== undefined) this.scope = hint.scope;
    },
    policyIfCacheable() {
      if (this.maxAge === undefined || this.maxAge === 0) return null;
      return { maxAge: this.maxAge, scope: this.scope ?? "PUBLIC" };
    },
  };
}

function toGraphQLError(maybeError: unknown): GraphQLError {
  const error = maybeError instanceof Error ? maybeError : new GraphQLError(`Unexpected error value: ${String(maybeError)}`);
  return error instanceof GraphQLError ? error : new GraphQLError(error.message, { originalError: error });
}

/** requestPipeline.js isBadUserInputGraphQLError: a variable's coercion error. */
function isBadUserInputGraphQLError(error: GraphQLError): boolean {
  const node = error.nodes?.length === 1 ? error.nodes[0] : undefined;
  if (node?.kind !== Kind.VARIABLE_DEFINITION) return false;
  const name = node.variable.name.value;
  return [`Variable "$${name}" has invalid value`, `Variable "$${name}" got invalid value `, `Variable "$${name}" of required type `, `Variable "$${name}" of non-null type `].some(
    (prefix) => error.message.startsWith(prefix),
  );
}

/** internalErrorClasses.js UserInputError. */
function userInputError(error: GraphQLError): GraphQLError {
  const converted = new GraphQLError(error.message, {
    nodes: error.nodes,
    originalError: error.originalError ?? error,
    extensions: { ...error.extensions, code: "BAD_USER_INPUT" },
  });
  converted.name = "UserInputError";
  return converted;
}

/** errorNormalize.js normalizeAndFormatErrors: formatError (the masking) over each, extensions.http into the head. */
function formatErrors(errors: readonly GraphQLError[], internals: ApolloInternals): { formattedErrors: GraphQLFormattedError[]; httpFromErrors: Head } {
  const httpFromErrors: Head = { status: undefined, headers: new HeaderMap() };
  const formatError = internals.formatError ?? ((formatted: GraphQLFormattedError) => formatted);
  const enrich = (maybeError: unknown): GraphQLFormattedError => {
    const error = toGraphQLError(maybeError);
    const extensions: Record<string, unknown> = { ...error.extensions, code: error.extensions.code ?? "INTERNAL_SERVER_ERROR" };
    if (isPartialHead(extensions.http)) {
      mergeHead(httpFromErrors, { headers: new HeaderMap(), ...(extensions.http as Partial<Head>) });
      delete extensions.http;
    }
    if (internals.includeStacktraceInErrorResponses) extensions.stacktrace = error.stack?.split("\n");
    return { ...error.toJSON(), extensions };
  };
  const formattedErrors = errors.map((error) => {
    try {
      return formatError(enrich(error), error);
    } catch (formattingError) {
      if (internals.includeStacktraceInErrorResponses) return enrich(formattingError);
      return { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } };
    }
  });
  return { formattedErrors, httpFromErrors };
}

function isPartialHead(x: unknown): boolean {
  return (
    !!x &&
    typeof x === "object" &&
    (!("status" in x) || typeof (x as { status: unknown }).status === "number") &&
    (!("headers" in x) || (x as { headers: unknown }).headers instanceof Map)
  );
}

function mergeHead(target: Head, source: Partial<Head>): void {
  if (source.status) target.status = source.status;
  if (source.headers) for (const [name, value] of source.headers) target.headers.set(name, value);
}
