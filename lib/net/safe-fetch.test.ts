/**
 * Runs against a local server only (no test reaches the internet): one listener on 127.0.0.1 and one
 * on 127.0.0.2, same port. 127.0.0.2 plays the allowed partner (allowedAddresses) so redirects from
 * it to 127.0.0.1 can be checked with loopback NOT allowed; the 127.0.0.1 listener counts its hits,
 * proving a refused request never reached it.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSafeFetch, SafeFetchError, type SafeFetchReason } from "./safe-fetch.ts";

let port = 0;
const hits = { a: 0, b: 0 };
/** Requests the server is answering at once (a socket's close reaches the server a moment after the client is done). */
const inflight = { active: 0, max: 0 };

function handler(server: "a" | "b"): http.RequestListener {
  return (req, res) => {
    hits[server]++;
    const url = new URL(req.url!, "http://x");
    const json = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    const loop = /^\/loop\/(\d+)$/.exec(url.pathname);
    if (url.pathname === "/json") return json({ ok: true, server, ua: req.headers["user-agent"] });
    if (url.pathname === "/redirect") return res.writeHead(302, { location: url.searchParams.get("to")! }).end();
    if (loop) {
      const n = Number(loop[1]);
      if (n >= Number(url.searchParams.get("stop"))) return json({ hops: n });
      return res.writeHead(301, { location: `/loop/${n + 1}${url.search}` }).end();
    }
    if (url.pathname === "/gzip") return res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(gzipSync('{"zipped":true}'));
    if (url.pathname === "/gzip-bomb") return res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(Buffer.alloc(10_000_000)));
    if (url.pathname === "/big") {
      res.writeHead(200, { "content-type": "text/plain" }); // chunked: no Content-Length to trust
      for (let i = 0; i < 50; i++) res.write("x".repeat(100));
      return res.end();
    }
    if (url.pathname === "/big-declared") return res.writeHead(200, { "content-length": "5000" }).end("y".repeat(5000));
    if (url.pathname === "/hang") return; // never answers
    if (url.pathname === "/stall-body") return res.writeHead(200, { "content-type": "text/plain" }).write("partial");
    if (url.pathname === "/slow") {
      inflight.max = Math.max(inflight.max, ++inflight.active);
      res.on("finish", () => inflight.active--);
      return void setTimeout(() => json({ slow: true }), 150);
    }
    if (url.pathname === "/latin2") return res.writeHead(200, { "content-type": "text/html; charset=windows-1250" }).end(Buffer.from([0x42, 0x72, 0x61, 0xba, 0x6f, 0x76]));
    res.writeHead(404).end("not found");
  };
}

