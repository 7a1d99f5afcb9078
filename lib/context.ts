/** What every subgraph knows about the request it serves, whichever transport brought it. */
import type { Locale } from "./i18n.ts";
import type { Logger } from "./logger.ts";

export type Role = "USER" | "ADMIN";

export interface Viewer {
  userId: string;
  role: Role;
  sessionId: string;
  /** Scopes checked by @requiresScopes: "user" for everyone signed in, "admin" for admins. */
  scopes: readonly string[];
}

export interface RequestContext {
  requestId: string;
  viewer: Viewer | null;
  /** The client's User-Agent, recorded on the sessions it opens. */
  userAgent?: string;
  /** The client's IP address (the socket's, or the proxy hop TRUST_PROXY names): rate limits, view counts. */
  clientIp?: string;
  /** The language of messages for people (lib/i18n.ts): the gateway's pick from Accept-Language. */
  locale: Locale;
  log: Logger;
}

export function scopesFor(role: Role): string[] {
  return role === "ADMIN" ? ["user", "admin"] : ["user"];
}

export function isAdmin(viewer: Viewer | null): boolean {
  return viewer?.role === "ADMIN";
}
