// Self-hosted GraphiQL for the gateway.
//
// The stock Apollo landing page pulls its JS from a CDN, which renders a blank
// page on machines without internet. This module serves GraphiQL 3 (UMD build),
// React 18 and ReactDOM 18 straight from node_modules, same origin, no external
// URL anywhere in the page.
//
// Wiring (plain node:http, before handing the request to Apollo):
//
//   if (serveGraphiqlAsset(url.pathname, res)) return;
//   if (url.pathname === "/graphql" && wantsGraphiql(req)) {
//     res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
//     res.end(graphiqlHtml({ endpoint: "/graphql", defaultQuery: EXAMPLE_OPERATION }));
//     return;
//   }

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";

/** URL prefix under which the GraphiQL static files are served. */
export const GRAPHIQL_ASSET_PREFIX = "/graphiql/assets/";

/**
 * Example operation shown in a fresh GraphiQL tab; tests/gateway.test.ts runs it against the schema.
 */
export const EXAMPLE_OPERATION = `# Bun venit pe piata-ai! Anunțurile active, cele mai noi primele.
# Apasă ▶ (sau Ctrl+Enter) ca să o rulezi.
# $primele = câte anunțuri aduci. Pentru pagina
# următoare, dă endCursor ca argument "after".
query Anunturi($primele: Int = 10) {
  listings(first: $primele, filter: { county: "CJ" }) {
    totalCount
    edges {
      cursor
      node {
        id
        title
        price {
          amount
          currency
          formatted
        }
        location {
          city
          county {
            name
          }
        }
        category {
          name
          slug
        }
        seller {
          displayName
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`;

// ---------------------------------------------------------------------------
// Static assets

interface AssetSpec {
  /** package whose package.json we resolve (deep paths are blocked by `exports`) */
  pkg: string;
  /** fixed file path inside that package */
  file: string;
  contentType: string;
}

/**
 * Whitelist: public file name -> file inside an installed package. Only these
 * exact names are ever served; the request path never reaches the filesystem.
 */
const ASSETS: Readonly<Record<string, AssetSpec>> = Object.freeze({
  "react.production.min.js": {
    pkg: "react",
    file: "umd/react.production.min.js",
    contentType: "text/javascript; charset=utf-8",
  },
  "react-dom.production.min.js": {
    pkg: "react-dom",
    file: "umd/react-dom.production.min.js",
    contentType: "text/javascript; charset=utf-8",
  },
  "graphiql.min.js": {
    pkg: "graphiql",
    file: "graphiql.min.js",
    contentType: "text/javascript; charset=utf-8",
  },
  "graphiql.min.css": {
    pkg: "graphiql",
    file: "graphiql.min.css",
    contentType: "text/css; charset=utf-8",
  },
});

const ASSET_CACHE_CONTROL = "public, max-age=86400, immutable";

const requireFromHere = createRequire(import.meta.url);

interface LoadedAsset {
  body: Buffer;
  contentType: string;
}

const loaded = new Map<string, LoadedAsset>();

function resolveAssetFile(spec: AssetSpec): string {
  // react, react-dom and graphiql all restrict deep imports through their
  // `exports` map, but every one of them exports "./package.json".
  const pkgJson = requireFromHere.resolve(`${spec.pkg}/package.json`);
  return path.join(path.dirname(pkgJson), spec.file);
}

function loadAsset(name: string): LoadedAsset | undefined {
  if (!Object.hasOwn(ASSETS, name)) return undefined;
  const cached = loaded.get(name);
  if (cached) return cached;
  const spec = ASSETS[name];
  if (!spec) return undefined;
  const asset: LoadedAsset = {
    body: readFileSync(resolveAssetFile(spec)),
    contentType: spec.contentType,
  };
  loaded.set(name, asset);
  return asset;
}

function assetUrl(name: keyof typeof ASSETS): string {
  return GRAPHIQL_ASSET_PREFIX + name;
}

/**
 * Serves one of the whitelisted GraphiQL files if `pathname` is exactly
 * `/graphiql/assets/<name>` for a known name. Returns false (and touches
 * nothing) otherwise, so the caller can fall through to its own routing.
 * Files are read from disk on first use and then kept in memory.
 */
