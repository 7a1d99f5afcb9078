import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EXAMPLE_OPERATION,
  graphiqlHtml,
  serveGraphiqlAsset,
  wantsGraphiql,
} from "./graphiql.ts";

const BROWSER_ACCEPT =
  "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (serveGraphiqlAsset(url.pathname, res)) return;
    if (url.pathname === "/graphql" && wantsGraphiql(req)) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        graphiqlHtml({
          endpoint: "/graphql",
          subscriptionEndpoint: "/graphql",
          defaultQuery: EXAMPLE_OPERATION,
        }),
      );
      return;
    }
    if (url.pathname === "/graphql") {
      // Stand-in for Apollo: proves the request was NOT turned into GraphiQL.
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ data: { ok: true } }));
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) =>
    server.close((err) => (err ? reject(err) : resolve())),
  );
});

function extractRefs(html: string): string[] {
  const refs: string[] = [];
  for (const m of html.matchAll(/<(script|link)\b[^>]*>/gi)) {
    const tag = m[0];
    const attr = /\b(?:src|href)\s*=\s*"([^"]*)"/i.exec(tag);
    if (attr?.[1] !== undefined) refs.push(attr[1]);
  }
  return refs;
}

describe("GraphiQL page", () => {
  it("serves HTML for a browser GET and references only same-origin assets", async () => {
    const res = await fetch(`${base}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();

    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('http-equiv="Content-Security-Policy"');
    // no CDN or external URL of any kind
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\/\/(unpkg|cdn|esm\.sh)/i);

    const refs = extractRefs(html);
    expect(refs.length).toBeGreaterThanOrEqual(4);
    const expectedType: Record<string, RegExp> = {
      js: /^text\/javascript\b/,
      css: /^text\/css\b/,
    };
    for (const ref of refs) {
      expect(ref).toMatch(/^\/graphiql\/assets\/[\w.-]+\.(js|css)$/);
      const url = new URL(ref, base);
      expect(url.origin).toBe(base);
      const asset = await fetch(url);
      expect(asset.status, ref).toBe(200);
      const ext = ref.endsWith(".css") ? "css" : "js";
      expect(asset.headers.get("content-type"), ref).toMatch(expectedType[ext]!);
      expect(asset.headers.get("cache-control")).toContain("max-age=");
      const body = await asset.text();
      expect(body.length, ref).toBeGreaterThan(1000);
    }
    // the three scripts GraphiQL needs plus its stylesheet
    expect(refs.some((r) => r.endsWith("react.production.min.js"))).toBe(true);
    expect(refs.some((r) => r.endsWith("react-dom.production.min.js"))).toBe(true);
    expect(refs.some((r) => r.endsWith("graphiql.min.js"))).toBe(true);
    expect(refs.some((r) => r.endsWith("graphiql.min.css"))).toBe(true);
  });

  it("embeds the example operation safely and wires createFetcher", async () => {
    const html = graphiqlHtml({
      endpoint: "/graphql",
      defaultQuery: EXAMPLE_OPERATION,
      title: "</title><script>alert(1)</script>",
    });
    expect(html).toContain("GraphiQL.createFetcher");
    expect(html).toContain("Bun venit pe piata-ai!");
    expect(html).toContain("query Anunturi");
    expect(html).toContain("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;");

    const evil = graphiqlHtml({
      endpoint: "/graphql",
      defaultQuery: '# </script><script>alert("x")</script>\n{ __typename }',
    });
    // only the three asset scripts and the bootstrap script exist
    expect(evil.match(/<script\b/gi)).toHaveLength(4);
    expect(evil.match(/<\/script>/gi)).toHaveLength(4);
    expect(evil).toContain("\\u003c/script\\u003e");
  });

  it("still executes GraphQL for GET with ?query=, JSON clients and POST", async () => {
    const withQuery = await fetch(`${base}/graphql?query=%7B__typename%7D`, {
      headers: { accept: BROWSER_ACCEPT },
    });
    expect(withQuery.headers.get("content-type")).toBe("application/json");

    const json = await fetch(`${base}/graphql`, { headers: { accept: "application/json" } });
    expect(json.headers.get("content-type")).toBe("application/json");

    const anything = await fetch(`${base}/graphql`, { headers: { accept: "*/*" } });
    expect(anything.headers.get("content-type")).toBe("application/json");

    const post = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { accept: "text/html", "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(post.headers.get("content-type")).toBe("application/json");
  });
});

describe("serveGraphiqlAsset", () => {
  it("returns false and does not respond for unknown or tricky paths", () => {
    const paths = [
      "/graphiql/assets/",
      "/graphiql/assets/nope.js",
      "/graphiql/assets/graphiql.min.js.map",
      "/graphiql/assets/../package.json",
      "/graphiql/assets/%2e%2e%2fpackage.json",
      "/graphiql/assets/constructor",
      "/graphiql/assets/__proto__",
      "/graphiql/assets/hasOwnProperty",
      "/graphiql.min.js",
      "/graphql",
    ];
    for (const p of paths) {
      const res = new http.ServerResponse(new http.IncomingMessage(null as never));
      expect(serveGraphiqlAsset(p, res), p).toBe(false);
      expect(res.headersSent, p).toBe(false);
    }
  });

  it("answers 404 (falls through) over HTTP for unknown assets", async () => {
    for (const p of ["/graphiql/assets/nope.js", "/graphiql/assets/..%2Fpackage.json"]) {
      const res = await fetch(`${base}${p}`);
      expect(res.status, p).toBe(404);
      await res.text();
    }
  });

  it("honours HEAD without a body", async () => {
    const res = await fetch(`${base}/graphiql/assets/graphiql.min.css`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/css/);
    expect(Number(res.headers.get("content-length"))).toBeGreaterThan(1000);
  });
});

describe("wantsGraphiql", () => {
  function req(method: string, url: string, accept?: string): http.IncomingMessage {
    const r = new http.IncomingMessage(null as never);
    r.method = method;
    r.url = url;
    if (accept !== undefined) r.headers.accept = accept;
    return r;
  }

  it("negotiates on method, Accept and the query parameter", () => {
    expect(wantsGraphiql(req("GET", "/graphql", BROWSER_ACCEPT))).toBe(true);
    expect(wantsGraphiql(req("GET", "/graphql", "text/html"))).toBe(true);
    expect(wantsGraphiql(req("GET", "/graphql?foo=1", BROWSER_ACCEPT))).toBe(true);

    expect(wantsGraphiql(req("GET", "/graphql?query={a}", BROWSER_ACCEPT))).toBe(false);
    expect(wantsGraphiql(req("GET", "/graphql?query=", BROWSER_ACCEPT))).toBe(false);
    expect(wantsGraphiql(req("POST", "/graphql", BROWSER_ACCEPT))).toBe(false);
    expect(wantsGraphiql(req("GET", "/graphql"))).toBe(false);
    expect(wantsGraphiql(req("GET", "/graphql", "*/*"))).toBe(false);
    expect(wantsGraphiql(req("GET", "/graphql", "application/json"))).toBe(false);
    expect(
      wantsGraphiql(req("GET", "/graphql", "application/graphql-response+json, text/html;q=0.5")),
    ).toBe(false);
    expect(wantsGraphiql(req("GET", "/graphql", "application/json;q=0.5, text/html"))).toBe(true);
    expect(wantsGraphiql(req("GET", "/graphql", "text/html;q=0"))).toBe(false);
  });
});
