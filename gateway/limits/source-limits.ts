/**
 * Checks on a request's raw operations before anything parses them: the batch length, the document's
 * size and its token count, and an automatic-persisted-query hash that does not match its document.
 * Cheap by design: a refused document costs a length check or one lexer pass, never an AST.
 */
import crypto from "node:crypto";
import { GraphQLError, Lexer, Source, TokenKind } from "graphql";
import { PUBLIC_ERROR_CODES } from "../../lib/errors.ts";
import { refusal } from "./operation-limits.ts";

export interface SourceLimitSettings {
  maxDocumentBytes: number;
  maxTokens: number;
  /** 0: batched requests are refused. */
  maxBatch: number;
}

interface RawOperation {
  query?: unknown;
  extensions?: { persistedQuery?: { sha256Hash?: unknown } };
}

const hashMismatch = () =>
  new GraphQLError("Hash-ul persistedQuery nu corespunde documentului trimis.", {
    extensions: { code: "PERSISTED_QUERY_HASH_MISMATCH" satisfies (typeof PUBLIC_ERROR_CODES)[number], http: { status: 400 } },
  });

export function checkSources(body: unknown, settings: SourceLimitSettings): GraphQLError | undefined {
  if (Array.isArray(body)) {
    if (settings.maxBatch === 0) return batchRefusal("Cererile grupate (un tablou de operații) nu sunt acceptate.");
    if (body.length > settings.maxBatch) return batchRefusal(`Cel mult ${settings.maxBatch} operații într-o cerere grupată.`);
    for (const operation of body) {
      const refused = checkOperation(operation as RawOperation, settings);
      if (refused) return refused;
    }
    return undefined;
  }
  return body && typeof body === "object" ? checkOperation(body as RawOperation, settings) : undefined;
}

export function checkOperation(operation: RawOperation, settings: SourceLimitSettings): GraphQLError | undefined {
  if (typeof operation.query !== "string") return undefined;
  const bytes = Buffer.byteLength(operation.query);
  if (bytes > settings.maxDocumentBytes) return refusal("documentBytes", bytes, settings.maxDocumentBytes);
  const tokens = countTokens(operation.query, settings.maxTokens);
  if (tokens > settings.maxTokens) return refusal("tokens", tokens, settings.maxTokens);
  const hash = operation.extensions?.persistedQuery?.sha256Hash;
  if (typeof hash === "string" && hash !== crypto.createHash("sha256").update(operation.query).digest("hex")) return hashMismatch();
  return undefined;
}

/** Tokens up to limit + 1 (then it stops: the figure reported is "more than the limit"). */
function countTokens(query: string, limit: number): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF && count <= limit) count++;
  } catch {
    // A lexical error: the parser reports it properly.
  }
  return count;
}

function batchRefusal(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_REQUEST", http: { status: 400 } } });
}
