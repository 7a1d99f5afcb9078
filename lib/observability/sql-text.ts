/**
 * A statement's identity for the recorder: the same statement sent twice is one row however it was
 * formatted or how many values its IN list had. The text itself is kept as sent (whitespace collapsed):
 * the API binds every value as a parameter ($1, $2…), so the text holds no user data, and it stays
 * valid SQL that phitagora can PREPARE and EXPLAIN.
 */
import crypto from "node:crypto";

export interface StatementText {
  /** Whitespace collapsed: what is stored and explained. */
  text: string;
  /** SHA-256 (hex, 32 characters) of the text with every list of placeholders written as one. */
  fingerprint: string;
}

/** Longest text stored; longer statements keep their start (the fingerprint covers all of it). */
export const MAX_STATEMENT_TEXT = 8_000;

const WHITESPACE = /\s+/g;
/** "$3, $4, $5" (an IN list, a VALUES row): any length is the same statement. */
const PLACEHOLDER_LIST = /\$\d+(?:\s*,\s*\$\d+)+/g;

export function statementText(sql: string): StatementText {
  const text = sql.replace(WHITESPACE, " ").trim();
  const normalised = text.replace(PLACEHOLDER_LIST, "$n, …");
  return { text: text.slice(0, MAX_STATEMENT_TEXT), fingerprint: crypto.createHash("sha256").update(normalised).digest("hex").slice(0, 32) };
}

/** "anonymous:" and the start of the document's SHA-256, for an operation without a name. */
export function anonymousOperation(documentHash: string): string {
  return `anonymous:${documentHash.slice(0, 16)}`;
}