const servers: http.Server[] = [];
function listen(server: http.Server, host: string, p: number): Promise<number> {
  servers.push(server);
  return new Promise((resolve) => server.listen(p, host, () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  port = await listen(http.createServer(handler("a")), "127.0.0.1", 0);
  await listen(http.createServer(handler("b")), "127.0.0.2", port);
});

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

beforeEach(() => {
  hits.a = hits.b = 0;
  inflight.max = inflight.active;
});

async function refusal(promise: Promise<unknown>): Promise<SafeFetchError> {
  const err = await promise.then(
    () => expect.fail("expected a SafeFetchError"),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SafeFetchError);
  return err as SafeFetchError;
}

async function expectReason(promise: Promise<unknown>, reason: SafeFetchReason): Promise<SafeFetchError> {
  const err = await refusal(promise);
  expect(err.reason, err.message).toBe(reason);
  return err;
}

const loopback = () => createSafeFetch({ allowLoopback: true, allowedPorts: [port] });
/** 127.0.0.2 is the "partner"; loopback in general is NOT allowed. */
const partner = () => createSafeFetch({ allowedAddresses: ["127.0.0.2"], allowedPorts: [80, 443, port, 8080] });

const blockedHosts = [
  "127.0.0.1",
  "localhost",
  "0.0.0.0",
  "0",
  "[::1]",
  "[::]",
  "10.0.0.1",
  "192.168.0.1",
  "169.254.169.254",
  "[fd00:ec2::254]",
  "2130706433",
  "0x7f.1",
  "127.1",
  "0177.0.0.1",
  "[::ffff:127.0.0.1]",
  "[::ffff:169.254.169.254]",
  "[::7f00:1]",
  "127.0.0.1.",
  "[0:0:0:0:0:ffff:127.0.0.1]",
  "[::ffff:a9fe:a9fe]",
];

/** The issue's list, word for word: every one refused under the default policy. */
const issueLiterals = ["127.0.0.1", "localhost", "0.0.0.0", "[::1]", "10.0.0.1", "169.254.169.254", "2130706433", "[::ffff:127.0.0.1]"];

describe("the URL parser normalises numeric hosts before we check them", () => {
  it.each([
    ["2130706433", "127.0.0.1"],
    ["0x7f.1", "127.0.0.1"],
    ["127.1", "127.0.0.1"],
    ["0177.0.0.1", "127.0.0.1"],
    ["0", "0.0.0.0"],
    ["[::ffff:127.0.0.1]", "[::ffff:7f00:1]"],
  ])("%s → %s", (host, normal) => {
    expect(new URL(`http://${host}/`).hostname).toBe(normal);
  });
});

describe("safe fetch: default policy", () => {
  const fetchDefault = createSafeFetch();

  it("covers every literal the issue lists", () => {
    expect(blockedHosts).toEqual(expect.arrayContaining(issueLiterals));
  });

  it.each(blockedHosts)("refuses http://%s/", async (host) => {
    await expectReason(fetchDefault(`http://${host}/`), "BLOCKED_ADDRESS");
  });

  it.each(blockedHosts)("refuses %s on the test server's port before connecting", async (host) => {
    // The port is allowed, so only the address check stands between this request and the server.
    const fetchOnPort = createSafeFetch({ allowedPorts: [port] });
    await expectReason(fetchOnPort(`http://${host}:${port}/json`), "BLOCKED_ADDRESS");
    expect(hits.a).toBe(0);
  });

  it("does not leak the resolved address in the message", async () => {
    const err = await expectReason(createSafeFetch({ allowedPorts: [port] })(`http://localhost:${port}/json`), "BLOCKED_ADDRESS");
    expect(err.message).toContain(`http://localhost:${port}/json`);
    expect(err.message).not.toContain("127.0.0.1");
  });

  it("checks every resolved address of a name", async () => {
    const answers: Record<string, string[]> = { "mixed.test": ["93.184.216.34", "10.0.0.1"], "rebind.test": ["127.0.0.1"], "meta.test": ["169.254.169.254"], "empty.test": [] };
    const fetchNamed = createSafeFetch({ resolve: async (host) => (answers[host] ?? []).map((address) => ({ address, family: address.includes(":") ? 6 : 4 })) });
    await expectReason(fetchNamed("https://mixed.test/feed.json"), "BLOCKED_ADDRESS");
    await expectReason(fetchNamed("http://rebind.test/"), "BLOCKED_ADDRESS");
    await expectReason(fetchNamed("http://meta.test/latest/meta-data/"), "BLOCKED_ADDRESS");
    await expectReason(fetchNamed("http://empty.test/"), "NETWORK");
  });

  it("allows ports 80 and 443 only", async () => {
    await expectReason(fetchDefault("http://feed.example:8080/"), "BLOCKED_PORT");
    await expectReason(fetchDefault("https://feed.example:8443/"), "BLOCKED_PORT");
    await expectReason(loopback()(`http://127.0.0.1:8080/`), "BLOCKED_PORT");
    await expectReason(createSafeFetch({ allowLoopback: true })(`http://127.0.0.1:${port}/json`), "BLOCKED_PORT");
    expect(hits.a).toBe(0);
  });

  it("allows http and https only", async () => {
    for (const url of ["file:///etc/passwd", "ftp://feed.example/x", "gopher://feed.example/", "data:text/plain,hi", "ws://feed.example/"]) {
      await expectReason(fetchDefault(url), "BLOCKED_SCHEME");
    }
    await expectReason(fetchDefault("not a url"), "INVALID_URL");
  });
});

describe("safe fetch: against the test server", () => {
  it("reads a JSON body when loopback and the port are allowed", async () => {
    const res = await createSafeFetch({ allowLoopback: true, allowedPorts: [port], userAgent: "test-agent" })(`http://127.0.0.1:${port}/json`);
    expect(res.status).toBe(200);
    expect(res.url).toBe(`http://127.0.0.1:${port}/json`);
    expect(res.contentType).toBe("application/json");
    expect(res.json()).toEqual({ ok: true, server: "a", ua: "test-agent" });
  });

  it("decodes gzip and the declared charset", async () => {
    expect((await loopback()(`http://127.0.0.1:${port}/gzip`)).json()).toEqual({ zipped: true });
    expect((await loopback()(`http://localhost:${port}/latin2`)).text()).toBe("Braşov");
  });

  it("throws HTTP_ERROR with the status for a non-2xx answer", async () => {
    const err = await expectReason(loopback()(`http://127.0.0.1:${port}/missing`), "HTTP_ERROR");
    expect(err.status).toBe(404);
  });

  it("follows redirects to allowed targets", async () => {
    const res = await partner()(`http://127.0.0.2:${port}/redirect?to=/json`);
    expect(res.url).toBe(`http://127.0.0.2:${port}/json`);
    expect(res.json()).toMatchObject({ server: "b" });
  });

  it.each([
    () => `http://127.0.0.1:${port}/json`,
    () => `http://localhost:${port}/json`,
    () => `http://[::1]:${port}/json`,
    () => `http://2130706433:${port}/json`,
    () => `http://[::ffff:127.0.0.1]:${port}/json`,
    () => "http://169.254.169.254/latest/meta-data/",
    () => "http://0.0.0.0/",
    () => "http://10.0.0.1/",
  ])("refuses a redirect from an allowed URL to a blocked address (%#)", async (target) => {
    const given = `http://127.0.0.2:${port}/redirect?to=${encodeURIComponent(target())}`;
    const err = await expectReason(partner()(given), "BLOCKED_ADDRESS");
    expect(hits.b).toBe(1);
    expect(hits.a).toBe(0);
    expect(err.message).toContain(given);
    expect(err.message.replace(given, "")).not.toMatch(/127\.0\.0\.1|169\.254|10\.0\.0\.1/);
  });

  it("re-checks scheme and port on every hop", async () => {
    const via = (to: string) => `http://127.0.0.2:${port}/redirect?to=${encodeURIComponent(to)}`;
    await expectReason(partner()(via("file:///etc/passwd")), "BLOCKED_SCHEME");
    await expectReason(createSafeFetch({ allowedAddresses: ["127.0.0.2"], allowedPorts: [port] })(via("http://127.0.0.2/json")), "BLOCKED_PORT");
  });

  it("follows at most 5 redirects", async () => {
    expect((await loopback()(`http://127.0.0.1:${port}/loop/0?stop=5`)).json()).toEqual({ hops: 5 });
    await expectReason(loopback()(`http://127.0.0.1:${port}/loop/0?stop=6`), "TOO_MANY_REDIRECTS");
    expect(hits.a).toBe(6 + 6);
  });

  it("aborts a body over maxBytes", async () => {
    const small = createSafeFetch({ allowLoopback: true, allowedPorts: [port], maxBytes: 1000 });
    await expectReason(small(`http://127.0.0.1:${port}/big`), "TOO_LARGE");
    await expectReason(small(`http://127.0.0.1:${port}/big-declared`), "TOO_LARGE");
    const oneMb = createSafeFetch({ allowLoopback: true, allowedPorts: [port], maxBytes: 1_000_000 });
    await expectReason(oneMb(`http://127.0.0.1:${port}/gzip-bomb`), "TOO_LARGE");
    expect((await oneMb(`http://127.0.0.1:${port}/big`)).body.length).toBe(5000);
  });

  it("times out on a server that does not answer or stalls mid-body", async () => {
    const quick = createSafeFetch({ allowLoopback: true, allowedPorts: [port], timeoutMs: 300 });
    const started = Date.now();
    await expectReason(quick(`http://127.0.0.1:${port}/hang`), "TIMEOUT");
    await expectReason(quick(`http://127.0.0.1:${port}/stall-body`), "TIMEOUT");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("stops when the caller aborts", async () => {
    const controller = new AbortController();
    const pending = loopback()(`http://127.0.0.1:${port}/hang`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await refusal(pending)).message).toMatch(/aborted/);
  });

  it("contacts at most maxConcurrentHosts hosts at once", async () => {
    const urls = [`http://127.0.0.1:${port}/slow`, `http://localhost:${port}/slow`];
    const one = createSafeFetch({ allowLoopback: true, allowedPorts: [port], maxConcurrentHosts: 1 });
    await Promise.all(urls.map((u) => one(u)));
    expect(inflight.max).toBe(1);

    inflight.max = inflight.active;
    const two = createSafeFetch({ allowLoopback: true, allowedPorts: [port], maxConcurrentHosts: 2 });
    await Promise.all(urls.map((u) => two(u)));
    expect(inflight.max).toBe(2); // the server can see two at once, so the 1 above is the cap's doing

    inflight.max = inflight.active;
    await Promise.all([two(urls[0]!), two(urls[0]!)]); // one request per host at a time
    expect(inflight.max).toBe(1);
  });
});
