/**
 * Known documents skip Apollo Server's HTTP layer (gateway/direct-execution.ts): the answer must be
 * the one Apollo gives — status, headers, body, errors and their masking — and everything the
 * direct path does not reproduce must still go through Apollo. The same request with `extensions: {}`
 * (which Apollo reads as no extensions at all) is always served by Apollo: the reference answer.
 */
import http from "node:http";
import { ApolloServer } from "@apollo/server";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { ListingsService } from "../subgraphs/listings/listings.service.ts";
import { signUp, type TestUser } from "./utils/fixtures.ts";
import { describeStack, startStack, type Stack } from "./utils/stack.ts";

const throughApollo = vi.spyOn(ApolloServer.prototype, "executeHTTPGraphQLRequest");

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Headers that differ between any two requests, whoever answers. */
const PER_REQUEST = new Set(["date", "x-request-id", "keep-alive", "connection"]);

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const kept: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!PER_REQUEST.has(name)) kept[name] = value;
  });
  // A masked internal error carries its request's id.
  return { status: response.status, headers: kept, body: (await response.text()).replace(/"requestId":"[^"]*"/g, '"requestId":"…"') };
}

/** The request answered by Apollo, and again once Apollo knows its document: with how many went through Apollo. */
async function bothWays(stack: Stack, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  await post(stack.url, body, headers); // Apollo parses, validates and resolves it: known from now on
  const reference = await post(stack.url, { ...body, extensions: {} }, headers);
  const before = throughApollo.mock.calls.length;
  const direct = await post(stack.url, body, headers);
  return { reference, direct, apolloCalls: throughApollo.mock.calls.length - before };
}

const BROWSE = `query Browse($first: Int!, $category: ID) {
  listings(first: $first, filter: { categoryId: $category }) { totalCount edges { cursor node { id title } } pageInfo { hasNextPage } }
}`;
const NESTED = `query Nested($outer: Int!, $inner: Int!) {
  listings(first: $outer) { edges { node { id seller { listings(first: $inner) { edges { node { id } } } } } } }
}`;
const TWO_OPERATIONS = `query Counties { counties { code } } query Categories { categories { slug } }`;

