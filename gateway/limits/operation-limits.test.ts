import { Supergraph } from "@apollo/federation-internals";
import { parse, validate, type GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../lib/env.ts";
import { MAX_PAGE_SIZE } from "../../lib/graphql/pagination.ts";
import { SUBGRAPHS } from "../../subgraphs/index.ts";
import { composeSupergraph } from "../compose.ts";
import { EXAMPLE_OPERATION } from "../graphiql.ts";
import { costCounter, costEstimator, readCostModel } from "./cost.ts";
import { createFetchEstimators } from "./fetch-cost.ts";
import { createOperationLimits } from "./operation-limits.ts";
import { checkSources } from "./source-limits.ts";

// The real supergraph and the default limits: what npm start serves.
const supergraphSdl = composeSupergraph(Object.entries(SUBGRAPHS).map(([name, s]) => ({ name, typeDefs: s.typeDefs })));
const schema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
const config = loadConfig({});
const settings = {
  maxDepth: config.MAX_DEPTH,
  maxAliases: config.MAX_ALIASES,
  maxDirectives: config.MAX_DIRECTIVES,
  maxRootFields: config.MAX_ROOT_FIELDS,
  maxCost: config.MAX_COST,
  defaultListSize: config.DEFAULT_LIST_SIZE,
  maxPageSize: MAX_PAGE_SIZE,
};
const limits = createOperationLimits(schema, supergraphSdl, settings);
const estimator = costEstimator(readCostModel(supergraphSdl), settings, "Mutation");

function check(query: string, variables?: Record<string, unknown>): GraphQLError | undefined {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  return limits.check(document, undefined, variables);
}
const countCost = costCounter(schema, estimator);
const cost = (query: string, variables?: Record<string, unknown>) => countCost(parse(query), undefined, variables);

/** listings(first: 1) → seller → listings(first: N) → seller → … nested `levels` times. */
function fanOut(levels: number, first: string): string {
  let inner = "id";
  const args = first ? `(${first})` : "";
  for (let i = 0; i < levels; i++) inner = `seller { listings${args} { edges { node { id ${inner} } } } }`;
  return `{ listings(first: 1) { edges { node { ${inner} } } } }`;
}

describe("query limits (defaults, real supergraph)", () => {
  it("pass what the README, GraphiQL, the tests and the benchmarks send", () => {
    const normal = [
      EXAMPLE_OPERATION,
      `query ($id: ID!) { listing(id: $id) { id title description price { amount currency formatted } location { county { name } city } category { id name path { name } } attributes { key label valueLabel unit } seller { id displayName memberSince listingCount } similar(first: 6) { id title price { formatted } } } }`,
      `{ listings(first: 100) { totalCount edges { cursor node { id title price { formatted } location { city county { name } } category { name parent { name } } seller { id displayName listingCount } favoriteCount } } pageInfo { hasNextPage endCursor } } }`,
      `{ categories { id name children { id name children { id name } } } counties { code name } }`,
      `{ category(slug: "autoturisme") { name path { name } attributes { key label type required options { value label } } } }`,
      `query ($id: ID!) { listing(id: $id) { title seller { displayName listingCount listings(first: 5) { edges { node { id category { name } } } } } } }`,
    ];
    for (const query of normal) expect(check(query, { id: "x" }), query.slice(0, 60)).toBeUndefined();
  });

  it("refuse the nested fan-out of the probe (6 levels, 600 bytes): by depth, and by cost when depth is no object", () => {
    expect(check(fanOut(6, "first: 50"))?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "depth", allowed: 12 });
    const deepAllowed = createOperationLimits(schema, supergraphSdl, { ...settings, maxDepth: 100 });
    const error = deepAllowed.check(parse(fanOut(6, "first: 50")), undefined, {});
    expect(error?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "cost", allowed: 5000 });
    expect(error!.extensions.measured).toBeGreaterThan(50 ** 5);
    expect(error!.message).toMatch(/cost/);
    // Within the depth limit, two levels of 100 are refused by cost alone.
    expect(check(fanOut(2, "first: 100"))?.extensions).toMatchObject({ limit: "cost" });
  });

  it("multiply by first given as a variable or left to the argument's default, capped at the page maximum", () => {
    expect(cost(`query ($n: Int) { listings(first: $n) { edges { node { id } } } }`, { n: 50 })).toBe(1 + 50 * 2);
    expect(cost(`{ listings { edges { node { id } } } }`)).toBe(1 + 20 * 2);
    expect(cost(`{ listings(first: 5000) { edges { node { id } } } }`)).toBe(1 + MAX_PAGE_SIZE * 2);
    expect(cost(`query ($id: ID!) { listing(id: $id) { similar { id } } }`, { id: "x" })).toBe(1 + 6);
    const variableDriven = fanOut(2, "first: $n").replace("{ listings(first: 1)", "query ($n: Int) { listings(first: 1)");
    expect(check(variableDriven, { n: 100 })?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "cost" });
    expect(check(variableDriven, { n: 3 })).toBeUndefined();
    const deepAllowed = createOperationLimits(schema, supergraphSdl, { ...settings, maxDepth: 100 });
    expect(deepAllowed.check(parse(fanOut(3, "")), undefined, {})?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "cost" });
  });

  it("remember a document's cost per the variables it reads, and count again when one of them changes", () => {
    const document = parse(`query Page($n: Int = 10, $all: Boolean!, $q: String) {
      listings(first: $n, filter: { city: $q }) { edges { node { id seller @include(if: $all) { id } } } }
    }`);
    expect(countCost(document, "Page", { n: 50, all: false, q: "a" })).toBe(1 + 50 * 2);
    // Another text filter reads no differently; the page size and the @include do.
    expect(countCost(document, "Page", { n: 50, all: false, q: "b" })).toBe(1 + 50 * 2);
    expect(countCost(document, "Page", { n: 50, all: true, q: "b" })).toBe(1 + 50 * 3);
    expect(countCost(document, "Page", { n: 100, all: true })).toBe(1 + 100 * 3);
    // Omitted: the default (10); an explicit null: the argument's own default (20).
    expect(countCost(document, "Page", { all: true })).toBe(1 + 10 * 3);
    expect(countCost(document, "Page", { n: null, all: true })).toBe(1 + 20 * 3);
    // Variables that do not fit their types are never remembered as counted.
    expect(() => countCost(document, "Page", { n: "lots", all: true })).toThrow();
    expect(() => countCost(document, "Page", { n: "lots", all: true })).toThrow();
  });

  it("count a subgraph fetch's _entities by the representations it carries", () => {
    const subgraphs = Object.entries(SUBGRAPHS).map(([name, s]) => ({ name, typeDefs: s.typeDefs }));
    const estimate = createFetchEstimators(subgraphs, supergraphSdl, settings).get("listings")!;
    const query = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { listings(first: 5) { edges { node { id } } } } } }`;
    const representations = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: "User", id: String(i) }));
    expect(estimate({ query, variables: { representations: representations(3) } })).toBe(3 * (1 + 1 + 5 * 2));
    expect(estimate({ query, variables: { representations: representations(3).reverse() } })).toBe(3 * 12);
    expect(estimate({ query, variables: { representations: representations(100) } })).toBe(100 * 12);
  });

  it("count lists without page arguments by their declared size, and mutations at 10", () => {
    expect(cost(`{ counties { code } }`)).toBe(42);
    expect(cost(`{ categories { children { id } } }`)).toBe(11 * (1 + 10));
    expect(cost(`mutation { signOut }`)).toBe(10);
  });

  it("refuse too many aliases, too deep a query (also through fragments), too many directives and root fields", () => {
    const aliases = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: counties { code }`).join(" ")} }`;
    expect(check(aliases)?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "aliases", measured: 1000, allowed: 30 });

    let fragments = "fragment F0 on Category { id }";
    for (let i = 1; i <= 14; i++) fragments += ` fragment F${i} on Category { parent { ...F${i - 1} } }`;
    expect(check(`{ categories { ...F14 } } ${fragments}`)?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "depth", allowed: 12 });

    // Aliased __typename too (armor lets it through by default): each one is an answer to build.
    const typenames = `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: __typename`).join(" ")} }`;
    expect(check(typenames)?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "aliases", measured: 500, allowed: 30 });

    const directives = `{ counties { ${Array.from({ length: 25 }, () => "code @include(if: true)").join(" ")} } }`;
    expect(check(directives)?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "directives", measured: 25 });

    const roots = `{ ${Array.from({ length: 25 }, (_, i) => `c${i}: categories { id }`).join(" ")} }`;
    const rootsLimits = createOperationLimits(schema, supergraphSdl, { ...settings, maxAliases: 100 });
    expect(rootsLimits.check(parse(roots), undefined, {})?.extensions).toMatchObject({ limit: "rootFields", measured: 25, allowed: 20 });
  });
});

