import { isObjectType, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { Prisma, type Listing } from "../../prisma/generated/client.ts";
import { Catalog } from "./catalog/catalog.ts";
import { connectionNodeColumns, FIELD_COLUMNS } from "./listing-columns.ts";
import { ListingsService } from "./listings.service.ts";
import { Listing as ListingResolvers } from "./resolvers/listing.ts";
import { buildSchema } from "../../lib/subgraph.ts";
import { resolvers } from "./resolvers/index.ts";
import { typeDefs } from "./subgraph.ts";

const catalog = new Catalog();
const category = catalog.getBySlug("autoturisme")!;
const row: Listing = {
  id: "6f0f8b1e-6a43-4a53-9a55-0c1b1c8f0e01",
  sellerId: "6f0f8b1e-6a43-4a53-9a55-0c1b1c8f0e02",
  categoryId: category.id,
  title: "Dacia Logan",
  description: "Bună",
  priceAmount: 500_000,
  currency: "EUR",
  priceRonBani: 2_485_000n,
  negotiable: true,
  condition: "USED",
  county: "CJ",
  city: "Cluj-Napoca",
  attributes: {},
  status: "ACTIVE",
  viewCount: 3,
  favoriteCount: 2,
  version: 1,
  publishedAt: new Date("2026-11-01T00:00:00Z"),
  expiresAt: new Date("2099-01-01T00:00:00Z"),
  soldAt: null,
  deletedAt: null,
  createdAt: new Date("2026-11-01T00:00:00Z"),
  updatedAt: new Date("2026-11-01T00:00:00Z"),
};

/** The Listing type as the subgraph serves it (SDL, resolvers, federation). */
function listingFields(): string[] {
  const type = buildSchema(typeDefs, resolvers).getType("Listing");
  if (!isObjectType(type)) throw new Error("no Listing type");
  return Object.keys(type.getFields());
}

function infoOf(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition")!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === "FragmentDefinition").map((d) => [d.name.value, d]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
}

describe("the columns a page of listings reads", () => {
  it("names every field of Listing in the schema", () => {
    const fields = listingFields();
    expect(fields.length).toBeGreaterThan(20);
    expect(fields.filter((f) => !(f in FIELD_COLUMNS))).toEqual([]);
  });

  it("names only columns of the Listing table", () => {
    const columns = new Set<string>(Object.values(Prisma.ListingScalarFieldEnum));
    const named = Object.values(FIELD_COLUMNS).flat();
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((c) => !columns.has(c))).toEqual([]);
  });

  // Each field's resolver run on a row that records which columns it reads: FIELD_COLUMNS must name them all.
  it("covers every column each field's resolver reads", async () => {
    const service = new ListingsService({} as never, catalog, { listingTtlDays: 30, eurRonRate: 4.97 }, { enabled: false } as never, {} as never, {
      onCollectionChanged: () => () => {},
      onListingsChanged: () => () => {},
    } as never);
    const stubs: Record<string, unknown> = { description: async () => "", newestInCategory: { load: async () => [] } };
    const loaders = new Proxy(stubs, { get: (target, key: string) => target[key] ?? { load: async () => null } });
    const context = { catalog, listings: service, loaders, viewer: { userId: row.sellerId, scopes: ["admin"] } };
    const missing: string[] = [];
    const fields = Object.keys(FIELD_COLUMNS).filter((f) => f !== "__typename");
    expect(fields.length).toBeGreaterThan(20);
    for (const field of fields) {
      const read = new Set<string>();
      const recorder = new Proxy(row, { get: (target, key) => (typeof key === "string" && read.add(key), Reflect.get(target, key)) });
      const resolve = (ListingResolvers as Record<string, unknown>)[field] as ((...args: unknown[]) => unknown) | undefined;
      // A field without a resolver reads the row's property of the same name.
      if (resolve) await resolve(recorder, field === "similar" ? { first: 6 } : {}, context, {});
      else void (recorder as Record<string, unknown>)[field];
      // A list row never has the description (LIST_OMIT): its resolver loads it by id when it is absent.
      const allowed = new Set<string>(["id", ...FIELD_COLUMNS[field]!, ...(field === "description" ? ["description"] : [])]);
      for (const column of read) if (column in Prisma.ListingScalarFieldEnum && !allowed.has(column)) missing.push(`${field} reads ${column}`);
    }
    expect(missing).toEqual([]);
  });

  it("reads only what a browse page selects, plus the id and the cursor's columns", () => {
    const info = infoOf(`{ listings(first: 20) { totalCount edges { cursor node { id title price { formatted } location { city } category { name } seller { id } favoriteCount } } } }`);
    expect(Object.keys(connectionNodeColumns(info, ["publishedAt", "id"])!).sort()).toEqual(
      ["categoryId", "city", "county", "currency", "favoriteCount", "id", "priceAmount", "publishedAt", "sellerId", "title"].sort(),
    );
  });

  it("follows fragments and inline fragments", () => {
    const info = infoOf(
      `query { listings { ...Page } } fragment Page on ListingConnection { edges { node { ... on Listing { status } ...Row } } } fragment Row on Listing { soldAt __typename }`,
    );
    expect(Object.keys(connectionNodeColumns(info, ["priceRonBani"])!).sort()).toEqual(["expiresAt", "id", "priceRonBani", "soldAt", "status"]);
  });

  it("keeps the cursor's columns of each sort apart for the same document", () => {
    const info = infoOf(`query ($sort: Sort) { listings(sort: $sort) { edges { cursor node { id } } } }`);
    expect(Object.keys(connectionNodeColumns(info, ["publishedAt", "id"])!).sort()).toEqual(["id", "publishedAt"]);
    expect(Object.keys(connectionNodeColumns(info, ["priceRonBani", "id"])!).sort()).toEqual(["id", "priceRonBani"]);
  });

  it("reads the whole row when a field is not in the map", () => {
    expect(connectionNodeColumns(infoOf(`{ listings { edges { node { id somethingNew } } } }`), [])).toBeUndefined();
  });
});
