/**
 * Errors a client can act on carry a typed extensions.code; everything else is internal and is masked
 * in production (logged with the request id instead).
 */
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { z } from "zod";
import { LOCALES, type Locale, type Localized } from "./i18n.ts";

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
  // Busy for now (POST /uploads when the image workers' queue is full): retry after extensions.retryAfter.
  "SERVICE_UNAVAILABLE",
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
/**
 * A refused input value, as a client reads it: which field, a machine-readable reason, and a message
 * for people. A form marks every bad field from one BAD_USER_INPUT error.
 */
export function badInput(message: string | Localized, field?: string, reason: InputReason = "INVALID"): GraphQLError {
  const text = typeof message === "string" ? { ro: message, en: message } : message;
  // Without a field it may be graphql-js's message for a variable (the gateway's cost check meets those first).
  const problem = field === undefined && typeof message === "string" ? variableProblem(message) : undefined;
  return invalidInput([{ field: field ?? "", reason, ...problem, message: text }]);
}

/** Too many requests: `retryAfter` (seconds) goes in extensions and in the Retry-After header. */
export const rateLimited = (retryAfterSeconds: number, message = "Prea multe cereri; încearcă din nou peste puțin timp.") =>
  typed("RATE_LIMITED", `${message} (reîncearcă peste ${retryAfterSeconds} s)`, { retryAfter: retryAfterSeconds });

/** A query refused by one of the gateway's limits, with the measured and the allowed figure. */
export const queryTooComplex = (limit: string, measured: number, allowed: number, message: string) =>
  typed("QUERY_TOO_COMPLEX", message, { limit, measured, allowed });

export const responseTooLarge = (message: string) => typed("RESPONSE_TOO_LARGE", message);
export const deadlineExceeded = (ms: number) =>
  typed("DEADLINE_EXCEEDED", `Cererea a depășit timpul maxim de execuție (${ms} ms); cere mai puține date.`, { allowedMs: ms });

// ---- input errors (BAD_USER_INPUT) ---------------------------------------------------------------
//
// One shape for every refused input: extensions.fields = [{ field, reason, message }], every problem
// of the request at once. `field` is the input path ("title", "price.amount", "attributes.year",
// "filter.county"; "" when the problem is not one field's), `reason` one of INPUT_REASONS, `message`
// in the request's language. The top-level message is a short summary.

/** Why a value was refused: stable codes to branch on (the README lists them). */
export const INPUT_REASONS = {
  REQUIRED: "missing or empty",
  TOO_SHORT: "text shorter than the minimum (visible characters count)",
  TOO_LONG: "text longer than the maximum",
  INVALID_FORMAT: "not the expected type or form: an e-mail, a phone number, a whole number, a JSON object, a cursor",
  INVALID_CHARACTERS: "holds characters that cannot be stored or would mislead: NUL, broken Unicode, bidi controls",
  OUT_OF_RANGE: "a number outside its bounds",
  NOT_FOUND: "names something that does not exist: a category, county, city, attribute, seller",
  NOT_ALLOWED: "exists but is not accepted here: a category with subcategories, an option not offered, your own listing",
  CONTAINS_CONTACT: "listing text with a phone number or an e-mail address",
  TOO_MANY_CAPITALS: "more than half of the letters are capitals",
  WEAK_PASSWORD: "a commonly used password, or one made of the e-mail or the name",
  INCORRECT: "does not match what we have: the current password",
  INVALID: "refused for another reason: the message says which",
} as const;
export type InputReason = keyof typeof INPUT_REASONS;

/** Why one value is refused, in every language. */
export interface Problem {
  reason: InputReason;
  message: Localized;
}

/** A refused value of a request: a Problem on a field. */
export interface InputProblem extends Problem {
  field: string;
}

/** One entry of extensions.fields, as clients receive it. */
export interface FieldError {
  field: string;
  reason: InputReason;
  message: string;
}

/**
 * Every language's rendering of an input error rides on its extensions under this key until the
 * subgraph answers, where localizeError keeps the request's. A symbol: never serialised, so an error
 * that misses that step still answers in Romanian and carries nothing extra.
 */
const RENDERINGS = Symbol("input error renderings");
type Renderings = Record<Locale, { message: string; fields: FieldError[] }>;

