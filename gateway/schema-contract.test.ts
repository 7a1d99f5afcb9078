import fs from "node:fs";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { composeSupergraph } from "./compose.ts";
import { changelogBreakingEntries, checkBreaking, checkDrift, printApiSchema, schemaChanges } from "./schema-contract.ts";

const BASE = /* GraphQL */ `
  type Query {
    "Active listings, newest first."
    listings(first: Int = 20, after: String): [Listing!]!
    listing(id: ID!): Listing
  }
  type Listing {
    id: ID!
    title: String!
    status: ListingStatus!
  }
  enum ListingStatus { DRAFT ACTIVE SOLD }
`;

const changelog = (breaking: string, heading = "## Unreleased") => `# Changelog

Entries name coordinates like \`Query.listing\` (this line is not an entry).

${heading}

### Breaking

${breaking}

### Added

- \`Query.search\`: new.

## 2026-11-01

### Breaking

- \`Listing.title\`: an old release's entry does not cover a new change.
`;

describe("the API schema", () => {
  it("is the supergraph without federation's machinery, sorted", () => {
    const supergraph = composeSupergraph([
      { name: "b", typeDefs: parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"]) type Query { zebra: Item } type Item @key(fields: "id") { id: ID! name: String }`) },
      { name: "a", typeDefs: parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"]) type Query { apple: Int } type Item @key(fields: "id") { id: ID! price: Int }`) },
    ]);
    const sdl = printApiSchema(supergraph);
    expect(sdl).not.toMatch(/join__|link__|@link|@key|_Entity|_service/);
    expect(sdl).toBe("type Item {\n  id: ID!\n  name: String\n  price: Int\n}\n\ntype Query {\n  apple: Int\n  zebra: Item\n}\n");
  });
});

describe("drift: schema.graphql must be what the code composes", () => {
  it("passes when they are the same text", async () => {
    expect(await checkDrift(BASE, `${BASE}\n`)).toEqual({ ok: true, changes: [] });
  });

  it("fails on any difference, a description included, and names it", async () => {
    const report = await checkDrift(BASE, BASE.replace("Active listings, newest first.", "Active listings."));
    expect(report.ok).toBe(false);
    expect(report.changes).toEqual([expect.objectContaining({ coordinate: "Query.listings", level: "NON_BREAKING" })]);
  });
});

describe("breaking changes need a CHANGELOG entry", () => {
  const removed = BASE.replace("listing(id: ID!): Listing", "");

  it("fails for a breaking change the changelog does not name", async () => {
    const report = await checkBreaking(BASE, removed, changelog("None."));
    expect(report.ok).toBe(false);
    expect(report.unrecorded.map((c) => c.coordinate)).toEqual(["Query.listing"]);
  });

  it("passes with an entry naming the coordinate under Unreleased → Breaking", async () => {
    const report = await checkBreaking(BASE, removed, changelog("- `Query.listing`: removed; use `Query.listings`."));
    expect(report).toMatchObject({ ok: true, unrecorded: [] });
    expect(report.breaking.map((c) => c.coordinate)).toEqual(["Query.listing"]);
  });

  it("does not count an entry in another section or release", async () => {
    expect((await checkBreaking(BASE, removed, changelog("None.").replace("`Query.search`", "`Query.listing`"))).ok).toBe(false);
    expect((await checkBreaking(BASE, removed, changelog("- `Query.listing`: removed.", "## 2026-12-01"))).ok).toBe(false);
    const oldRelease = await checkBreaking(BASE, BASE.replace("title: String!", ""), changelog("None."));
    expect(oldRelease.unrecorded.map((c) => c.coordinate)).toEqual(["Listing.title"]);
  });

  it("lets an entry for a type or field cover what is under it, and reads argument coordinates", async () => {
    const newArgument = BASE.replace("listings(first: Int = 20", "listings(county: String!, first: Int = 20");
    expect((await checkBreaking(BASE, newArgument, changelog("None."))).unrecorded.map((c) => c.coordinate)).toEqual(["Query.listings.county"]);
    expect((await checkBreaking(BASE, newArgument, changelog("- `Query.listings`: a county is required."))).ok).toBe(true);
    expect((await checkBreaking(BASE, newArgument, changelog("- `Query.listings(county:)`: required."))).ok).toBe(true);
    expect((await checkBreaking(BASE, newArgument, changelog("- `Query.list`: a prefix that is not a parent."))).ok).toBe(false);
    const noSold = BASE.replace(" SOLD }", " }");
    expect((await checkBreaking(BASE, noSold, changelog("- `ListingStatus`: SOLD is gone."))).ok).toBe(true);
  });

  it("needs no entry for additions", async () => {
    const added = BASE.replace("title: String!", "title: String!\n    views: Int");
    const report = await checkBreaking(BASE, added, changelog("None."));
    expect(report).toEqual({ ok: true, breaking: [], unrecorded: [] });
    expect(await schemaChanges(BASE, added)).toEqual([expect.objectContaining({ coordinate: "Listing.views", level: "NON_BREAKING" })]);
  });

  it("reads the repository's CHANGELOG.md", () => {
    const text = fs.readFileSync(new URL("../CHANGELOG.md", import.meta.url), "utf8");
    expect(text).toMatch(/^## Unreleased$/m);
    expect(changelogBreakingEntries(text)).toBeInstanceOf(Set);
    expect(changelogBreakingEntries(changelog("- `Query.listing` and `Listing.status`"))).toEqual(new Set(["Query.listing", "Listing.status"]));
  });
});
