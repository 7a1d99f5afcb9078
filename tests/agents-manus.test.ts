/**
 * manus, the feed importer, through the gateway (runAgent as an admin) against a partner server on
 * loopback addresses. Configuration opens the partner hosts 127.0.0.2-6 and the server's port, and
 * nothing else: 127.0.0.1 plays the inside of the network and must never see a request, whether
 * named directly, in another spelling, or as a redirect target. Drafts are checked by the listings
 * subgraph itself: the seller creates them with createListing, as the import will.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { INSIDE, MORE_PARTNERS, PARTNER, startPartnerServer, type PartnerServer } from "./manus-fixtures/partner-server.ts";
import { codes } from "./utils/client.ts";
import { signUp, signUpAdmin, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const RUN = `mutation ($input: JSON) { runAgent(agent: "manus", goal: "importă feed-ul partenerului", input: $input) { id status } }`;
const RUN_BY_ID = `query ($id: ID!) { agentRun(id: $id) { id status output error progress } }`;
const CREATE = `mutation ($input: CreateListingInput!, $key: String) { createListing(input: $input, idempotencyKey: $key) { id status title price { amount currency } category { id } location { county { code } city } condition } }`;

interface ManusOutput {
  sellerId: string;
  drafts: { input: Record<string, unknown> & { title: string }; idempotencyKey: string; source: { url: string; ref: string; id?: string }; images: string[]; notes: unknown[] }[];
  unmapped: { url: string; item?: { ref: string; id?: string; title?: string }; reasons: { field: string; reason: string; message: string }[] }[];
  fetched: number;
  failed: { url: string; reason: string; message: string }[];
}

const ENV = ["AGENT_FETCH_ALLOWED_ADDRESSES", "AGENT_FETCH_ALLOWED_PORTS"] as const;

describeStack("agents: manus imports partner feeds, refusing private addresses", () => {
  let stack: Stack;
  let partner: PartnerServer;
  let admin: TestUser;
  let seller: TestUser;
  const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
  /** The deployment's configuration, which manus reads at each run (lib/env.ts). */
  const configure = (values: Partial<Record<(typeof ENV)[number], string>>) => {
    for (const name of ENV) {
      if (values[name] === undefined) delete process.env[name];
      else process.env[name] = values[name];
    }
  };

  beforeAll(async () => {
    partner = await startPartnerServer();
    stack = await startStack({ AGENT_POLLING_INTERVAL_SECONDS: "0.5", LISTING_IMPORTS: "true" });
    [admin, seller] = await Promise.all([signUpAdmin(stack), signUp(stack, "Vânzător Partener")]);
  });
  afterAll(async () => {
    configure(saved);
    await stack?.stop();
    await partner?.close();
  });

  const as = (who: TestUser, query: string, variables: Record<string, unknown> = {}) => stack.request(query, variables, { token: who.token });
  const runManus = async (urls: string[]) => {
    const r = await as(admin, RUN, { input: { sellerId: seller.id, urls } });
    expect(r.errors).toBeUndefined();
    const until = Date.now() + 45_000;
    for (;;) {
      const run = (await as(admin, RUN_BY_ID, { id: r.data.runAgent.id })).data.agentRun;
      if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(run.status) || Date.now() > until) return run as { status: string; output: ManusOutput; error: string | null; progress: string[] };
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const at = (host: string, path: string) => `http://${host}:${partner.port}${path}`;

  it("imports a seller's feeds as their DRAFT listings (importListings), once, with what could not be used", async () => {
    configure({ AGENT_FETCH_ALLOWED_ADDRESSES: PARTNER, AGENT_FETCH_ALLOWED_PORTS: `80,443,${partner.port}` });
    const IMPORT = `mutation ($urls: [String!]!) { importListings(urls: $urls) { id status } }`;
    const IMPORTS = `{ myListingImports { edges { node { id status listings { id status title isMine } problems { url item message } finishedAt } } } }`;
    const urls = [at(PARTNER, "/feed.json"), at(PARTNER, "/product.html")];
    // A seller of its own: the drafts' idempotency keys are per seller, and other cases use `seller`'s.
    const importer = await signUp(stack, "Vânzător Importator");
    expect(codes(await stack.request(IMPORT, { urls }))).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await as(importer, IMPORT, { urls: ["ftp://example.ro/feed"] }))).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await as(importer, IMPORT, { urls: [] }))).toEqual(["BAD_USER_INPUT"]);

    const finished = async (id: string) => {
      const until = Date.now() + 45_000;
      for (;;) {
        const node = (await as(importer, IMPORTS)).data.myListingImports.edges.map((e: { node: { id: string; status: string } }) => e.node).find((n: { id: string }) => n.id === id);
        if (node.status !== "RUNNING" || Date.now() > until) return node;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    const started = await as(importer, IMPORT, { urls });
    expect(started.errors).toBeUndefined();
    expect(started.data.importListings.status).toBe("RUNNING");
    const done = await finished(started.data.importListings.id);
    expect(done.status).toBe("DONE");
    expect(done.listings.map((l: { title: string }) => l.title)).toEqual(["Bicicletă de oraș Pegas Strada, roți 28", "Apple iPhone 13 128GB, albastru, cu cutie"]);
    expect(done.listings.every((l: { status: string; isMine: boolean }) => l.status === "DRAFT" && l.isMine)).toBe(true);
    expect(done.problems.map((p: { item: string }) => p.item)).toEqual(["Dacia Logan 1.5 dCi, primul proprietar", "Cameră foto de colecție, funcțională"]);

    // The same feeds again: the same drafts, nothing created twice.
    const again = await finished((await as(importer, IMPORT, { urls })).data.importListings.id);
    expect(again.listings.map((l: { id: string }) => l.id)).toEqual(done.listings.map((l: { id: string }) => l.id));
    const drafts = await as(importer, `{ myListings(status: [DRAFT]) { totalCount } }`);
    expect(drafts.data.myListings.totalCount).toBe(2);
  });

  it("maps a JSON feed and a JSON-LD page to drafts the listings subgraph accepts, and says what it could not map", async () => {
    configure({ AGENT_FETCH_ALLOWED_ADDRESSES: PARTNER, AGENT_FETCH_ALLOWED_PORTS: `80,443,${partner.port}` });
    const feed = at(PARTNER, "/feed.json");
    const page = at(PARTNER, "/product.html");
    const run = await runManus([feed, page]);
    expect(run.status, run.error ?? "").toBe("SUCCEEDED");
    const output = run.output;
    expect(output).toMatchObject({ sellerId: seller.id, fetched: 2, failed: [] });

    expect(output.drafts).toEqual([
      {
        input: {
          categoryId: "801",
          title: "Bicicletă de oraș Pegas Strada, roți 28",
          description: expect.stringMatching(/^Bicicletă de oraș în stare foarte bună/),
          price: { amount: 125_000, currency: "RON" },
          condition: "USED",
          county: "CJ",
          city: "Cluj-Napoca",
          attributes: { bikeType: "trekking-oras", brand: "Pegas" },
        },
        idempotencyKey: expect.stringMatching(/^manus-[0-9a-f]{40}$/),
        source: { url: feed, ref: "products[0]", id: "BIKE-1" },
        images: [at(PARTNER, "/img/bike-1.jpg")],
        notes: [],
      },
      {
        input: {
          categoryId: "401",
          title: "Apple iPhone 13 128GB, albastru, cu cutie",
          description: expect.stringMatching(/^Telefon în stare perfectă/),
          price: { amount: 320_000, currency: "RON" },
          condition: "USED",
          county: "TM",
          city: "Timișoara",
          attributes: { brand: "apple" },
        },
        idempotencyKey: expect.stringMatching(/^manus-[0-9a-f]{40}$/),
        source: { url: page, ref: "ld+json[0].@graph[1]", id: "IP13-128" },
        images: [at(PARTNER, "/img/ip13.jpg")],
        notes: [],
      },
    ]);

    expect(output.unmapped).toEqual([
      {
        url: feed,
        item: { ref: "products[1]", id: "CAR-1", title: "Dacia Logan 1.5 dCi, primul proprietar" },
        reasons: ["make", "model", "year", "km", "fuel"].map((key) => expect.objectContaining({ field: `attributes.${key}`, reason: "ATTRIBUTE_REQUIRED" })),
      },
      {
        url: feed,
        item: { ref: "products[2]", id: "USD-1", title: "Cameră foto de colecție, funcțională" },
        reasons: [{ field: "price.currency", reason: "CURRENCY_UNSUPPORTED", message: '"USD": listings are priced in RON or EUR only' }],
      },
    ]);
    expect(run.progress).toEqual(expect.arrayContaining([expect.stringMatching(/^fetching 2 URLs/), expect.stringMatching(/^done: 2 drafts, 2 unmapped, 0 URLs failed/)]));

    // The import's side, as the lead's wiring will do it: the seller creates each draft.
    for (const draft of output.drafts) {
      const created = await as(seller, CREATE, { input: draft.input, key: draft.idempotencyKey });
      expect(created.errors, JSON.stringify(created.errors)).toBeUndefined();
      const { title, categoryId, price, county, city, condition } = draft.input;
      expect(created.data.createListing).toMatchObject({ status: "DRAFT", title, category: { id: categoryId }, price, location: { county: { code: county }, city }, condition });
    }
  });

  it("refuses loopback, private, link-local and metadata addresses, in every spelling and behind redirects; caps size and time", async () => {
    configure({ AGENT_FETCH_ALLOWED_ADDRESSES: PARTNER, AGENT_FETCH_ALLOWED_PORTS: `80,443,${partner.port}` });
    partner.hits.set(INSIDE, 0);
    const p = partner.port;
    const direct = [
      `http://127.0.0.1:${p}/feed.json`,
      `http://localhost:${p}/feed.json`,
      `http://0.0.0.0:${p}/feed.json`,
      `http://[::1]:${p}/feed.json`,
      `http://10.0.0.1/feed.json`,
      `http://169.254.169.254/latest/meta-data/`,
      `http://2130706433:${p}/feed.json`,
      `http://[::ffff:127.0.0.1]:${p}/feed.json`,
    ];
    const redirects = direct.map((target) => at(PARTNER, `/redirect?to=${encodeURIComponent(target)}`));
    const others = {
      port: `http://${PARTNER}:8080/feed.json`,
      scheme: "file:///etc/passwd",
      huge: at(PARTNER, "/huge"),
      slow: at(PARTNER, "/slow"),
      missing: at(PARTNER, "/missing.json"),
    };
    const run = await runManus([...direct, ...redirects, ...Object.values(others), at(PARTNER, "/feed.json")]);
    expect(run.status, run.error ?? "").toBe("SUCCEEDED");
    const failed = new Map(run.output.failed.map((f) => [f.url, f]));

    for (const url of [...direct, ...redirects]) expect(failed.get(url), url).toMatchObject({ reason: "BLOCKED_ADDRESS" });
    for (const url of redirects) expect(failed.get(url)!.message).toMatch(/^redirect from .* refused/);
    expect(failed.get(others.port)).toMatchObject({ reason: "BLOCKED_PORT" });
    expect(failed.get(others.scheme)).toMatchObject({ reason: "BLOCKED_SCHEME" });
    expect(failed.get(others.huge)).toMatchObject({ reason: "TOO_LARGE" });
    expect(failed.get(others.slow)).toMatchObject({ reason: "TIMEOUT" });
    expect(failed.get(others.missing)).toMatchObject({ reason: "HTTP_ERROR" });
    expect(run.output.failed).toHaveLength(direct.length + redirects.length + 5);
    expect(run.output.fetched).toBe(1);
    expect(run.output.drafts).toHaveLength(1);
    // No message names where a redirect pointed or what a name resolved to.
    for (const f of run.output.failed) expect(f.message.replace(f.url, "")).not.toMatch(/127\.0\.0\.1|169\.254|10\.0\.0\.1|::1/);
    // The inside never saw a request.
    expect(partner.hits.get(INSIDE)).toBe(0);
  });

  it("refuses even the partner under the default configuration (ports 80/443, public addresses only)", async () => {
    configure({});
    const run = await runManus([at(PARTNER, "/feed.json"), `http://${PARTNER}/feed.json`]);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.output.failed.map((f) => f.reason)).toEqual(["BLOCKED_PORT", "BLOCKED_ADDRESS"]);
    expect(run.output).toMatchObject({ fetched: 0, drafts: [], unmapped: [] });
  });

  it("fetches at most 4 hosts at once, one request per host", async () => {
    const hosts = [PARTNER, ...MORE_PARTNERS];
    configure({ AGENT_FETCH_ALLOWED_ADDRESSES: hosts.join(","), AGENT_FETCH_ALLOWED_PORTS: String(partner.port) });
    const urls = hosts.flatMap((host) => [at(host, "/pause?a"), at(host, "/pause?b")]);
    const run = await runManus(urls);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.output.fetched).toBe(10);
    expect(run.output.unmapped).toHaveLength(10); // each an empty feed: NO_ITEMS
    expect(partner.pauses).toEqual({ max: 4, maxPerHost: 1 });
  });

  it("checks its input: a seller id and 1 to 50 URLs", async () => {
    const bad = async (input: unknown) => codes(await as(admin, RUN, { input }));
    expect(await bad({ sellerId: "nu-e-uuid", urls: ["https://partner.example/feed.json"] })).toEqual(["BAD_USER_INPUT"]);
    expect(await bad({ sellerId: seller.id, urls: [] })).toEqual(["BAD_USER_INPUT"]);
    expect(await bad({ sellerId: seller.id, urls: Array.from({ length: 51 }, (_, i) => `https://partner.example/${i}.json`) })).toEqual(["BAD_USER_INPUT"]);
    expect(await bad({ sellerId: seller.id, urls: ["not a url"] })).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await as(seller, RUN, { input: { sellerId: seller.id, urls: ["https://partner.example/feed.json"] } }))).toEqual(["FORBIDDEN"]);
  });
});
