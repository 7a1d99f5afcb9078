/**
 * Errors a client can act on carry a typed extensions.code; everything else is internal and is masked
 * in production (logged with the request id instead).
 */
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { ZodError } from "zod";

export const PUBLIC_ERROR_CODES = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "CONFLICT",
  "RATE_LIMITED",
  // Refused by the gateway's limits (gateway/limits): before planning, or past the request's budget.
  "QUERY_TOO_COMPLEX",
  "RESPONSE_TOO_LARGE",
  "DEADLINE_EXCEEDED",
  "PERSISTED_QUERY_HASH_MISMATCH",
  "PERSISTED_QUERY_NOT_IN_MANIFEST",
  "PAYLOAD_TOO_LARGE",
  // Produced by graphql-js / Apollo for malformed operations; safe to show as they are.
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
] as const;
export type PublicErrorCode = (typeof PUBLIC_ERROR_CODES)[number];

const publicCodes = new Set<string>(PUBLIC_ERROR_CODES);

const httpStatus: Partial<Record<PublicErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  RATE_LIMITED: 429,
  QUERY_TOO_COMPLEX: 400,
  PERSISTED_QUERY_HASH_MISMATCH: 400,
};

function typed(code: PublicErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  const status = httpStatus[code];
  return new GraphQLError(message, {
    extensions: { code, ...extra, ...(status ? { http: { status } } : {}) },
  });
}

export const unauthenticated = (message = "Trebuie să fii autentificat.") => typed("UNAUTHENTICATED", message);
export const forbidden = (message = "Nu ai dreptul să faci această operație.") => typed("FORBIDDEN", message);
export const notFound = (what: string) => typed("NOT_FOUND", `${what} nu există.`);
export const conflict = (message: string) => typed("CONFLICT", message);
export const badInput = (message: string, field?: string) =>
  typed("BAD_USER_INPUT", message, field ? { field } : {});

/** Too many requests: `retryAfter` (seconds) goes in extensions and in the Retry-After header. */
export const rateLimited = (retryAfterSeconds: number, message = "Prea multe cereri; încearcă din nou peste puțin timp.") =>
  typed("RATE_LIMITED", `${message} (reîncearcă peste ${retryAfterSeconds} s)`, { retryAfter: retryAfterSeconds });

/** A query refused by one of the gateway's limits, with the measured and the allowed figure. */
export const queryTooComplex = (limit: string, measured: number, allowed: number, message: string) =>
  typed("QUERY_TOO_COMPLEX", message, { limit, measured, allowed });

export const responseTooLarge = (message: string) => typed("RESPONSE_TOO_LARGE", message);
export const deadlineExceeded = (ms: number) =>
  typed("DEADLINE_EXCEEDED", `Cererea a depășit timpul maxim de execuție (${ms} ms); cere mai puține date.`, { allowedMs: ms });

/** One BAD_USER_INPUT error listing every invalid field, so a form can show them all at once. */
export function fromZodError(error: ZodError, prefix?: string): GraphQLError {
  const fields = error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join("."),
    message: issue.message,
  }));
  const summary = fields.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message)).join("; ");
  return typed("BAD_USER_INPUT", summary, { fields });
}

export function isPublicError(error: GraphQLFormattedError): boolean {
  const code = error.extensions?.code;
  return typeof code === "string" && publicCodes.has(code);
}

export const INTERNAL_MESSAGE = "Eroare internă. Încearcă din nou; dacă persistă, trimite-ne requestId.";

/**
 * Production-safe view of an error: public errors pass; anything else becomes a generic message with
 * the request id, so support can find the logged original. Subgraph names and stack traces never leave.
 */
export function maskError(
  error: GraphQLFormattedError,
  opts: { production: boolean; requestId?: string },
): GraphQLFormattedError {
  if (isPublicError(error)) {
    if (!opts.production) return error;
    // `response` is what RemoteGraphQLDataSource attaches to an HTTP failure: a subgraph URL and its body.
    const { serviceName: _s, stacktrace: _t, exception: _e, response: _r, ...extensions } = error.extensions ?? {};
    return { ...error, extensions };
  }
  if (!opts.production) return error;
  return {
    message: INTERNAL_MESSAGE,
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    extensions: { code: "INTERNAL_SERVER_ERROR", ...(opts.requestId ? { requestId: opts.requestId } : {}) },
  };
}