/** One BAD_USER_INPUT error naming every problem, so a form can mark every bad field at once. */
export function invalidInput(problems: readonly InputProblem[]): GraphQLError {
  if (problems.length === 0) throw new Error("invalidInput needs at least one problem");
  const renderings = Object.fromEntries(LOCALES.map((locale) => [locale, render(problems, locale)])) as Renderings;
  return typed("BAD_USER_INPUT", renderings.ro.message, { fields: renderings.ro.fields, [RENDERINGS]: renderings });
}

const MAX_SUMMARY_FIELDS = 5;

function render(problems: readonly InputProblem[], locale: Locale): Renderings[Locale] {
  const fields = problems.map((p) => ({ field: p.field, reason: p.reason, message: p.message[locale] }));
  if (fields.length === 1) return { message: fields[0]!.message, fields };
  const names = [...new Set(fields.map((f) => f.field || "input"))];
  const listed = names.slice(0, MAX_SUMMARY_FIELDS).join(", ") + (names.length > MAX_SUMMARY_FIELDS ? ", …" : "");
  const n = fields.length;
  // Romanian: "5 probleme", "20 de probleme" (20–99 and round hundreds take "de").
  const ro = `Datele trimise au ${n}${n >= 20 && (n % 100 === 0 || n % 100 >= 20) ? " de" : ""} probleme: ${listed}.`;
  return { message: locale === "ro" ? ro : `The input has ${n} problems: ${listed}.`, fields };
}

/** The request's language for an input error's messages; any other error is returned as it is. */
export function localizeError(error: GraphQLFormattedError, locale: Locale): GraphQLFormattedError {
  const extensions = error.extensions as (Record<PropertyKey, unknown> & { [RENDERINGS]?: Renderings }) | undefined;
  const renderings = extensions?.[RENDERINGS];
  if (!renderings) return error;
  const { [RENDERINGS]: _all, ...rest } = extensions;
  const { message, fields } = renderings[locale];
  return { ...error, message, extensions: { ...rest, fields } };
}

/** Collects the problems of one request's input, to refuse it once with all of them. */
export class InputProblems {
  readonly list: InputProblem[] = [];

  add(field: string, problem: Problem | undefined): void {
    if (problem) this.list.push({ field, reason: problem.reason, message: problem.message });
  }

  addAll(problems: readonly InputProblem[]): void {
    this.list.push(...problems);
  }

  has(field: string): boolean {
    return this.list.some((p) => p.field === field || p.field.startsWith(`${field}.`));
  }

  /** The schema's output for `value`, or undefined with its issues recorded on `field` (and below). */
  parse<T extends z.ZodType>(field: string, schema: T, value: unknown): z.output<T> | undefined {
    // reportInput: the issues keep the value, so a missing one reads REQUIRED rather than a wrong type.
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data;
    this.addAll(problemsFromZod(result.error, field));
    return undefined;
  }

  /** Throws the request's BAD_USER_INPUT if anything was recorded. */
  throwIfAny(): void {
    if (this.list.length) throw invalidInput(this.list);
  }
}

/**
 * Records a problem in a zod refinement or transform: its reason and every language's message travel
 * in the issue's params, where problemsFromZod reads them.
 */
export function addProblem(ctx: Pick<z.core.$RefinementCtx, "addIssue">, problem: Problem, input?: unknown): void {
  const { reason, message } = problem;
  ctx.addIssue({ code: "custom", message: message.ro, params: { problem: { reason, message } }, input });
}

/**
 * A zod error's issues as problems on `prefix` + their path. The schemas report their rules with
 * addProblem; an issue zod raised itself (a value of the wrong type, which the GraphQL types usually
 * stop first) gets a reason from its code and a generic message.
 */
export function problemsFromZod(error: z.ZodError, prefix?: string): InputProblem[] {
  return error.issues.map((issue) => {
    const field = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    const problem = (issue.code === "custom" ? (issue.params?.problem as Problem | undefined) : undefined) ?? zodProblem(issue);
    return { field, reason: problem.reason, message: problem.message };
  });
}

