/**
 * The agents' admin page, GET /admin/agents: static files from gateway/admin/public/ and graphql-ws's
 * browser build from node_modules, all from this origin (no CDN: it works offline). The page is a
 * client of the public API like any other: signIn over HTTP, then agents, agentRuns, runAgent and
 * cancelAgentRun over HTTP and agentRunUpdated over the graphql-ws endpoint; the API decides who is an
 * admin, so the page holds no secret and needs no server-side session.
 *
 * Served in production too (unlike GraphiQL): it is an operator's tool, not a schema explorer.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ADMIN_AGENTS_PATH = "/admin/agents";
const ASSET_PREFIX = "/admin/assets/";

/**
 * The page's own policy: scripts and styles only from files of this origin (no inline code at all),
 * fetch and WebSocket only to this origin, nothing framed, no form posted anywhere.
 */
const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const JS = "text/javascript; charset=utf-8";
const publicFile = (name: string) => fileURLToPath(new URL(`./public/${name}`, import.meta.url));
const packageFile = (pkg: string, file: string) =>
  path.join(path.dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), file);

/** Public name → file. Only these names are served: a request path never reaches the filesystem. */
const ASSETS: Readonly<Record<string, { file: () => string; type: string }>> = {
  "admin.js": { file: () => publicFile("admin.js"), type: JS },
  "api.js": { file: () => publicFile("api.js"), type: JS },
  "view.js": { file: () => publicFile("view.js"), type: JS },
  "admin.css": { file: () => publicFile("admin.css"), type: "text/css; charset=utf-8" },
  // Without an icon of its own the browser asks for /favicon.ico, a 404 in its console.
  "favicon.svg": { file: () => publicFile("favicon.svg"), type: "image/svg+xml" },
  // The UMD build sets window.graphqlWs; the ESM one imports a chunk whose name changes per release.
  "graphql-ws.min.js": { file: () => packageFile("graphql-ws", "umd/graphql-ws.min.js"), type: JS },
};

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

const loaded = new Map<string, StaticFile>();

function load(key: string, file: () => string, type: string): StaticFile {
  let found = loaded.get(key);
  if (!found) {
    const body = readFileSync(file());
    found = { body, type, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
    loaded.set(key, found);
  }
  return found;
}

/** Answers GET/HEAD of the page and its assets; false (nothing written) for any other request. */
export function serveAdminPage(req: http.IncomingMessage, pathname: string, res: http.ServerResponse): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (pathname === ADMIN_AGENTS_PATH) {
    send(req, res, load("page", () => publicFile("agents.html"), "text/html; charset=utf-8"), { "content-security-policy": PAGE_POLICY });
    return true;
  }
  if (!pathname.startsWith(ASSET_PREFIX)) return false;
  const name = pathname.slice(ASSET_PREFIX.length);
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!asset) return false;
  send(req, res, load(name, asset.file, asset.type), { "cross-origin-resource-policy": "same-origin" });
  return true;
}

function send(req: http.IncomingMessage, res: http.ServerResponse, file: StaticFile, headers: Record<string, string>): void {
  // Names carry no version, so the browser revalidates; an unchanged file costs a 304.
  const common = { etag: file.etag, "cache-control": "no-cache", "x-content-type-options": "nosniff", ...headers };
  if (req.headers["if-none-match"] === file.etag) {
    res.writeHead(304, common).end();
    return;
  }
  res.writeHead(200, { ...common, "content-type": file.type, "content-length": file.body.length });
  res.end(req.method === "HEAD" ? undefined : file.body);
}