for (const mode of ["test", "production"] as const) {
  describeStack(`known documents answered without Apollo Server's HTTP layer (NODE_ENV=${mode})`, () => {
    let stack: Stack;
    let ana: TestUser;

    beforeAll(async () => {
      stack = await startStack({ NODE_ENV: mode, RESPONSE_CACHE_MAX_BYTES: "0" });
      ana = await signUp(stack, "Ana Ionescu");
    });
    afterAll(() => stack?.stop());

    it("answers a known query as Apollo does, without calling Apollo", async () => {
      const { reference, direct, apolloCalls } = await bothWays(stack, { query: BROWSE, variables: { first: 5 } });
      expect(reference.status).toBe(200);
      expect(JSON.parse(reference.body).data.listings.edges).toBeInstanceOf(Array);
      expect(direct).toEqual(reference);
      expect(apolloCalls).toBe(0);
    });

    it("keeps the content type Apollo negotiates for each Accept header", async () => {
      for (const accept of ["application/graphql-response+json", "application/json", "*/*", "application/json, application/graphql-response+json;q=0.9"]) {
        const { reference, direct, apolloCalls } = await bothWays(stack, { query: `{ counties { code } }` }, { accept });
        expect(reference.headers["content-type"]).toMatch(/^application\/(graphql-response\+)?json/);
        expect(direct).toEqual(reference);
        expect(apolloCalls).toBe(0);
      }
    });

    it("answers a request without an Accept header as Apollo does", async () => {
      const rawPost = (body: unknown) =>
        new Promise<Reply>((resolve, reject) => {
          const text = JSON.stringify(body);
          const req = http.request(stack.url, { method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text) } }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () => {
              const headers = Object.fromEntries(Object.entries(res.headers).filter(([name]) => !PER_REQUEST.has(name))) as Record<string, string>;
              resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString("utf8") });
            });
          });
          req.on("error", reject);
          req.end(text);
        });
      const body = { query: `{ categories { slug } }` };
      await rawPost(body);
      const reference = await rawPost({ ...body, extensions: {} });
      const before = throughApollo.mock.calls.length;
      const direct = await rawPost(body);
      expect(throughApollo.mock.calls.length - before).toBe(0);
      expect(reference.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(direct).toEqual(reference);
    });

    it("answers a signed-in viewer's known query as Apollo does", async () => {
      const { reference, direct, apolloCalls } = await bothWays(stack, { query: `{ me { id displayName } }` }, { authorization: `Bearer ${ana.token}` });
      expect(JSON.parse(reference.body).data.me.id).toBe(ana.id);
      expect(direct).toEqual(reference);
      expect(apolloCalls).toBe(0);
    });

    it("picks the named operation of a document with several", async () => {
      for (const operationName of ["Counties", "Categories"]) {
        const { reference, direct, apolloCalls } = await bothWays(stack, { query: TWO_OPERATIONS, operationName });
        expect(Object.keys(JSON.parse(reference.body).data)).toEqual([operationName.toLowerCase()]);
        expect(direct).toEqual(reference);
        expect(apolloCalls).toBe(0);
      }
      // Without a name the document is ambiguous: Apollo's error, from either path.
      const { reference, direct } = await bothWays(stack, { query: TWO_OPERATIONS });
      expect(reference.status).toBeGreaterThanOrEqual(400);
      expect(direct).toEqual(reference);
    });

    it("gives a known document's refusals and errors as Apollo does (limits, variables, fields' errors)", async () => {
      await post(stack.url, { query: BROWSE, variables: { first: 5 } });
      await post(stack.url, { query: NESTED, variables: { outer: 1, inner: 1 } });
      const cases: { query: string; variables: Record<string, unknown>; accept?: string; code: string }[] = [
        { query: NESTED, variables: { outer: 100, inner: 100 }, code: "QUERY_TOO_COMPLEX" },
        { query: NESTED, variables: { outer: 100, inner: 100 }, accept: "application/json", code: "QUERY_TOO_COMPLEX" },
        // Past the subgraph's page cap: the listings subgraph's own error, through the plan.
        { query: BROWSE, variables: { first: 100_000 }, code: "BAD_USER_INPUT" },
        { query: BROWSE, variables: { first: "five" }, code: "BAD_USER_INPUT" },
        { query: BROWSE, variables: {}, code: "BAD_USER_INPUT" },
        { query: BROWSE, variables: { first: 5, category: "no-such-category" }, code: "" },
      ];
      for (const { query, variables, accept, code } of cases) {
        const headers: Record<string, string> = accept ? { accept } : {};
        const reference = await post(stack.url, { query, variables, extensions: {} }, headers);
        const before = throughApollo.mock.calls.length;
        const direct = await post(stack.url, { query, variables }, headers);
        expect(throughApollo.mock.calls.length - before).toBe(0);
        expect(direct).toEqual(reference);
        if (code) expect(JSON.parse(reference.body).errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toContain(code);
      }
    });

    it("masks an internal error of a known document as Apollo does", async () => {
      const query = `query ($slug: String) { category(slug: $slug) { id slug } }`;
      await post(stack.url, { query, variables: { slug: "auto-moto" } });
      const failing = vi.spyOn(ListingsService.prototype, "category").mockImplementation(() => {
        throw new Error("connection to 10.0.0.7 refused (secret detail)");
      });
      try {
        const reference = await post(stack.url, { query, variables: { slug: "auto-moto" }, extensions: {} });
        const before = throughApollo.mock.calls.length;
        const direct = await post(stack.url, { query, variables: { slug: "auto-moto" } });
        expect(throughApollo.mock.calls.length - before).toBe(0);
        expect(failing).toHaveBeenCalledTimes(2);
        const errorCodes = JSON.parse(reference.body).errors.map((e: { extensions: { code: string } }) => e.extensions.code);
        // Outside production the subgraph's error shows (DOWNSTREAM_SERVICE_ERROR); in production it is masked.
        expect(errorCodes).toEqual([mode === "production" ? "INTERNAL_SERVER_ERROR" : "DOWNSTREAM_SERVICE_ERROR"]);
        if (mode === "production") expect(reference.body).not.toContain("secret");
        expect(direct).toEqual(reference);
      } finally {
        failing.mockRestore();
      }
    });

    it("leaves to Apollo what it does not reproduce: new documents, mutations, refused tokens, GET, invalid documents, other content types", async () => {
      const count = async (request: () => Promise<unknown>) => {
        const before = throughApollo.mock.calls.length;
        await request();
        await request();
        return throughApollo.mock.calls.length - before;
      };
      // A refused token: Apollo's 401 rule (plugins/auth.ts), on a document known from anonymous requests.
      await post(stack.url, { query: BROWSE, variables: { first: 5 } });
      expect(await count(() => post(stack.url, { query: BROWSE, variables: { first: 5 } }, { authorization: "Bearer forged" }))).toBe(2);
      const refused = await post(stack.url, { query: BROWSE, variables: { first: 5 } }, { authorization: "Bearer forged" });
      expect(refused.status).toBe(401);
      const mutation = `mutation { signIn(input: { email: "nobody@example.ro", password: "parola-gresita-1" }) { accessToken } }`;
      expect(await count(() => post(stack.url, { query: mutation }))).toBe(2);
      expect(await count(() => fetch(`${stack.url}?query=${encodeURIComponent("{ counties { code } }")}`, { headers: { "apollo-require-preflight": "true" } }))).toBe(2);
      // Invalid documents are never known: each one is Apollo's to refuse.
      expect(await count(() => post(stack.url, { query: `{ counties { nope } }` }))).toBe(2);
      // A body of a type Apollo's CSRF rule refuses.
      const plain = () => fetch(stack.url, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ query: `{ counties { code } }` }) });
      expect(await count(plain)).toBe(2);
      expect((await plain()).status).toBe(400);
    });
  });
}