function zodProblem(issue: z.core.$ZodIssue): Problem {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined || issue.input === null
        ? { reason: "REQUIRED", message: { ro: "Câmpul este obligatoriu.", en: "This field is required." } }
        : { reason: "INVALID_FORMAT", message: { ro: `Se așteaptă o valoare de tip ${issue.expected}.`, en: `Expected a value of type ${issue.expected}.` } };
    case "too_small":
    case "too_big": {
      const text = issue.origin === "string";
      const small = issue.code === "too_small";
      return {
        reason: text ? (small ? "TOO_SHORT" : "TOO_LONG") : "OUT_OF_RANGE",
        message: small
          ? { ro: `Valoarea este sub minimul de ${String(issue.minimum)}.`, en: `The value is below the minimum of ${String(issue.minimum)}.` }
          : { ro: `Valoarea depășește maximul de ${String(issue.maximum)}.`, en: `The value is above the maximum of ${String(issue.maximum)}.` },
      };
    }
    case "invalid_format":
      return { reason: "INVALID_FORMAT", message: { ro: "Valoarea nu are forma cerută.", en: "The value is not in the expected form." } };
    case "invalid_value":
      return { reason: "NOT_ALLOWED", message: { ro: "Valoarea nu este una dintre cele permise.", en: "The value is not one of those allowed." } };
    case "unrecognized_keys":
      return { reason: "NOT_FOUND", message: { ro: `Câmpuri necunoscute: ${issue.keys.join(", ")}.`, en: `Unknown fields: ${issue.keys.join(", ")}.` } };
    default:
      return { reason: "INVALID", message: { ro: "Valoarea nu este validă.", en: "The value is not valid." } };
  }
}

/**
 * graphql-js's message for a variable that does not fit its type ('Variable "$input" got invalid value
 * -1 at "input.price.amount"; …') or a required one not given, as a problem: the field is the path as
 * the client named its variables. Undefined for any other message.
 */
function variableProblem(message: string): Omit<InputProblem, "message"> | undefined {
  const variable = /^Variable "\$([^"]+)"/.exec(message);
  if (!variable) return undefined;
  const at = /^Variable "\$[^"]+" got invalid value .*? at "([^"]+)";/s.exec(message);
  return { field: at?.[1] ?? variable[1]!, reason: /was not provided|must not be null/.test(message) ? "REQUIRED" : "INVALID_FORMAT" };
}

/** The fields shape for a BAD_USER_INPUT that graphql-js or Apollo raised with a message only. */
function withFields(error: GraphQLFormattedError): GraphQLFormattedError {
  if (error.extensions?.code !== "BAD_USER_INPUT" || Array.isArray(error.extensions.fields)) return error;
  const { field, reason } = variableProblem(error.message) ?? { field: "", reason: "INVALID" };
  return { ...error, extensions: { ...error.extensions, fields: [{ field, reason, message: error.message }] } };
}

export function isPublicError(error: GraphQLFormattedError): boolean {
  const code = error.extensions?.code;
  return typeof code === "string" && publicCodes.has(code);
}

export const INTERNAL_MESSAGE = "Eroare internă. Încearcă din nou; dacă persistă, trimite-ne requestId.";

/**
 * What a client may see of an error. Public errors pass, in the fields shape when they are input
 * errors, without a stack trace in any mode: they are the client's to act on, and their stack is only
 * the gateway's own (a 401 or a refused title is not a bug). Anything else is internal: in production
 * a generic message with the request id, so support can find the logged original; in development it
 * stays as it is, stack trace included. Subgraph names and stack traces never leave in production.
 */
export function maskError(
  error: GraphQLFormattedError,
  opts: { production: boolean; requestId?: string },
): GraphQLFormattedError {
  if (isPublicError(error)) {
    const shaped = withFields(error);
    // `response` is what RemoteGraphQLDataSource attaches to an HTTP failure: a subgraph URL and its body.
    const { stacktrace: _t, ...kept } = shaped.extensions ?? {};
    if (!opts.production) return "stacktrace" in (shaped.extensions ?? {}) ? { ...shaped, extensions: kept } : shaped;
    const { serviceName: _s, exception: _e, response: _r, ...extensions } = kept;
    return { ...shaped, extensions };
  }
  if (!opts.production) return error;
  return {
    message: INTERNAL_MESSAGE,
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    extensions: { code: "INTERNAL_SERVER_ERROR", ...(opts.requestId ? { requestId: opts.requestId } : {}) },
  };
}
