/**
 * The counts of a search kept across requests (SearchService.answer): read once per compiled text and
 * filter until listings change, the page read each time; and each query's compiled text, kept alike. The SQL itself is the stack suite's
 * (tests/search.test.ts runs every filter and facet through the gateway, on PGlite and PostgreSQL,
 * with these counts kept, and checks freshness after each write; tests/search-counts.test.ts, that
 * a word search's counts are kept and recounted after a real publish, edit and sale).
 */
import { describe, expect, it } from "vitest";
import type { CatalogFacts } from "./catalog-facts.ts";
import type { FacetRow, RunSql } from "./search-sql.ts";
import { SearchService } from "./search.service.ts";

const catalog = { paths: async () => new Map<string, string[]>() } as unknown as CatalogFacts;

const FACETS: FacetRow[] = [
  { kind: "total", key: null, key2: null, count: 3 },
  { kind: "county", key: "CJ", key2: null, count: 3 },
  { kind: "city", key: "CJ", key2: "Cluj-Napoca", count: 3 },
];
const HIT = { listingId: "00000000-0000-4000-8000-000000000001", score: null, km: null, sortValue: "2026-12-01T00:00:00.000Z", titleMarked: null, descriptionMarked: null };

/** A database that answers by the statement's shape and records which shapes it was asked. */
function fakeDatabase() {
  const asked: string[] = [];
  let total = 3;
  const run: RunSql = async <T,>(statement: { text: string; values: unknown[] }) => {
    const text = statement.text;
    let rows: unknown[];
    if (text.includes("AS exact")) {
      asked.push("compile");
      // Each word its own lexeme, as the text-search configuration would stem it ("-e" endings off).
      const lexemes = (statement.values[0] as string[]).map((w) => `'${w.toLowerCase().replace(/e$/, "")}'`).join(" & ");
      rows = [{ exact: lexemes, loose: lexemes, found: lexemes, exactAbsent: false, excluded: "" }];
    } else if (text.includes("AS hits")) {
      asked.push("page+counts");
      rows = [{ hits: [HIT], total: null, facets: FACETS.map((f) => (f.kind === "total" ? { ...f, count: total } : f)) }];
    } else if (text.includes("GROUPING SETS")) {
      asked.push("facets");
      rows = FACETS.map((f) => (f.kind === "total" ? { ...f, count: total } : f));
    } else if (text.includes("AS total")) {
      asked.push("total");
      rows = [{ total }];
    } else {
      asked.push("page");
      rows = [HIT];
    }
    return rows as T[];
  };
  return { run, asked, setTotal: (n: number) => (total = n) };
}

function purges() {
  const listeners = new Set<() => void>();
  return {
    onListingsChanged: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    purge: () => listeners.forEach((l) => l()),
    listeners,
  };
}

const SETTINGS = { eurRonRate: 4.97 };

async function browse(service: SearchService, args: Parameters<SearchService["search"]>[0] = {}) {
  const results = await service.search({ sort: "NEWEST", ...args });
  const [edges, totalCount, facets] = await Promise.all([results.edges(), results.totalCount(), results.facets()]);
  return { ids: edges.map((e) => e.node.listing.id), totalCount, cities: facets.cities.map((c) => [c.city, c.count]) };
}

describe("SearchService counts kept across requests", () => {
  it("reads a filter's total and facets once until listings change, the page every time", async () => {
    const db = fakeDatabase();
    const p = purges();
    const service = new SearchService(db.run, catalog, SETTINGS, p.onListingsChanged);
    const first = await browse(service);
    expect(first).toEqual({ ids: [HIT.listingId], totalCount: 3, cities: [["Cluj-Napoca", 3]] });
    expect(await browse(service, { sort: "PRICE_ASC" })).toEqual(first);
    expect(db.asked.sort()).toEqual(["facets", "page", "page"]);

    db.setTotal(4);
    p.purge();
    db.asked.length = 0;
    expect((await browse(service)).totalCount).toBe(4);
    expect(db.asked.sort()).toEqual(["facets", "page"]);
  });

  it("keeps each filter's counts apart, and a total alone apart from facets", async () => {
    const db = fakeDatabase();
    const service = new SearchService(db.run, catalog, SETTINGS, purges().onListingsChanged);
    await browse(service);
    await browse(service, { filter: { condition: ["NEW"] } });
    await browse(service, { filter: { condition: ["NEW"] } });
    expect(db.asked.filter((a) => a === "facets")).toHaveLength(2);
    db.asked.length = 0;
    const results = await service.search({ sort: "NEWEST" });
    expect(await results.totalCount()).toBe(3);
    expect(await results.totalCount()).toBe(3);
    expect(db.asked).toEqual(["page", "total"]);
  });

  it("keeps a search's compiled text and counts by what it compiles to, the page read each time, until listings change", async () => {
    const db = fakeDatabase();
    const p = purges();
    const service = new SearchService(db.run, catalog, SETTINGS, p.onListingsChanged);
    await browse(service, { query: "apartament", sort: "RELEVANCE" });
    await browse(service, { query: "apartament", sort: "PRICE_ASC" });
    // Another spelling of the same lexeme: compiled on its own, to the same matches and counts.
    await browse(service, { query: "Apartamente", sort: "RELEVANCE" });
    expect(db.asked).toEqual(["compile", "page", "facets", "page", "compile", "page"]);
    db.asked.length = 0;
    await browse(service, { query: "garsoniera", sort: "RELEVANCE" });
    await browse(service, { query: "apartament", filter: { condition: ["NEW"] }, sort: "RELEVANCE" });
    expect(db.asked).toEqual(["compile", "page", "facets", "page", "facets"]);
    db.asked.length = 0;
    db.setTotal(4);
    p.purge();
    expect((await browse(service, { query: "apartament", sort: "RELEVANCE" })).totalCount).toBe(4);
    expect(db.asked).toEqual(["compile", "page", "facets"]);

    const unkept = fakeDatabase();
    const plain = new SearchService(unkept.run, catalog, SETTINGS);
    await browse(plain);
    await browse(plain, { query: "apartament", sort: "RELEVANCE" });
    await browse(plain, { query: "apartament", sort: "RELEVANCE" });
    expect(unkept.asked).toEqual(["page+counts", "compile", "page+counts", "compile", "page+counts"]);
  });

  it("stops hearing purges when closed", () => {
    const p = purges();
    const service = new SearchService(fakeDatabase().run, catalog, SETTINGS, p.onListingsChanged);
    expect(p.listeners.size).toBe(1);
    service.close();
    expect(p.listeners.size).toBe(0);
  });
});