describe("source limits (before parsing)", () => {
  const source = { maxDocumentBytes: 20_000, maxTokens: 2_000, maxBatch: 0 };

  it("refuse a large document by size and a dense one by tokens", () => {
    expect(checkSources({ query: `{ ${"a ".repeat(20_000)} }` }, source)?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "documentBytes" });
    const fields = `{ ${Array.from({ length: 5000 }, (_, i) => `f${i}`).join(" ")} }`;
    expect(Buffer.byteLength(fields)).toBeLessThan(source.maxDocumentBytes * 2);
    expect(checkSources({ query: fields }, { ...source, maxDocumentBytes: 1e9 })?.extensions).toMatchObject({ limit: "tokens", allowed: 2000 });
    expect(checkSources({ query: EXAMPLE_OPERATION }, source)).toBeUndefined();
  });

  it("refuse batches unless enabled, then their length, and check every operation of a batch", () => {
    expect(checkSources([{ query: "{ a }" }], source)?.extensions).toMatchObject({ code: "BAD_REQUEST" });
    expect(checkSources([{ query: "{ a }" }, { query: "{ b }" }], { ...source, maxBatch: 2 })).toBeUndefined();
    expect(checkSources([{ query: "{ a }" }, { query: "{ b }" }, { query: "{ c }" }], { ...source, maxBatch: 2 })?.extensions.code).toBe("BAD_REQUEST");
    expect(checkSources([{ query: "{ a }" }, { query: "x".repeat(30_000) }], { ...source, maxBatch: 2 })?.extensions.limit).toBe("documentBytes");
  });

  it("type a persisted-query hash that does not match its document", () => {
    const error = checkSources({ query: "{ counties { code } }", extensions: { persistedQuery: { version: 1, sha256Hash: "00" } } }, source);
    expect(error?.extensions.code).toBe("PERSISTED_QUERY_HASH_MISMATCH");
  });
});
