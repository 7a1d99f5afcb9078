/**
 * Checks on a request's raw operations before anything parses them: the batch length, the document's
 * size and its token count, and an automatic-persisted-query hash that does not match its document.
 * Cheap by design: a refused document costs a length check or one lexer pass, never an AST.
 */
import crypto from "node:crypto";
import { GraphQLError, Lexer, Source, TokenKind } from "graphql";
import { LRUCache } from "lru-cache";
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

/**
 * Documents that passed, by text, per set of limits: clients send the same few documents again and
 * again, and a lexer pass over each costs more than the rest of a cached answer. Only passes are
 * kept (a refused document is cheap to refuse again), and only so many, so new texts cannot grow it
 * without bound.
 */
const acceptedBySettings = new WeakMap<SourceLimitSettings, LRUCache<string, true>>();

function acceptedUnder(settings: SourceLimitSettings): LRUCache<string, true> {
  let accepted = acceptedBySettings.get(settings);
  if (!accepted) acceptedBySettings.set(settings, (accepted = new LRUCache({ max: 1000, maxSize: 4_000_000, sizeCalculation: (_, query) => query.length })));
  return accepted;
}

export function checkOperation(operation: RawOperation, settings: SourceLimitSettings): GraphQLError | undefined {
  if (typeof operation.query !== "string") return undefined;
  const hash = operation.extensions?.persistedQuery?.sha256Hash;
  const accepted = acceptedUnder(settings);
  if (hash === undefined && accepted.has(operation.query)) return undefined;
  const refused = checkDocument(operation.query, hash, settings);
  if (!refused && hash === undefined) accepted.set(operation.query, true);
  return refused;
}

function checkDocument(query: string, hash: unknown, settings: SourceLimitSettings): GraphQLError | undefined {
  const bytes = Buffer.byteLength(query);
  if (bytes > settings.maxDocumentBytes) return refusal("documentBytes", bytes, settings.maxDocumentBytes);
  const tokens = countTokens(query, settings.maxTokens);
  if (tokens > settings.maxTokens) return refusal("tokens", tokens, settings.maxTokens);
  if (typeof hash === "string" && hash !== crypto.createHash("sha256").update(query).digest("hex")) return hashMismatch();
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
