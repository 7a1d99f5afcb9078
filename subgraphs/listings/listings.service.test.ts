import { valueFromASTUntyped, type ObjectTypeDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { MAX_PAGE_SIZE } from "../../lib/graphql/pagination.ts";
import { Catalog } from "./catalog/catalog.ts";
import type { ListingRow } from "./listing-row.ts";
import { FALLBACK, ListingsService } from "./listings.service.ts";
import { typeDefs } from "./subgraph.ts";

// Services built outside a subgraph in these tests publish no cache purges.
const noEvents = { onCollectionChanged: () => () => {}, onListingsChanged: () => () => {}, changed: async () => {} } as never;
// Only rules that need no database: the service gets none.
const service = new ListingsService({} as never, new Catalog(), { listingTtlDays: 30, eurRonRate: 4.97 }, { enabled: false } as never, {} as never, noEvents);

function sdlDefault(type: string, field: string, arg: string): unknown {
  const node = typeDefs.definitions.find((d): d is ObjectTypeDefinitionNode => d.kind === "ObjectTypeDefinition" && d.name.value === type);
  const value = node?.fields?.find((f) => f.name.value === field)?.arguments?.find((a) => a.name.value === arg)?.defaultValue;
  return value && valueFromASTUntyped(value);
}

function inCategory(count: number): { asked: string[]; loaders: never } {
  const asked: string[] = [];
  const rows = Array.from({ length: count }, (_, i) => ({ id: `l${i}`, categoryId: 101 }));
  const load = async (key: string) => (asked.push(key), rows.slice(0, Number(key.split(":")[1])));
  return { asked, loaders: { newestInCategory: { load } } as never };
}

describe("an explicit null", () => {
  it("means the schema's default, as graphql-js and the gateway's cost analysis read it", () => {
    expect(sdlDefault("Listing", "similar", "first")).toBe(FALLBACK.similar);
    expect(sdlDefault("Query", "listings", "sort")).toBe(FALLBACK.sort);
  });
});

describe("ListingsService.similar", () => {
  const listing = { id: "l0", categoryId: 101 } as ListingRow;

  it("leaves the listing itself out and asks for one more to make up for it", async () => {
    const { asked, loaders } = inCategory(10);
    expect((await service.similar(listing, 3, loaders)).map((l) => l.id)).toEqual(["l1", "l2", "l3"]);
    expect(asked).toEqual(["101:4"]);
  });

  it("reads first as the cost analysis does: null is the default, the size is clamped to 0…MAX_PAGE_SIZE", async () => {
    const { asked, loaders } = inCategory(200);
    expect(await service.similar(listing, null, loaders)).toHaveLength(FALLBACK.similar);
    expect(await service.similar(listing, -5, loaders)).toEqual([]);
    expect(await service.similar(listing, 1000, loaders)).toHaveLength(MAX_PAGE_SIZE);
    expect(asked).toEqual([`101:${FALLBACK.similar + 1}`, "101:1", `101:${MAX_PAGE_SIZE + 1}`]);
  });
});

describe("reference data", () => {
  it("finds a category by exactly one of id and slug", () => {
    expect(service.category("101", null)?.id).toBe(101);
    expect(service.category(null, service.category("101", null)!.slug)?.id).toBe(101);
    expect(service.category("999999", null)).toBeNull();
    expect(() => service.category(null, null)).toThrow(/fie id, fie slug/);
    expect(() => service.category("101", "autoturisme")).toThrow(/fie id, fie slug/);
  });

  it("lists a county's cities by its code in any case, and refuses an unknown county", () => {
    expect(service.cities("cj")).toContain("Cluj-Napoca");
    expect(() => service.cities("XX")).toThrow(/Județul „XX” nu există/);
  });
});
