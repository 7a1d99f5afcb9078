/**
 * One record per HTTP request to /graphql, from its arrival to its last byte (or to the client going
 * away). When the response closes, the record writes the request's one log line — request id,
 * operation, viewer, duration, SQL statements (when counted), outcome and error codes, HTTP status —
 * and feeds the metrics. Never headers, variables or documents: tokens, passwords and e-mail
 * addresses travel there (lib/logger.ts redacts them too, should anything log them).
 *
 * Requests refused before Apollo sees them (the request rate limit, the source limits, a body too
 * large) are recorded too; the gateway hands their error to refused().
 */
import type { ServerResponse } from "node:http";
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse, GraphQLRequestListener } from "@apollo/server";
import type { GraphQLError, GraphQLFormattedError } from "graphql";
import type { Viewer } from "../../lib/context.ts";
import { currentSqlStats, type SqlStats } from "../../lib/db/sql-stats.ts";
import { PUBLIC_ERROR_CODES } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import type { GatewayContext } from "../context.ts";
import { operationName, type GatewayMetrics, type Outcome } from "./metrics.ts";

type Response = GraphQLRequestContextWillSendResponse<GatewayContext>["response"];

/** Errors that mean "a limit said no", counted by which limit. */
const REFUSALS = new Set(["QUERY_TOO_COMPLEX", "RATE_LIMITED", "RESPONSE_TOO_LARGE", "DEADLINE_EXCEEDED", "PAYLOAD_TOO_LARGE"]);
/** Errors the client caused and can act on; any other code (INTERNAL_SERVER_ERROR, unknown) is ours. */
const CLIENT_ERRORS = new Set<string>(PUBLIC_ERROR_CODES.filter((code) => !REFUSALS.has(code)));

const SEVERITY: Record<Outcome, number> = { ok: 0, aborted: 1, client_error: 2, refused: 3, server_error: 4 };

function outcomeOf(code: string): Outcome {
  if (REFUSALS.has(code)) return "refused";
  return CLIENT_ERRORS.has(code) ? "client_error" : "server_error";
}

/** Which limit refused: QUERY_TOO_COMPLEX names it; a rate limit is the gateway's request budget, the mutation budget, or a field's own (signIn). */
function limitOf(error: GraphQLFormattedError, code: string, beforeApollo: boolean): string {
  switch (code) {
    case "QUERY_TOO_COMPLEX":
      return typeof error.extensions?.limit === "string" ? error.extensions.limit : "unknown";
    case "RATE_LIMITED":
      if (beforeApollo) return "requests";
      return error.path?.length ? String(error.path[0]) : "mutations";
    case "RESPONSE_TOO_LARGE":
      return "objects";
    case "DEADLINE_EXCEEDED":
      return "deadline";
    default:
      return "bodyBytes";
  }
}

/** What a request answered without Apollo, from its status (when the gateway did not say why). */
function statusError(status: number): GraphQLFormattedError | undefined {
  if (status < 400) return undefined;
  const code = status === 413 ? "PAYLOAD_TOO_LARGE" : status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST";
  return { message: "", extensions: { code } };
}

/**
 * Where a context keeps its record. A property, not a WeakMap keyed by the context: Apollo hands each
 * operation a shallow copy of the context (Object.assign, which copies symbol-keyed properties too).
 */
const OBSERVATION = Symbol("observation");
type Observed = GatewayContext & { [OBSERVATION]?: RequestObservation };

interface Answer {
  operation: string;
  response: Response;
}

const listener: GraphQLRequestListener<GatewayContext> = {
  async willSendResponse(requestContext) {
    (requestContext.contextValue as Observed)[OBSERVATION]?.answered(requestContext);
  },
};

export class RequestObserver {
  /** Finds each operation's record through its context; one listener object for every request. */
  readonly plugin: ApolloServerPlugin<GatewayContext> = { requestDidStart: async () => listener };

  constructor(
    readonly log: Logger,
    readonly metrics: GatewayMetrics,
  ) {}

  /** Starts the record of a request; it ends itself when the response closes. */
  begin(res: ServerResponse, requestId: string): RequestObservation {
    const observation = new RequestObservation(this, res, requestId);
    this.metrics.requestStarted();
    res.once("close", () => observation.end());
    return observation;
  }
}