export function serveGraphiqlAsset(pathname: string, res: http.ServerResponse): boolean {
  if (!pathname.startsWith(GRAPHIQL_ASSET_PREFIX)) return false;
  const name = pathname.slice(GRAPHIQL_ASSET_PREFIX.length);
  const asset = loadAsset(name);
  if (!asset) return false;

  res.writeHead(200, {
    "content-type": asset.contentType,
    "content-length": asset.body.length,
    "cache-control": ASSET_CACHE_CONTROL,
    "x-content-type-options": "nosniff",
    "cross-origin-resource-policy": "same-origin",
  });
  // ServerResponse.req is set by node:http; respect HEAD when we can see it.
  if (res.req?.method === "HEAD") res.end();
  else res.end(asset.body);
  return true;
}

// ---------------------------------------------------------------------------
// Content negotiation

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  index: number;
}

function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  header.split(",").forEach((part, index) => {
    const [mediaType = "", ...params] = part.trim().split(";");
    const [type, subtype] = mediaType.trim().toLowerCase().split("/");
    if (!type || !subtype) return;
    let q = 1;
    for (const p of params) {
      const [k, v] = p.trim().split("=");
      if (k?.trim().toLowerCase() === "q" && v !== undefined) {
        const n = Number(v.trim());
        q = Number.isFinite(n) ? Math.min(Math.max(n, 0), 1) : 0;
      }
    }
    ranges.push({ type, subtype, q, index });
  });
  return ranges;
}

interface Preference {
  q: number;
  specificity: number;
  index: number;
}

/** Best matching range for a concrete media type (most specific wins, as in RFC 9110). */
function preferenceFor(ranges: MediaRange[], mediaType: string): Preference {
  const [type, subtype] = mediaType.split("/");
  let best: Preference = { q: 0, specificity: -1, index: Infinity };
  for (const r of ranges) {
    let specificity: number;
    if (r.type === type && r.subtype === subtype) specificity = 2;
    else if (r.type === type && r.subtype === "*") specificity = 1;
    else if (r.type === "*" && r.subtype === "*") specificity = 0;
    else continue;
    if (specificity > best.specificity) best = { q: r.q, specificity, index: r.index };
  }
  return best;
}

function beats(a: Preference, b: Preference): boolean {
  if (a.q !== b.q) return a.q > b.q;
  if (a.specificity !== b.specificity) return a.specificity > b.specificity;
  return a.index < b.index;
}

const GRAPHQL_RESPONSE_TYPES = [
  "application/graphql-response+json",
  "application/json",
  "multipart/mixed",
] as const;

/**
 * True for a browser navigation to the GraphQL endpoint: a GET whose Accept
 * header strictly prefers text/html over every GraphQL response type and which
 * carries no `query` parameter (GET /graphql?query=... still runs GraphQL).
 * Ties (e.g. `Accept: *\/*` from curl) go to GraphQL.
 */
export function wantsGraphiql(req: http.IncomingMessage): boolean {
  if (req.method !== "GET") return false;

  let search: URLSearchParams;
  try {
    search = new URL(req.url ?? "/", "http://localhost").searchParams;
  } catch {
    return false;
  }
  if (search.has("query")) return false;

  const accept = req.headers.accept;
  if (!accept) return false;
  const ranges = parseAccept(accept);
  const html = preferenceFor(ranges, "text/html");
  if (html.q <= 0 || html.specificity < 0) return false;
  return GRAPHQL_RESPONSE_TYPES.every((t) => {
    const other = preferenceFor(ranges, t);
    return other.q <= 0 || beats(html, other);
  });
}

// ---------------------------------------------------------------------------
// HTML page

