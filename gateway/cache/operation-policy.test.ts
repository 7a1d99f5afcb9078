import { Supergraph } from "@apollo/federation-internals";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { composeSupergraph } from "../compose.ts";
import { CacheHints } from "./hints.ts";
import { OperationPolicies } from "./operation-policy.ts";

const HEAD = `
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@composeDirective"])
  @link(url: "https://piata.ai/specs/cache/v1.0", import: ["@cacheControl", "@cacheCollection"])
  @composeDirective(name: "@cacheControl")
  @composeDirective(name: "@cacheCollection")
directive @cacheControl(maxAge: Int, scope: CacheControlScope) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
directive @cacheCollection(of: String!) on FIELD_DEFINITION
enum CacheControlScope { PUBLIC PRIVATE }
`;

const listings = `${HEAD}
type Query {
  listing(id: ID!): Listing @cacheControl(maxAge: 300)
  listings: [Listing!]! @cacheControl(maxAge: 30) @cacheCollection(of: "Listing")
  drafts: [Listing!]!
  categories: [Category!]! @cacheControl(maxAge: 3600)
}
type Listing @key(fields: "id") @cacheControl(maxAge: 60) {
  id: ID!
  title: String!
  isMine: Boolean! @cacheControl(scope: PRIVATE)
  seller: User!
  category: Category!
}
type Category @key(fields: "id") @cacheControl(maxAge: 3600) { id: ID! name: String! }
type User @key(fields: "id", resolvable: false) { id: ID! }
`;
const users = `${HEAD}
type Query { me: User @cacheControl(maxAge: 0) }
type User @key(fields: "id") @cacheControl(maxAge: 120) { id: ID! name: String! phone: String @cacheControl(maxAge: 0) }
`;

const supergraphSdl = composeSupergraph([
  { name: "listings", typeDefs: parse(listings) },
  { name: "users", typeDefs: parse(users) },
]);
const schema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
const policies = new OperationPolicies(schema, CacheHints.fromSupergraph(supergraphSdl));

function policyOf(query: string, operationName?: string) {
  return policies.of(parse(query), operationName);
}

function tagsOf(query: string, data: unknown): string[] | false {
  const policy = policyOf(query)!;
  const tags = new Set<string>(policy.collections);
  return policy.shape.collect(data, tags) ? [...tags].sort() : false;
}

describe("an operation's cache policy", () => {
  it("is the smallest maxAge of what it selects, from field or type hints", () => {
    expect(policyOf(`{ listing(id: "1") { id title } }`)).toMatchObject({ maxAge: 60, scope: "PUBLIC", collections: [] });
    expect(policyOf(`{ listings { id category { name } } }`)).toMatchObject({ maxAge: 30, collections: ["Listing"] });
    expect(policyOf(`{ categories { name } }`)?.maxAge).toBe(3600);
    expect(policyOf(`{ listing(id: "1") { seller { name } } categories { id } }`)?.maxAge).toBe(60);
  });

  it("is never cached for a root field without a hint of its own, a maxAge 0 anywhere, or anything but a query", () => {
    // Listing's type hint (60) is how long a listing stays fresh, not leave to keep any list of them.
    expect(policyOf(`{ drafts { id } }`)).toBeNull();
    expect(policyOf(`{ me { id } }`)).toBeNull();
    expect(policyOf(`{ listing(id: "1") { seller { phone } } }`)).toBeNull();
    expect(policyOf(`{ __typename }`)).toBeNull();
    expect(policyOf(`subscription { x }`)).toBeNull();
  });

  it("is PRIVATE when a selected field is, also inside a fragment", () => {
    expect(policyOf(`{ listing(id: "1") { ...Mine } } fragment Mine on Listing { isMine }`)?.scope).toBe("PRIVATE");
    expect(policyOf(`{ listing(id: "1") { ... on Listing { isMine } } }`)?.scope).toBe("PRIVATE");
  });

  it("picks the named operation of a document with several", () => {
    const document = `query A { listing(id: "1") { id } } query B { drafts { id } }`;
    expect(policyOf(document, "A")?.maxAge).toBe(60);
    expect(policyOf(document, "B")).toBeNull();
    expect(policyOf(document)).toBeNull();
  });
});

describe("the entities of an answer", () => {
  it("are tagged by type and key, through aliases and fragments", () => {
    const query = `{ listings { key: id ...F } } fragment F on Listing { seller { id } category { id name } }`;
    const data = { listings: [{ key: "7", seller: { id: "u1" }, category: { id: "101", name: "Auto" } }, { key: "8", seller: { id: "u2" }, category: { id: "101", name: "Auto" } }] };
    expect(tagsOf(query, data)).toEqual(["Category:101", "Listing", "Listing:7", "Listing:8", "User:u1", "User:u2"]);
  });

  it("fall back to the whole type when the key was not selected, and to the collection for a null", () => {
    expect(tagsOf(`{ listing(id: "1") { title seller { name } } }`, { listing: { title: "t", seller: { name: "n" } } })).toEqual(["Listing:*", "User:*"]);
    expect(tagsOf(`{ listing(id: "1") { id } }`, { listing: null })).toEqual(["Listing"]);
  });

  it("come from each answer: the shape is reused, the tags are not", () => {
    const query = `{ listing(id: "1") { id } }`;
    expect(tagsOf(query, { listing: { id: "1" } })).toEqual(["Listing:1"]);
    expect(tagsOf(query, { listing: { id: "2" } })).toEqual(["Listing:2"]);
  });
});