export class RequestObservation {
  private readonly start = performance.now();
  private userId?: string;
  private refusal?: GraphQLFormattedError;
  private sql?: SqlStats;
  private first?: Answer;
  /** The other operations of a batched request. */
  private more?: Answer[];
  /** The operation answered from the response cache. */
  private hit?: string;

  constructor(
    private readonly observer: RequestObserver,
    private readonly res: ServerResponse,
    private readonly requestId: string,
  ) {}

  /** The request's context: Apollo's hooks find this record through it. */
  link(context: GatewayContext): void {
    this.userId = context.viewer?.userId;
    (context as Observed)[OBSERVATION] = this;
  }

  /** Notes a refusal answered before Apollo (rate limit, source limits) and hands the error on. */
  refused<E extends GraphQLError | undefined>(error: E, viewer?: Viewer | null): E {
    if (error) this.refusal = { message: error.message, path: error.path, extensions: error.extensions };
    if (viewer) this.userId = viewer.userId;
    return error;
  }

  /** Answered from the response cache: no Apollo hook runs, so the record learns the operation here. */
  cached(operation: string): void {
    this.hit = operationName(operation);
  }

  answered(requestContext: GraphQLRequestContextWillSendResponse<GatewayContext>): void {
    // Read when the response closes, so that whatever later hooks do to the answer is what counts.
    const answer = { operation: operationName(requestContext.operationName ?? requestContext.request.operationName), response: requestContext.response };
    this.sql ??= currentSqlStats();
    if (!this.first) this.first = answer;
    else (this.more ??= []).push(answer);
  }

  end(): void {
    const { metrics, log } = this.observer;
    metrics.requestEnded();
    const seconds = (performance.now() - this.start) / 1000;
    const aborted = !this.res.writableFinished;
    const codes: string[] = [];
    let outcome: Outcome;
    let operation: string | undefined;
    if (this.first) {
      outcome = this.record(this.first, seconds, aborted, codes);
      operation = this.first.operation;
      for (const answer of this.more ?? []) {
        const next = this.record(answer, seconds, aborted, codes);
        if (SEVERITY[next] > SEVERITY[outcome]) outcome = next;
        operation += `,${answer.operation}`;
      }
    } else {
      const error = this.refusal ?? statusError(this.res.statusCode);
      outcome = aborted ? "aborted" : error ? this.count([error], true, codes) : "ok";
      operation = this.hit;
      metrics.observeRequest(this.hit ?? "unknown", outcome, seconds);
    }
    log.info(
      {
        requestId: this.requestId,
        operation,
        userId: this.userId,
        status: this.res.statusCode,
        outcome,
        codes: codes.length ? codes : undefined,
        durationMs: Math.round(seconds * 10_000) / 10,
        sqlStatements: this.sql?.statements,
        cache: this.hit ? "hit" : undefined,
      },
      "request",
    );
  }

  private record(answer: Answer, seconds: number, aborted: boolean, codes: string[]): Outcome {
    const body = answer.response.body;
    const errors = body.kind === "single" ? body.singleResult.errors : undefined;
    const counted = errors?.length ? this.count(errors, false, codes) : "ok";
    const outcome = aborted ? "aborted" : counted;
    this.observer.metrics.observeRequest(answer.operation, outcome, seconds);
    return outcome;
  }

  /** Counts errors by code and refusals by limit; adds new codes to `codes`; returns the worst outcome. */
  private count(errors: readonly GraphQLFormattedError[], beforeApollo: boolean, codes: string[]): Outcome {
    const { metrics } = this.observer;
    let worst: Outcome = "ok";
    for (const error of errors) {
      const raw = error.extensions?.code;
      const code = typeof raw === "string" ? raw : "INTERNAL_SERVER_ERROR";
      metrics.observeError(code);
      if (REFUSALS.has(code)) metrics.observeRefusal(code, limitOf(error, code, beforeApollo));
      const outcome = outcomeOf(code);
      if (SEVERITY[outcome] > SEVERITY[worst]) worst = outcome;
      if (!codes.includes(code)) codes.push(code);
    }
    return worst;
  }
}