export interface GraphiqlHtmlOptions {
  /** GraphQL HTTP endpoint, usually "/graphql" (relative to the page or absolute). */
  endpoint: string;
  /** graphql-ws endpoint; relative paths are resolved against the page (http->ws, https->wss). */
  subscriptionEndpoint?: string;
  /** Operation shown in a fresh tab (GraphiQL remembers edited tabs in localStorage). */
  defaultQuery: string;
  /** Document title, defaults to "piata-ai · GraphiQL". */
  title?: string;
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON for embedding inside an inline <script>: cannot close the tag, open a
 * comment, or break a JS string with a raw line/paragraph separator.
 */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Origin of an absolute http(s)/ws(s) URL, for the CSP connect-src list. */
function absoluteOrigin(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (!["http:", "https:", "ws:", "wss:"].includes(u.protocol)) return undefined;
    // u.origin is normalised (scheme://host[:port]) and cannot contain ; or spaces.
    return `${u.protocol}//${u.host}`;
  } catch {
    return undefined; // relative: covered by 'self'
  }
}

/**
 * Full HTML page hosting GraphiQL. All scripts and styles come from
 * `/graphiql/assets/` (see serveGraphiqlAsset); the only inline script is the
 * bootstrap below, allowed by its sha256 hash in the Content-Security-Policy.
 */
export function graphiqlHtml(opts: GraphiqlHtmlOptions): string {
  const title = opts.title ?? "piata-ai · GraphiQL";
  const config = {
    url: opts.endpoint,
    subscriptionUrl: opts.subscriptionEndpoint ?? null,
    defaultQuery: opts.defaultQuery,
  };

  const bootstrap = `
(function () {
  "use strict";
  var config = ${jsonForScript(config)};
  var root = document.getElementById("graphiql");
  function fail(message) {
    root.textContent = "GraphiQL nu a putut porni: " + message;
    root.className = "graphiql-error";
  }
  if (!window.React || !window.ReactDOM || !window.GraphiQL) {
    fail("fișierele JavaScript nu s-au încărcat.");
    return;
  }
  var fetcherOptions = { url: new URL(config.url, location.href).href };
  if (config.subscriptionUrl) {
    var ws = new URL(config.subscriptionUrl, location.href);
    if (ws.protocol === "http:") ws.protocol = "ws:";
    else if (ws.protocol === "https:") ws.protocol = "wss:";
    fetcherOptions.subscriptionUrl = ws.href;
  }
  try {
    var fetcher = GraphiQL.createFetcher(fetcherOptions);
    ReactDOM.createRoot(root).render(
      React.createElement(GraphiQL, {
        fetcher: fetcher,
        defaultQuery: config.defaultQuery,
        defaultEditorToolsVisibility: true,
        shouldPersistHeaders: false
      })
    );
  } catch (err) {
    fail(String(err && err.message || err));
  }
})();
`;
  const bootstrapHash = createHash("sha256").update(bootstrap, "utf8").digest("base64");

  const connectSrc = new Set(["'self'"]);
  for (const url of [opts.endpoint, opts.subscriptionEndpoint]) {
    const origin = url === undefined ? undefined : absoluteOrigin(url);
    if (origin) connectSrc.add(origin);
  }

  const csp = [
    "default-src 'none'",
    `script-src 'self' 'sha256-${bootstrapHash}'`,
    // GraphiQL's dialogs inject <style> elements at runtime.
    "style-src 'self' 'unsafe-inline'",
    // graphiql.min.css inlines its fonts and images as data: URLs.
    "font-src 'self' data:",
    "img-src 'self' data:",
    `connect-src ${[...connectSrc].join(" ")}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");

  return `<!doctype html>
<html lang="ro">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(assetUrl("graphiql.min.css"))}">
<style>html,body{height:100%;margin:0;overflow:hidden}#graphiql{height:100vh}.graphiql-error{padding:2rem;font:16px/1.5 system-ui,sans-serif;color:#b00020}</style>
</head>
<body>
<div id="graphiql">Se încarcă GraphiQL…</div>
<noscript>GraphiQL are nevoie de JavaScript.</noscript>
<script src="${escapeHtml(assetUrl("react.production.min.js"))}"></script>
<script src="${escapeHtml(assetUrl("react-dom.production.min.js"))}"></script>
<script src="${escapeHtml(assetUrl("graphiql.min.js"))}"></script>
<script>${bootstrap}</script>
</body>
</html>
`;
}
