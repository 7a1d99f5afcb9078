/**
 * Answers of the media endpoints in the API's error shape ({ errors: [{ message, extensions: { code } }] }),
 * in the request's language. Not GraphQL answers: the status is the HTTP status, whatever Accept says.
 */
import type http from "node:http";
import type { GraphQLError } from "graphql";
import { localizeError, type PublicErrorCode } from "../../lib/errors.ts";
import { sendJson } from "../../lib/http/apollo-handler.ts";
import { negotiateLocale } from "../../lib/i18n.ts";

export function sendError(req: http.IncomingMessage, res: http.ServerResponse, status: number, error: GraphQLError, headers: Record<string, string> = {}): void {
  const { http: _status, ...extensions } = error.extensions as { http?: unknown } & Record<PropertyKey, unknown>;
  const localized = localizeError({ message: error.message, extensions }, negotiateLocale(req.headers["accept-language"]));
  const retryAfter = (localized.extensions as { retryAfter?: unknown } | undefined)?.retryAfter;
  sendJson(res, status, { errors: [localized] }, { ...(retryAfter ? { "retry-after": String(retryAfter) } : {}), ...headers });
}

export function sendCode(
  res: http.ServerResponse,
  status: number,
  code: PublicErrorCode,
  message: string,
  headers: Record<string, string> = {},
  extensions: Record<string, unknown> = {},
): void {
  sendJson(res, status, { errors: [{ message, extensions: { code, ...extensions } }] }, headers);
}
